// The server's own errors outside the jobs (entry points, adapters), as the user reads them: from the
// built bundle in the emulator, in French and English by the user's locale, Google's text quoted inside.

import { ensureBuilt, openWorkspace } from './collect/helpers';
import { invoiceRows, setupSend } from './send/helpers';

beforeAll(() => ensureBuilt());

const WORDS = {
  fr: {
    noSettings: /^Les réglages d’envoi ne sont pas encore enregistrés/,
    badFilter: 'Filtre : champ inconnu « colour ».',
    advancedOffEvent: /Le service Gmail avancé n’est pas activé/,
    tooLarge: /^Postroom ne peut pas enregistrer postroom\.settings\.send : \d+ octets, au-delà de la limite Apps Script de 9 Ko/,
  },
  en: {
    noSettings: /^The send settings are not set yet/,
    badFilter: 'Filter: unknown field “colour”.',
    advancedOffEvent: /The Advanced Gmail service is not enabled/,
    tooLarge: /^Postroom cannot save postroom\.settings\.send: \d+ bytes, over Apps Script’s 9 KB limit/,
  },
} as const;

describe.each(['fr', 'en'] as const)('server errors outside the jobs (%s)', (locale) => {
  it('a send before its settings exist, or with a filter field that does not exist, says what to do', () => {
    const fresh = openWorkspace({ locale }, null).runner.rpc('planSend', {});
    expect(fresh.outcome).toBe('threw');
    expect(fresh.error?.message).toMatch(WORDS[locale].noSettings);
    const { runner } = setupSend(invoiceRows(1), { locale });
    const bad = runner.rpc('planSend', { colour: 'red' });
    expect(bad.outcome).toBe('threw');
    expect(bad.error?.message).toBe(WORDS[locale].badFilter);
  });

  it('a send through the Advanced Gmail service when it is not enabled says how to enable it', () => {
    const { runner } = setupSend(invoiceRows(2), { locale, settings: { transport: 'advanced' } });
    // The Advanced service is switched off in the project: the global is absent.
    const result = runner.evaluate('(() => { globalThis.Gmail = undefined; return startSend(); })()');
    // The job stops before anything is sent and says, in the user's words, how to enable the service.
    expect(result.outcome).toBe('completed');
    const progress = (result.value as { progress: { state: string; sent: number; events: string[] } }).progress;
    expect(progress.state).toBe('paused');
    expect(progress.sent).toBe(0);
    expect(progress.events.join('\n')).toMatch(WORDS[locale].advancedOffEvent);
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
