// Entry-point errors: a catalogue or mail error thrown by an api function reaches the caller in the
// user's language, with its code; any other error goes through as it is.

import { localizedError, PostroomError } from '../../src/server/domain/errors';
import { defineMessages } from '../../src/server/domain/i18n';
import { QuotaError } from '../../src/server/domain/mail-errors';
import { withLocalizedErrors } from '../../src/server/ui/entry-errors';

const t = defineMessages<'busy'>({ en: { busy: 'Busy.' }, fr: { busy: 'Occupé.' } });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('withLocalizedErrors', () => {
  const api = withLocalizedErrors(
    {
      ok: (n: number) => n + 1,
      catalogue: () => {
        throw localizedError('ALREADY_RUNNING', t, 'busy');
      },
      mail: () => {
        throw new QuotaError({ operation: 'send', status: 429, detail: 'User-rate limit exceeded', quotaScope: 'daily' });
      },
      plain: () => {
        throw new Error('Service Spreadsheets failed');
      },
    },
    () => 'fr',
  );

  it('passes results through', () => {
    expect(api.ok(1)).toBe(2);
  });

  it('puts a catalogue error in the user’s language and keeps its code', () => {
    const error = thrown(() => api.catalogue()) as PostroomError;
    expect(error.message).toBe('Occupé.');
    expect(error.code).toBe('ALREADY_RUNNING');
  });

  it('uses a mail error’s own user message, Google’s text quoted', () => {
    const error = thrown(() => api.mail()) as Error;
    expect(error.message).toMatch(/^La limite d’envoi quotidienne de Gmail est atteinte \(User-rate limit exceeded\)/);
  });

  it('leaves any other error as it is', () => {
    expect((thrown(() => api.plain()) as Error).message).toBe('Service Spreadsheets failed');
  });
});
