// `npm run preview` with the CLI's workspace options: it prints its http://127.0.0.1:PORT/ line and
// serves the built sidebar over the workspace those options describe (here a send list from disk).

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(60_000);
const ROOT = join(__dirname, '../..');

it('prints its URL and serves the sidebar over --list / --files / --locale', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'postroom-preview-'));
  writeFileSync(join(dir, 'list.csv'), 'key;period;to;attachments\nK1;2026-02;a@exemple.fr;F1.pdf\nK2;2026-02;b@exemple.fr;F2.pdf\n');
  mkdirSync(join(dir, 'pdf'));
  writeFileSync(join(dir, 'pdf', 'F1.pdf'), '%PDF-1.4\n%%EOF\n');
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      'emulator/preview.ts',
      '--list',
      join(dir, 'list.csv'),
      '--files',
      join(dir, 'pdf'),
      '--locale',
      'en',
      '--user',
      'ap@exemple.fr',
      '--now',
      '2026-02-03T10:00:00+01:00',
      '--port',
      '0',
    ],
    { cwd: ROOT },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`preview exited with ${code}`)));
    });
    const page = await (await fetch(url)).text();
    expect(page).toContain('google.script.run');
    // The icon a browser asks for by itself is no error (no 404 in the page's console).
    expect((await fetch(`${url}favicon.ico`)).status).toBe(204);
    expect((await fetch(`${url}nothing-here`)).status).toBe(404);
    const plan = await (await fetch(`${url}rpc/planSend`, { method: 'POST', body: '[{}]' })).json();
    expect(plan.ok).toBe(true);
    expect(plan.value.counts).toMatchObject({ ready: 1, invalid: 1 });
    expect(plan.value.invalid[0].reason).toBe('Attachment not found: F2.pdf');
    const status = await (await fetch(`${url}rpc/getStatus`, { method: 'POST', body: '[]' })).json();
    expect(status.value).toMatchObject({ user: 'ap@exemple.fr', locale: 'en' });
  } finally {
    child.kill();
  }
});
