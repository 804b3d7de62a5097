// The server's own errors outside the jobs (entry points, adapters), as the user reads them: from the
// built bundle in the emulator, in French and English by the user's locale, Google's text quoted inside.

import { ensureBuilt } from './collect/helpers';
import { invoiceRows, setupSend } from './send/helpers';

beforeAll(() => ensureBuilt());

const WORDS = {
  fr: { advancedOff: /^Le service avancé Gmail n’est pas activé : ajoutez-le/, tooLarge: /^Postroom ne peut pas enregistrer postroom\.settings\.send : \d+ octets, au-delà de la limite Apps Script de 9 Ko/ },
  en: { advancedOff: /^The Advanced Gmail service is not enabled: add it/, tooLarge: /^Postroom cannot save postroom\.settings\.send: \d+ bytes, over Apps Script’s 9 KB limit/ },
} as const;

describe.each(['fr', 'en'] as const)('server errors outside the jobs (%s)', (locale) => {
  it('a send through the Advanced Gmail service when it is not enabled says how to enable it', () => {
    const { runner } = setupSend(invoiceRows(2), { locale, settings: { transport: 'advanced' } });
    // The Advanced service is switched off in the project: the global is absent.
    const result = runner.evaluate('(() => { globalThis.Gmail = undefined; return startSend(); })()');
    expect(result.outcome).toBe('threw');
    expect(result.error?.message).toMatch(WORDS[locale].advancedOff);
  });

  it('a value over the 9 KB property limit is refused in the user’s language, and nothing is stored', () => {
    const { runner } = setupSend(invoiceRows(1), { locale });
    const before = runner.rpc('getSendSettings').value;
    const saved = runner.rpc('saveSendSettings', { ...(before as object), htmlTemplate: `<p>${'Bonjour {{name}}, '.repeat(600)}</p>` });
    expect(saved.outcome).toBe('threw');
    expect(saved.error?.message).toMatch(WORDS[locale].tooLarge);
    expect(runner.rpc('getSendSettings').value).toEqual(before);
  });
});
