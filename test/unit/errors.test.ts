// The localized errors helper: a catalogue error carries both languages, is shown in the reader's,
// and keeps its code; errors from another realm (plain objects with the same shape) read the same.

import { localizedError, userErrorMessage, errorCode, errorMessage, isLocalized, PostroomError } from '../../src/server/domain/errors';
import { defineMessages } from '../../src/server/domain/i18n';
import { TransientError } from '../../src/server/domain/mail-errors';

const t = defineMessages<'missing'>({
  en: { missing: 'No allowed sender is set ({where}).' },
  fr: { missing: 'Aucun expéditeur autorisé ({where}).' },
});

describe('localizedError', () => {
  it('holds both texts, a message in the thrower’s locale and the code', () => {
    const error = localizedError(
      'SETUP_INCOMPLETE',
      t,
      'missing',
      { where: 'collect' },
      { locale: 'fr', details: { key: 'allowedSenders' } },
    );
    expect(error).toBeInstanceOf(PostroomError);
    expect(error.code).toBe('SETUP_INCOMPLETE');
    expect(error.message).toBe('Aucun expéditeur autorisé (collect).');
    expect(error.texts).toEqual({ en: 'No allowed sender is set (collect).', fr: 'Aucun expéditeur autorisé (collect).' });
    expect(error.details).toEqual({ key: 'allowedSenders', messageKey: 'missing' });
    expect(isLocalized(error)).toBe(true);
  });

  it('defaults its message to English when the thrower does not know the locale', () => {
    expect(localizedError('INTERNAL', t, 'missing', { where: 'x' }).message).toBe('No allowed sender is set (x).');
  });
});

describe('userErrorMessage', () => {
  it('shows a catalogue error in the reader’s language, whatever the thrower chose', () => {
    const error = localizedError('SETUP_INCOMPLETE', t, 'missing', { where: 'a' }, { locale: 'en' });
    expect(userErrorMessage(error, 'fr')).toBe('Aucun expéditeur autorisé (a).');
    expect(userErrorMessage(error, 'en')).toBe('No allowed sender is set (a).');
  });

  it('reads the shape, so an error from another realm reads the same', () => {
    const foreign = JSON.parse(JSON.stringify({ message: 'x', code: 'QUOTA', texts: { en: 'E', fr: 'F' } }));
    expect(userErrorMessage(foreign, 'fr')).toBe('F');
    expect(errorCode(foreign)).toBe('QUOTA');
    expect(errorMessage(foreign)).toBe('x');
  });

  it('uses a mail error’s own user message, quoting Google’s text', () => {
    const error = new TransientError({ operation: 'send', status: 503, detail: 'Backend Error' });
    expect(userErrorMessage(error, 'fr')).toContain('Backend Error');
    expect(userErrorMessage(error, 'fr')).toContain('Gmail n’a pas répondu');
  });

  it('leaves any other error’s text as it is', () => {
    expect(userErrorMessage(new Error('Service Spreadsheets failed'), 'fr')).toBe('Service Spreadsheets failed');
    expect(userErrorMessage('plain', 'en')).toBe('plain');
    expect(errorCode(new Error('x'))).toBeNull();
    expect(isLocalized(new PostroomError('INTERNAL', 'x'))).toBe(false);
  });
});
