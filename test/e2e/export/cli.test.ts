// `npm run local -- export` as users and the acceptance tests run it (tsx emulator/cli.ts export …):
// the files the export stored in Drive copied into --out under their Drive names, exit 0 when the
// export completed; bad options exit non-zero with the reason and copy nothing.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureMessages } from './fixtures';
import { ensureBuilt, ROOT } from './helpers';

const TSX = join(ROOT, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'postroom-export-cli-'));
const mailbox = join(dir, 'mailbox');

function cli(...args: string[]) {
  const result = spawnSync(TSX, ['emulator/cli.ts', 'export', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  ensureBuilt();
  mkdirSync(mailbox, { recursive: true });
  (await fixtureMessages()).forEach((raw, i) => writeFileSync(join(mailbox, `m${i}.eml`), raw));
});

it('exports the mailbox and copies the files into --out (exit 0)', () => {
  const out = join(dir, 'out1');
  const result = cli(
    '--mailbox',
    mailbox,
    '--out',
    out,
    '--batch-size',
    '4',
    '--include-attachments',
    '--now',
    '2026-01-20T09:00:00Z',
    '--state-out',
    join(dir, 'state.json'),
  );
  expect(result.stderr).not.toContain('refused');
  expect(result.code).toBe(0);
  expect(readdirSync(out).sort()).toEqual(['attachments', 'manifest.json', 'messages-00001.json', 'messages-00002.json']);
  expect(readdirSync(join(out, 'attachments'))).toHaveLength(3);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  expect(manifest).toMatchObject({ state: 'done', counts: { selected: 6, exported: 6, files: 2 } });
  const messages = JSON.parse(readFileSync(join(out, 'messages-00001.json'), 'utf8'));
  expect(messages).toHaveLength(4);
  expect(existsSync(join(dir, 'state.json'))).toBe(true);
  expect(result.stdout).toContain('6 messages exportés dans 2 fichiers');
});

it('with --max, --query, --kill-every and --fault-rate it still ends complete', () => {
  const out = join(dir, 'out2');
  const result = cli(
    '--mailbox',
    mailbox,
    '--out',
    out,
    '--query',
    'facture OR reçu',
    '--max',
    '1',
    '--kill-every',
    '60',
    '--fault-rate',
    '0.15',
    '--seed',
    '4',
    '--user',
    'compta@opticiens-demo.fr',
  );
  expect(result.code).toBe(0);
  const messages = JSON.parse(readFileSync(join(out, 'messages-00001.json'), 'utf8'));
  expect(messages.map((m: { Subject: string }) => m.Subject)).toEqual(['Reçu — quoted-printable UTF-8 : ça coûte 15 €']);
});

it.each([
  [['--kill-every', '10'], 0],
  [['--kill-every', '12', '--include-attachments'], 3],
  [['--kill-every', '10', '--fault-rate', '0.15', '--seed', '7'], 0],
  [['--kill-every', '12', '--include-attachments', '--fault-rate', '0.15', '--seed', '7'], 3],
  [['--kill-every', '10', '--addon'], 0],
  [['--kill-every', '12', '--include-attachments', '--addon'], 3],
  [['--kill-every', '10', '--addon', '--fault-rate', '0.15', '--seed', '7'], 0],
])('at the smallest kill interval that still progresses (%j) it ends complete, each message once', (args, attachments) => {
  const out = join(dir, `floor-${args.join('')}`);
  const result = cli('--mailbox', mailbox, '--out', out, '--batch-size', '2', ...args);
  expect(result.code).toBe(0);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  expect(manifest).toMatchObject({ state: 'done', counts: { selected: 6, exported: 6 } });
  const names = readdirSync(out).filter((name) => /^messages-\d{5}\.json$/.test(name));
  expect(names.sort()).toEqual(manifest.files.map((f: { name: string }) => f.name).sort());
  const ids = names.flatMap((name) =>
    JSON.parse(readFileSync(join(out, name), 'utf8')).map((m: { 'Message-ID': string }) => m['Message-ID']),
  );
  expect(ids).toHaveLength(6);
  expect(new Set(ids).size).toBe(6);
  expect(existsSync(join(out, 'attachments')) ? readdirSync(join(out, 'attachments')).length : 0).toBe(attachments);
});

it.each([
  [['--batch-size', '0'], /batchSize (must be|doit être)/],
  [['--batch-size', 'many'], /--batch-size must be a whole number/],
  [['--since', 'hier'], /since (must be|doit valoir)/],
  [['--max', '0'], /max (must be|doit être)/],
])('refuses %j with the reason and a non-zero exit, copying nothing', (args, reason) => {
  const out = join(dir, `bad-${args.join('')}`);
  const result = cli('--mailbox', mailbox, '--out', out, ...args);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(reason);
  expect(existsSync(out)).toBe(false);
});

it('needs --out and --mailbox', () => {
  expect(cli('--mailbox', mailbox)).toMatchObject({ code: 2, stderr: expect.stringContaining('export needs --out DIR') });
  expect(cli('--out', join(dir, 'x'))).toMatchObject({ code: 2, stderr: expect.stringContaining('export needs --mailbox DIR') });
});
