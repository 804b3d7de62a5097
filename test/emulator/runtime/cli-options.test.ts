// The CLI's common options in-process (emulator/cli.ts `main`): --settings stored where the app
// reads them (user properties, postroom.settings.<job>, JSON), a job command's flat settings, the
// 9 KB property limit surfacing as a usage error, --mailbox from an .eml directory and an mbox, and
// the command registry.

import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCommand } from '../../../emulator/cli-commands';
import { main } from '../../../emulator/cli';
import type { Workspace } from '../../../emulator/workspace';
import { generateDemoMailbox } from '../../../emulator/demo/demo-mailbox';

const dir = mkdtempSync(join(tmpdir(), 'postroom-cli-options-'));
let seen: Workspace | null = null;

registerCommand('probe-job', {
  summary: 'test command bound to the collect job',
  job: 'collect',
  flags: { deep: 'boolean' },
  run(cli) {
    seen = cli.workspace;
    cli.printJson({ flags: cli.flags, positional: cli.positional });
    return 0;
  },
});

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

beforeEach(() => {
  seen = null;
});

describe('--settings', () => {
  it('stores each job of a keyed object in the user properties as JSON', async () => {
    const settings = file('keyed.json', JSON.stringify({ collect: { query: 'has:attachment' }, send: { dryRun: true } }));
    const out = await run('probe-job', '--settings', settings);
    expect(out.code).toBe(0);
    const user = seen!.properties.user.values;
    expect(JSON.parse(user.get('postroom.settings.collect')!)).toEqual({ query: 'has:attachment' });
    expect(JSON.parse(user.get('postroom.settings.send')!)).toEqual({ dryRun: true });
  });

  it("stores a flat object as the command's job", async () => {
    const settings = file('flat.json', JSON.stringify({ query: 'from:factures@fournisseur-verre.fr' }));
    await run('probe-job', '--settings', settings, '--deep', 'extra');
    expect(JSON.parse(seen!.properties.user.values.get('postroom.settings.collect')!)).toEqual({
      query: 'from:factures@fournisseur-verre.fr',
    });
  });

  it('refuses a flat object for a command without a job, invalid JSON, and a value over 9 KB', async () => {
    const script = file('noop.js', 'function f() { return 1; }');
    const flat = await run('run', '--script', script, '--call', 'f', '--settings', file('flat2.json', '{"query":"x"}'));
    expect(flat.code).toBe(2);
    expect(flat.stderr).toContain('expected an object keyed by job');
    const broken = await run('probe-job', '--settings', file('broken.json', '{'));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('is not valid JSON');
    const huge = await run('probe-job', '--settings', file('huge.json', JSON.stringify({ collect: { note: 'x'.repeat(10_000) } })));
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/--settings: .+/);
  });
});

describe('--mailbox and the other common options', () => {
  it('imports a directory of .eml files unread in INBOX instead of the demo', async () => {
    const mailDir = join(dir, 'mails');
    mkdirSync(mailDir, { recursive: true });
    for (const message of generateDemoMailbox().slice(0, 3)) writeFileSync(join(mailDir, message.name), message.bytes);
    await run(
      'probe-job',
      '--mailbox',
      mailDir,
      '--user',
      'Autre@Exemple.fr',
      '--now',
      '2026-06-01T12:00:00Z',
      '--locale',
      'en',
      '--addon',
    );
    const state = seen!.mailbox.dumpState();
    expect(state).toHaveLength(3);
    expect(state.every((m) => m.unread && m.labels.includes('INBOX'))).toBe(true);
    expect(seen!.session).toMatchObject({ userEmail: 'autre@exemple.fr', locale: 'en' });
    expect(seen!.addonMode).toBe(true);
    expect(seen!.clock.now()).toBe(Date.parse('2026-06-01T12:00:00Z'));
    expect(seen!.drive.listFiles()).toHaveLength(0);
  });

  it('imports an mbox file', async () => {
    const messages = generateDemoMailbox().slice(0, 4);
    const mbox = messages
      .map((m) => `From postroom@localhost Thu Jan  1 00:00:00 2026\n${m.bytes.toString('utf8').replace(/\r\n/g, '\n')}\n`)
      .join('');
    await run('probe-job', '--mailbox', file('box.mbox', mbox));
    expect(seen!.mailbox.dumpState()).toHaveLength(4);
  });

  it('refuses missing files and bad values with exit code 2', async () => {
    expect((await run('probe-job', '--mailbox', join(dir, 'nope'))).stderr).toContain('no such file or directory');
    expect((await run('probe-job', '--now', 'yesterday')).code).toBe(2);
    expect((await run('probe-job', '--kill-every', '0')).stderr).toContain('--kill-every must be a positive integer');
    expect((await run('probe-job', '--time-zone', 'Mars/Olympus')).code).toBe(2);
    expect((await run('probe-job', '--deep=yes')).stderr).toContain('--deep takes no value');
  });

  it('passes its own flags and positional arguments to the command', async () => {
    const out = await run('probe-job', 'one', '--deep', 'two', '--seed', '4');
    expect(JSON.parse(out.stdout)).toEqual({ flags: { deep: true }, positional: ['one', 'two'] });
    expect(seen!.seed).toBe(4);
  });
});

describe('the command registry', () => {
  it('refuses a second command of the same name unless replacing', () => {
    expect(() => registerCommand('probe-job', { summary: 'again', run: () => 0 })).toThrow('already registered');
    expect(() => registerCommand('probe-job', { summary: 'again', run: () => 0 }, { replace: true })).not.toThrow();
  });
});

describe('numeric options of every registered command', () => {
  it("refuses a non-number for every 'count' flag, before the command runs", async () => {
    await run('help'); // loads the command files
    const { listCommands } = await import('../../../emulator/cli-commands');
    const counted = listCommands().flatMap(([name, spec]) =>
      Object.entries(spec.flags ?? {})
        .filter(([, kind]) => kind === 'count')
        .map(([flag]) => [name, flag] as const),
    );
    expect(counted).toEqual(
      expect.arrayContaining([
        ['send', 'max'],
        ['send', 'max-executions'],
        ['collect', 'max'],
        ['collect', 'max-executions'],
      ]),
    );
    for (const [command, flag] of counted) {
      for (const bad of ['abc', '0', '-1', '2.5', '1e3', '']) {
        const out = await run(command, `--${flag}=${bad}`);
        expect(out.code).toBe(2);
        expect(out.stderr).toContain(`--${flag} must be a positive whole number (got "${bad}")`);
      }
    }
  });
});
