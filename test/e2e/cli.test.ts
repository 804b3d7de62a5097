// The local CLI as users run it (`tsx emulator/cli.ts …`, what `npm run local --` does after the
// build): `run` on a plain Apps Script file prints the function's JSON result; a script touching a
// Node global fails; bad options exit with code 2; --state-out writes the documented shape with the
// sent messages' bytes beside it; `call` and `demo` run the built bundle.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
    const out = cli('run', '--script', script, '--call', 'total', '--args', '[[10, 20.5], 0.2]', '--now', '2026-02-01T10:00:00Z', '--cpu-time', 'off');
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
    const off = cli('run', '--script', script, '--call', 'busy', '--args', '[30000000]', '--now', '2026-01-15T08:00:00Z', '--cpu-time', 'off');
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
    expect(state.drive[0]).toEqual({ path: expect.any(String), id: expect.any(String), size: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), mimeType: 'application/pdf' });
    expect(state.sheets.Sends[0]).toEqual(['key', 'period', 'to', 'cc', 'attachments', 'name', 'amount']);
    expect(state.gmail.length).toBeGreaterThan(20);
    expect(state.gmail[0]).toEqual({ id: expect.any(String), threadId: expect.any(String), messageIdHeader: expect.any(String), labels: expect.any(Array), unread: expect.any(Boolean) });
    expect(state.sent).toHaveLength(1);
    expect(state.sent[0]).toMatchObject({ to: 'equipe@opticiens-demo.fr', subject: 'Point hebdo', eml: `state.json.sent/${state.sent[0].id}.eml` });
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
