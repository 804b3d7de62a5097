// `npm run local -- send`: the CSV and files of the demo send list through the CLI (in process), the
// summary on stdout, every SENT message written as .eml and readable by mailparser; and the CSV reader.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../emulator/cli';
import { parseCsv } from '../../../emulator/commands/send';
import { writeDemoFiles } from '../../../emulator/demo/index';
import { simpleParser } from '../../unit/send/parse-mail';
import { ensureBuilt } from './helpers';

beforeAll(ensureBuilt);

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('npm run local -- send', () => {
  it('sends the demo list: invalid rows failed, the others written as .eml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'postroom-send-'));
    const demo = writeDemoFiles(dir);
    const out = join(dir, 'sent');
    const result = await cli(['send', '--list', demo.sendListCsv, '--files', demo.sendPdfDir, '--sent-out', out]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      state: 'done',
      total: 12,
      sent: 10,
      failed: 2,
      remaining: 0,
      sentMessagesInMailbox: 10,
      emlWritten: 10,
      error: null,
    });
    expect(result.stderr).toContain('✅ Envoi terminé : 10 succès, 2 erreur(s) sur 12 facture(s)');
    const files = readdirSync(out).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(10);
    const mail = await simpleParser(readFileSync(join(out, files[0])));
    expect(mail.subject).toBe('Votre facture C-1001 - 2026-01');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['F-2026-01-C-1001.pdf']);
    expect(mail.attachments[0].content.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('takes --settings (flat send keys) and a --max filter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'postroom-send-'));
    const demo = writeDemoFiles(dir);
    const settings = join(dir, 'send.json');
    writeFileSync(
      settings,
      JSON.stringify({
        subjectTemplate: 'Facture {{key}} pour {{name}}',
        textTemplate: 'Montant : {{amount}} €',
        attachmentsFolder: 'Factures/2026-01',
      }),
    );
    const result = await cli(['send', '--list', demo.sendListCsv, '--files', demo.sendPdfDir, '--settings', settings, '--max', '3']);
    expect(result.code).toBe(0);
    // The two invalid rows fail at planning; three valid rows are sent.
    expect(JSON.parse(result.stdout)).toMatchObject({ state: 'done', sent: 3, failed: 2, sentMessagesInMailbox: 3 });
  });

  it('refuses a missing --list with a usage error', async () => {
    const result = await cli(['send', '--files', '.']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('send needs --list');
  });
});

describe('parseCsv', () => {
  it('reads RFC 4180 quotes, CRLF, and a semicolon-separated export', () => {
    expect(parseCsv('key,to,note\r\nK1,"a@x.fr, b@x.fr","dit ""bonjour""\nsur deux lignes"\r\n')).toEqual([
      ['key', 'to', 'note'],
      ['K1', 'a@x.fr, b@x.fr', 'dit "bonjour"\nsur deux lignes'],
    ]);
    expect(parseCsv('\uFEFFkey;période;montant\nK2;2026-01;1 240,00\n\n')).toEqual([
      ['key', 'période', 'montant'],
      ['K2', '2026-01', '1 240,00'],
    ]);
  });
});
