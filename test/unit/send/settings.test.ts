// Send settings: defaults filled, every bound enforced, errors naming the key.

import { PostroomError } from '../../../src/server/domain/errors';
import { DEFAULT_SEND_SETTINGS, parseSendSettings, SEND_SETTING_BOUNDS } from '../../../src/server/domain/send/settings';

const minimal = { subjectTemplate: 'Votre facture {{key}}', textTemplate: 'Bonjour {{name}}' };

function errorOf(input: unknown): PostroomError {
  try {
    parseSendSettings(input);
  } catch (error) {
    if (error instanceof PostroomError) return error;
    throw error;
  }
  throw new Error('expected parseSendSettings to throw');
}

describe('parseSendSettings', () => {
  it('fills the documented defaults', () => {
    const settings = parseSendSettings(minimal);
    expect(settings).toEqual({
      ...minimal,
      htmlTemplate: '',
      senderName: '',
      replyTo: '',
      transport: 'rest',
      attachmentsFolder: 'Postroom/invoices',
      draftId: '',
      sendFrom: '',
      maxPerSecond: 10,
      maxPerMinute: 150,
      batchSize: 50,
      pauseBetweenBatchesMs: 0,
      maxRetries: 5,
      retryDelayMs: 5000,
      retryBackoff: 2,
      maxRetryDelayMs: 60000,
      dailyCap: 2000,
    });
    expect(DEFAULT_SEND_SETTINGS.maxPerMinute).toBe(150);
  });

  it('takes a draft id and a send-as address (the send extras), refusing a bad address', () => {
    expect(parseSendSettings({ ...minimal, draftId: ' r123 ', sendFrom: 'factures@acuitis.fr' })).toMatchObject({
      draftId: 'r123',
      sendFrom: 'factures@acuitis.fr',
    });
    expect(() => parseSendSettings({ ...minimal, sendFrom: 'pas une adresse' })).toThrow(/^sendFrom: invalid address/);
    expect(() => parseSendSettings({ ...minimal, draftId: 'a/b' })).toThrow(/^draftId: not a Gmail draft id/);
  });

  it('keeps given values, trims names and accepts numeric strings (sidebar forms)', () => {
    const settings = parseSendSettings({
      ...minimal,
      htmlTemplate: '<p>{{name}}</p>',
      senderName: '  Comptabilité Acuitis ',
      replyTo: 'factures@acuitis.com',
      attachmentsFolder: '1AbCdEfGhIjKlMnOpQrStUvWxYz012345',
      maxPerSecond: '5',
      maxPerMinute: 100,
      retryBackoff: '1.5',
    });
    expect(settings.senderName).toBe('Comptabilité Acuitis');
    expect(settings.maxPerSecond).toBe(5);
    expect(settings.retryBackoff).toBe(1.5);
    expect(settings.attachmentsFolder).toBe('1AbCdEfGhIjKlMnOpQrStUvWxYz012345');
  });

  it('accepts an HTML body alone', () => {
    expect(parseSendSettings({ subjectTemplate: 's', htmlTemplate: '<p>x</p>' }).textTemplate).toBe('');
  });

  it.each([
    [null, 'settings'],
    [[], 'settings'],
    [{ ...minimal, maxPerMinut: 100 }, 'maxPerMinut'],
    [{ textTemplate: 'x' }, 'subjectTemplate'],
    [{ ...minimal, subjectTemplate: 'a\nb' }, 'subjectTemplate'],
    [{ subjectTemplate: 's', textTemplate: ' ', htmlTemplate: '' }, 'textTemplate'],
    [{ ...minimal, senderName: 'A\r\nBcc: x@y.fr' }, 'senderName'],
    [{ ...minimal, replyTo: 'not an address' }, 'replyTo'],
    [{ ...minimal, attachmentsFolder: '  ' }, 'attachmentsFolder'],
    [{ ...minimal, maxPerMinute: 151 }, 'maxPerMinute'],
    [{ ...minimal, maxPerMinute: 0 }, 'maxPerMinute'],
    [{ ...minimal, maxPerSecond: 1.5 }, 'maxPerSecond'],
    [{ ...minimal, maxPerSecond: 20, maxPerMinute: 10 }, 'maxPerSecond'],
    [{ ...minimal, batchSize: 101 }, 'batchSize'],
    [{ ...minimal, pauseBetweenBatchesMs: -1 }, 'pauseBetweenBatchesMs'],
    [{ ...minimal, maxRetries: 11 }, 'maxRetries'],
    [{ ...minimal, retryBackoff: 0.5 }, 'retryBackoff'],
    [{ ...minimal, retryDelayMs: 10_000, maxRetryDelayMs: 5_000 }, 'maxRetryDelayMs'],
    [{ ...minimal, dailyCap: 2001 }, 'dailyCap'],
    [{ ...minimal, dailyCap: '12abc' }, 'dailyCap'],
    [{ ...minimal, dailyCap: Number.NaN }, 'dailyCap'],
    [{ ...minimal, senderName: 42 }, 'senderName'],
  ])('refuses %j naming %s', (input, key) => {
    const error = errorOf(input);
    expect(error.code).toBe('INVALID_SETTING');
    expect(error.message.startsWith(`${key}:`)).toBe(true);
    expect(error.details).toEqual({ key });
  });

  it('accepts every bound itself', () => {
    for (const [key, bounds] of Object.entries(SEND_SETTING_BOUNDS)) {
      for (const value of [bounds.min, bounds.max]) {
        const input: Record<string, unknown> = { ...minimal, [key]: value };
        if (key === 'maxPerSecond') input.maxPerMinute = 150;
        if (key === 'maxPerMinute' && value === 1) input.maxPerSecond = 1;
        if (key === 'retryDelayMs') input.maxRetryDelayMs = 3_600_000;
        if (key === 'maxRetryDelayMs' && value === 0) input.retryDelayMs = 0;
        if (key === 'maxPerSecond' && value === 100) continue; // needs maxPerMinute ≥ 100: covered above
        expect((parseSendSettings(input) as unknown as Record<string, number>)[key]).toBe(value);
      }
    }
  });
});
