// The local CLI as users run it (`tsx emulator/cli.ts …`, what `npm run local --` does after the
// build): `run` on a plain Apps Script file prints the function's JSON result; a script touching a
// Node global fails; bad options exit with code 2; --state-out writes the documented shape with the
// sent messages' bytes beside it; `call` and `demo` run the built bundle; every numeric option of every
// command refuses a non-number; `send --list` replaces the demo send list (never merges) and reads a
// Windows-1252 CSV as such; a row's or a filter's refusal is in the workspace language; the script's
// own CPU time is charged unless --cpu-time off.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePdf } from '../../emulator/demo/binary-files';
import { simpleParser } from '../unit/send/parse-mail';

const ROOT = join(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'postroom-cli-'));

function cli(...args: string[]) {
  const result = spawnSync(TSX, ['emulator/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const script = join(dir, 'snippet.js');
writeFileSync(
  script,
  `function total(items, rate) {
     var sum = items.reduce(function (a, b) { return a + b; }, 0);
     Logger.log('items: %s', items.length);
     return { sum: sum, withTax: Math.round(sum * (1 + rate) * 100) / 100, at: new Date().toISOString() };
   }
   function mailTheTeam() {
     GmailApp.sendEmail('equipe@opticiens-demo.fr', 'Point hebdo', 'Réunion lundi 9 h.');
     return GmailApp.search('in:sent').length;
   }
   function leaky() { return process.pid; }
   function busy(n) { var h = 0; for (var i = 0; i < n; i++) { h = (h * 31 + i) | 0; } Logger.log('done'); return Date.now(); }
   function hours() { var d = new Date(Date.UTC(2026, 0, 15, 8, 0, 0)); return [d.getHours(), d.getTimezoneOffset()]; }`,
);

describe('npm run local -- run --script x.js --call f', () => {
  it('prints the JSON result on stdout, the summary and logs on stderr', () => {
    // --cpu-time off: the virtual clock moves only with service calls, so `at` is exact.
    const out = cli(
      'run',
      '--script',
      script,
      '--call',
      'total',
      '--args',
      '[[10, 20.5], 0.2]',
      '--now',
      '2026-02-01T10:00:00Z',
      '--cpu-time',
      'off',
    );
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ sum: 30.5, withTax: 36.6, at: '2026-02-01T10:00:00.000Z' });
    expect(out.stderr).toContain('[log] items: 2');
    expect(out.stderr).toContain('total (cli): completed');
  });

  it("runs the script's Date methods in the script time zone (--time-zone), as Apps Script does", () => {
    // (The runner sets TZ for each execution; under jest, process.env is sandboxed, hence a real process here.)
    expect(JSON.parse(cli('run', '--script', script, '--call', 'hours').stdout)).toEqual([9, -60]);
    expect(JSON.parse(cli('run', '--script', script, '--call', 'hours', '--time-zone', 'Asia/Tokyo').stdout)).toEqual([17, -540]);
  });

  it("charges the script's own CPU time by default (--cpu-time measured), not with --cpu-time off", () => {
    const start = Date.parse('2026-01-15T08:00:00Z');
    const measured = cli('run', '--script', script, '--call', 'busy', '--args', '[30000000]', '--now', '2026-01-15T08:00:00Z');
    expect(measured.code).toBe(0);
    expect(JSON.parse(measured.stdout)).toBeGreaterThan(start);
    expect(measured.stderr).toMatch(/busy \(cli\): completed after [\d.]+ s of virtual time \([\d.]+ s of it the script's own CPU\)/);
    const off = cli(
      'run',
      '--script',
      script,
      '--call',
      'busy',
      '--args',
      '[30000000]',
      '--now',
      '2026-01-15T08:00:00Z',
      '--cpu-time',
      'off',
    );
    expect(JSON.parse(off.stdout)).toBe(start);
    expect(off.stderr).not.toContain('own CPU');
    const bad = cli('run', '--script', script, '--call', 'busy', '--cpu-time', 'fast');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--cpu-time must be measured or off (got "fast")');
    expect(cli('run', '--script', script, '--call', 'busy', '--cpu-scale', '0').stderr).toContain('--cpu-scale must be a number above 0');
  });

  it('fails a script that touches a Node global, with exit code 1', () => {
    const out = cli('run', '--script', script, '--call', 'leaky');
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('ReferenceError: process is not defined');
  });

  it('refuses bad options with exit code 2 and a clear message', () => {
    expect(cli('run', '--script', script).stderr).toContain('run needs --call <function name>');
    const badRate = cli('run', '--script', script, '--call', 'total', '--fault-rate', '1.5');
    expect(badRate.code).toBe(2);
    expect(badRate.stderr).toContain('--fault-rate must be a number between 0 and 1');
    const unknown = cli('run', '--script', script, '--call', 'total', '--colour');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --colour');
    expect(cli('frobnicate').code).toBe(2);
    expect(cli('run', '--script', script, '--call', 'total', '--args', '[1,').stderr).toContain('--args must be JSON');
  });

  it('writes --state-out with the documented shape and the sent bytes beside it', () => {
    const stateFile = join(dir, 'out', 'state.json');
    const out = cli('run', '--script', script, '--call', 'mailTheTeam', '--state-out', stateFile);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toBe(1);
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(Object.keys(state)).toEqual(expect.arrayContaining(['drive', 'sheets', 'gmail', 'sent', 'triggers', 'accounting']));
    expect(state.drive[0]).toEqual({
      path: expect.any(String),
      id: expect.any(String),
      size: expect.any(Number),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      mimeType: 'application/pdf',
    });
    expect(state.sheets.Sends[0]).toEqual(['key', 'period', 'to', 'cc', 'attachments', 'name', 'amount']);
    expect(state.gmail.length).toBeGreaterThan(20);
    expect(state.gmail[0]).toEqual({
      id: expect.any(String),
      threadId: expect.any(String),
      messageIdHeader: expect.any(String),
      labels: expect.any(Array),
      unread: expect.any(Boolean),
    });
    expect(state.sent).toHaveLength(1);
    expect(state.sent[0]).toMatchObject({
      to: 'equipe@opticiens-demo.fr',
      subject: 'Point hebdo',
      eml: `state.json.sent/${state.sent[0].id}.eml`,
    });
    const eml = readFileSync(join(dir, 'out', state.sent[0].eml), 'utf8');
    expect(eml).toMatch(/^Subject: Point hebdo\r?$/m);
    expect(state.accounting.executions).toBe(1);
    expect(state.accounting.recipients).toBe(1);
  });
});

describe('the built bundle through the CLI', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/Code.js'))) spawnSync('node', ['build.mjs', '--quiet'], { cwd: ROOT });
  });

  it('call getStatus prints the status', () => {
    const out = cli('call', 'getStatus', '--as', 'rpc', '--locale', 'en', '--user', 'paul@opticiens-demo.fr');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ app: 'Postroom', user: 'paul@opticiens-demo.fr', locale: 'en' });
  });

  it('demo opens Postroom on the demo workspace', () => {
    const out = cli('demo');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Postroom: Ouvrir le panneau → showSidebar');
    expect(out.stdout).toContain('26 messages, 26 unread');
  });
});

describe('numeric options are checked, for every command', () => {
  const cases: Array<[string[], string]> = [
    [['send', '--list', 'x.csv', '--files', '.', '--max', 'abc'], '--max must be a positive whole number (got "abc")'],
    [['send', '--list', 'x.csv', '--files', '.', '--max', '0'], '--max must be a positive whole number (got "0")'],
    [
      ['send', '--list', 'x.csv', '--files', '.', '--max-executions', '2.5'],
      '--max-executions must be a positive whole number (got "2.5")',
    ],
    [['collect', '--max', '1e3'], '--max must be a positive whole number (got "1e3")'],
    [['collect', '--max-executions', 'lots'], '--max-executions must be a positive whole number (got "lots")'],
    [['collect', '--seed', 'abc'], '--seed must be a non-negative integer (got "abc")'],
    [['send', '--list', 'x.csv', '--files', '.', '--kill-every', '-3'], '--kill-every must be a positive integer (got "-3")'],
    [['call', 'getStatus', '--fault-rate', 'x'], '--fault-rate must be a number between 0 and 1 (got "x")'],
    [['run', '--script', 'x.js', '--call', 'f', '--cpu-scale', 'fast'], '--cpu-scale must be a number above 0'],
  ];

  it.each(cases)('%j is refused with exit code 2 and a clear message, before anything runs', (args, message) => {
    const out = cli(...args);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stdout).toBe('');
  });
});

describe('send --list without --mailbox: the list replaces the demo send list', () => {
  const work = mkdtempSync(join(tmpdir(), 'postroom-cli-send-'));
  const files = join(work, 'pdf');

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/Code.js'))) spawnSync('node', ['build.mjs', '--quiet'], { cwd: ROOT });
    mkdirSync(files, { recursive: true });
    for (const key of ['K1', 'K2']) writeFileSync(join(files, `${key}.pdf`), makePdf([`Facture ${key}`]));
    writeFileSync(
      join(work, 'settings.json'),
      JSON.stringify({
        subjectTemplate: 'Facture {{key}} – {{name}}',
        textTemplate: 'Montant : {{amount}}',
        attachmentsFolder: 'Factures',
      }),
    );
  });

  function send(csv: string | Buffer, name: string, ...extra: string[]) {
    const list = join(work, `${name}.csv`);
    writeFileSync(list, csv);
    const state = join(work, name, 'state.json');
    const out = cli(
      'send',
      '--list',
      list,
      '--files',
      files,
      '--settings',
      join(work, 'settings.json'),
      '--state-out',
      state,
      '--cpu-time',
      'off',
      ...extra,
    );
    return { ...out, state: existsSync(state) ? JSON.parse(readFileSync(state, 'utf8')) : null, dir: join(work, name) };
  }

  it('a one-row list processes one row and mails no demo customer', () => {
    const out = send('key,period,to,cc,attachments,name,amount\nK1,2026-01,client@exemple.fr,,K1.pdf,Client Un,10\n', 'one-row');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ state: 'done', total: 1, sent: 1, failed: 0, sentMessagesInMailbox: 1 });
    expect(out.state.sent.map((m: { to: string }) => m.to)).toEqual(['client@exemple.fr']);
    expect(out.state.sheets.Sends.slice(0, 2).map((row: string[]) => row.slice(0, 7))).toEqual([
      ['key', 'period', 'to', 'cc', 'attachments', 'name', 'amount'],
      ['K1', '2026-01', 'client@exemple.fr', '', 'K1.pdf', 'Client Un', '10'],
    ]);
    expect(out.state.sheets.Sends.slice(2).every((row: string[]) => !/C-10\d\d/.test(row.join(' ')))).toBe(true);
    expect(out.stderr).toContain('no demo send list: the command brings its own');
  });

  it('a list with fewer columns in another order is read as it is (no demo column survives)', () => {
    // Six columns in another order than the demo's seven: merged over the demo's header, the demo's 7th
    // column ("amount") would survive next to this list's own (a second "amount" column).
    const out = send(
      'to;key;attachments;period;name;amount\nun@exemple.fr;K1;K1.pdf;2026-01;Un;1\ndeux@exemple.fr;K2;K2.pdf;2026-01;Deux;2\n',
      'narrow',
    );
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ state: 'done', total: 2, sent: 2, failed: 0 });
    expect(out.state.sent.map((m: { to: string }) => m.to).sort()).toEqual(['deux@exemple.fr', 'un@exemple.fr']);
    const header: string[] = out.state.sheets.Sends[0];
    expect(header.slice(0, 6)).toEqual(['to', 'key', 'attachments', 'period', 'name', 'amount']);
    // (The job appends its own columns, cc and status among them; no name appears twice.)
    expect(new Set(header).size).toBe(header.length);
  });

  it('decodes a Windows-1252 CSV as Windows-1252, with a notice: "Lycée" and "€" reach the subject intact', async () => {
    const csv = Buffer.from(
      'key;period;to;attachments;name;amount\r\nK1;2026-01;intendance@lycee.fr;K1.pdf;Lycée Jean Moulin;312,00 €\r\n',
      'utf8',
    )
      .toString('utf8')
      .replace('é', '\u0000')
      .replace('€', '\u0001');
    const bytes = Buffer.from(csv, 'latin1');
    bytes[bytes.indexOf(0)] = 0xe9; // é in Windows-1252
    bytes[bytes.indexOf(1)] = 0x80; // € in Windows-1252
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const out = send(bytes, 'cp1252', '--sent-out', join(work, 'cp1252', 'sent'));
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('is not UTF-8; read as Windows-1252');
    const emls = readdirSync(join(work, 'cp1252', 'sent'));
    expect(emls).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(work, 'cp1252', 'sent', emls[0])));
    expect(mail.subject).toBe('Facture K1 – Lycée Jean Moulin');
    expect(mail.text).toContain('Montant : 312,00 €');
    expect(mail.subject).not.toContain('\uFFFD');
  }, 60_000); // async (mailparser): jest's 5 s default would count the CLI run under a loaded machine

  it('says why a row or a filter is refused in the workspace language: French reasons in a French workspace, English in an English one', () => {
    const csv = 'key,period,to,attachments,name,amount\nK1,2026-01,pas-une-adresse,K1.pdf,Un,1\nK2,2026-13,deux@exemple.fr,K2.pdf,Deux,2\n';
    const fr = send(csv, 'reasons-fr', '--locale', 'fr');
    expect(fr.code).toBe(0);
    expect(fr.stderr).toContain('Adresse to invalide « pas-une-adresse » : il manque le @');
    expect(fr.stderr).toContain('Période invalide : « 2026-13 » n’a pas de mois 13');
    expect(fr.stderr).not.toMatch(/missing @|has no month/);
    const en = send(csv, 'reasons-en', '--locale', 'en');
    expect(en.stderr).toContain('Invalid to address "pas-une-adresse": missing @');
    expect(en.stderr).toContain('Invalid period: "2026-13" has no month 13');
    const badFilter = send(csv, 'filter-fr', '--locale', 'fr', '--period', '2026-13');
    expect(badFilter.code).toBe(1);
    expect(JSON.parse(badFilter.stdout).error).toBe('période : « 2026-13 » n’a pas de mois 13');
    const log = cli('call', 'getSendLog', '--as', 'rpc', '--locale', 'fr', '--args', '[42]');
    expect(log.code).toBe(1);
    expect(log.stderr).toContain('runId : un identifiant d’envoi est attendu, reçu 42');
  }, 60_000);

  it('refuses a UTF-16 CSV with a clear message', () => {
    const out = send(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('key,to\n', 'utf16le')]), 'utf16');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('is UTF-16 text; save it as "CSV UTF-8"');
  });
});
