// The send extras on `npm run local -- send` (in process), as the acceptance tests outside the repo use
// them: --test-row N (only the test of row N, to the user, written to --sent-out and read back by
// mailparser), --draft "SUBJECT" (a draft .eml with X-Gmail-Labels: DRAFT in --mailbox), --from ALIAS
// (and an unverified alias refused), --bounce, and the send log printed after a send.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../emulator/cli';
import { gmailDraftEml, PDF_CGV, PNG_1X1 } from '../../fixtures/gmail-draft';
import { simpleParser } from '../../unit/send/parse-mail';
import { ensureBuilt } from '../send/helpers';

beforeAll(ensureBuilt);

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function listDir(rows = 3): { dir: string; list: string; files: string } {
  const dir = mkdtempSync(join(tmpdir(), 'postroom-extras-'));
  const files = join(dir, 'pdf');
  mkdirSync(files);
  const lines = ['key,period,to,attachments,nom'];
  for (let i = 1; i <= rows; i++) {
    lines.push(`CCT${i},2026-01,client${i}@exemple.fr,FACTURE_{{key}}_{{period}}*.pdf,Client ${i}`);
    writeFileSync(join(files, `FACTURE_CCT${i}_2026-01.pdf`), `%PDF-1.4 facture ${i}\n%%EOF\n`);
  }
  const list = join(dir, 'envois.csv');
  writeFileSync(list, lines.join('\n') + '\n');
  return { dir, list, files };
}

/** A mailbox directory with one ordinary received message (the CLI then leaves the demo workspace out). */
function plainMailbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mailbox-'));
  writeFileSync(
    join(dir, 'hello.eml'),
    'From: a@exemple.fr\r\nTo: compta@acuitis.fr\r\nSubject: Bonjour\r\nDate: Mon, 5 Jan 2026 10:00:00 +0000\r\n\r\nBonjour\r\n',
  );
  return dir;
}

describe('npm run local -- send (extras)', () => {
  it('--test-row 2 --draft --from: only the test of row 2, to the user, from the alias, with the draft images and files', async () => {
    const { dir, list, files } = listDir();
    const mailbox = join(dir, 'mailbox');
    mkdirSync(mailbox);
    writeFileSync(
      join(mailbox, 'draft.eml'),
      gmailDraftEml({
        subject: 'Votre facture {{key}}',
        text: 'Bonjour {{nom}}',
        html: '<p>Bonjour {{nom}}</p><img src="cid:logo">',
        inline: { cid: 'logo', filename: 'logo.png', bytes: PNG_1X1 },
        attachment: { filename: 'CGV.pdf', bytes: PDF_CGV },
      }),
    );
    const out = join(dir, 'sent');
    const result = await cli([
      'send',
      '--list',
      list,
      '--files',
      files,
      '--mailbox',
      mailbox,
      '--user',
      'compta@acuitis.fr',
      '--draft',
      'Votre facture {{key}}',
      '--from',
      'factures@acuitis.fr',
      '--test-row',
      '2',
      '--sent-out',
      out,
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ emlWritten: 1, test: { row: 2, to: 'compta@acuitis.fr', subject: '[TEST] Votre facture CCT2' } });
    const emls = readdirSync(out);
    expect(emls).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(out, emls[0])));
    expect(mail.subject).toBe('[TEST] Votre facture CCT2');
    expect(mail.from?.value[0].address).toBe('factures@acuitis.fr');
    expect(mail.text?.trim()).toBe('Bonjour Client 2');
    const atts = mail.attachments as Array<{ filename?: string; related?: boolean; contentId?: string; content: Buffer }>;
    expect(atts.find((a) => a.related)?.contentId).toBe('<logo>');
    expect(atts.filter((a) => !a.related).map((a) => a.filename)).toEqual(['CGV.pdf', 'FACTURE_CCT2_2026-01.pdf']);
    expect(atts.find((a) => a.filename === 'FACTURE_CCT2_2026-01.pdf')?.content.toString()).toContain('facture 2');
  });

  it('a whole send from a verified alias prints its send log; an unverified alias is refused at planning', async () => {
    const { list, files } = listDir();
    const ok = await cli([
      'send',
      '--list',
      list,
      '--files',
      files,
      '--mailbox',
      plainMailbox(),
      '--from',
      'factures@acuitis.fr',
      '--bounce',
      'client3@exemple.fr',
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ state: 'done', sent: 3 });
    expect(ok.stderr).toContain('Début de l’envoi de 3 emails');
    expect(ok.stderr).toMatch(/Email envoyé \(ID : [0-9a-f]{16}\) à client1@exemple\.fr/);
    expect(ok.stderr).toMatch(/Envoi terminé : 3 succès, 0 erreur\(s\) sur 3 emails \(temps total : /);
    expect(ok.stderr).toContain('row 4 bounced: client3@exemple.fr');
    const refused = await cli([
      'send',
      '--list',
      list,
      '--files',
      files,
      '--mailbox',
      plainMailbox(),
      '--send-as',
      'pending:nouveau@acuitis.fr',
      '--from',
      'nouveau@acuitis.fr',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/nouveau@acuitis\.fr .*(not verified|pas encore validée)/);
  });

  it('--test-row past the end, and a draft subject that is not in the mailbox, are clear errors', async () => {
    const { list, files } = listDir(1);
    const past = await cli(['send', '--list', list, '--files', files, '--mailbox', plainMailbox(), '--test-row', '5']);
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/row 5|ligne 5/);
    const noDraft = await cli(['send', '--list', list, '--files', files, '--mailbox', plainMailbox(), '--draft', 'Inconnu']);
    expect(noDraft.code).toBe(1);
    expect(noDraft.stderr).toMatch(/Inconnu/);
  });
});
