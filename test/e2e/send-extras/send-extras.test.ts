// The send extras through the BUILT bundle in the emulator, as the sidebar and the triggers call them:
// the test send (read back with mailparser), a Gmail draft with an inline image and an attachment
// merged into 20 rows, send-as (verified goes, unverified refused at planning), attachment patterns
// matching 0, 1 and 2 files, duplicates, three bounces among 50 sends, the lasting send log and a
// scheduled send starting on time in Europe/Paris across the spring DST change.

import { driveSend, SENDS_TAB } from '../../../emulator/commands/send';
import { gmailDraftEml, PDF_CGV, PNG_1X1 } from '../../fixtures/gmail-draft';
import { ensureBuilt, FOLDER, invoiceRows, parsedSent, pdfFor, sendRows, setupSend, tab } from '../send/helpers';

beforeAll(() => ensureBuilt());

const USER = 'comptabilite@acuitis.fr';
type Json = Record<string, unknown>;

function value<T = Json>(result: { outcome: string; value?: unknown; error?: { message: string } }): T {
  if (result.outcome !== 'completed') throw new Error(`${result.outcome}: ${result.error?.message}`);
  return result.value as T;
}

describe('test send', () => {
  it('renders row N as it would go out, to the user, "[TEST]"; row and daily count untouched', async () => {
    const { workspace, runner } = setupSend(invoiceRows(3));
    const result = value<Json>(runner.rpc('sendTest', { row: 2 }));
    expect(result).toMatchObject({
      row: 2,
      sheetRow: 3,
      to: USER,
      subject: '[TEST] Votre facture CCT0002 – période 2026-01',
      quotaUnits: 100,
    });
    const [mail] = await parsedSent(workspace);
    expect(mail.subject).toBe('[TEST] Votre facture CCT0002 – période 2026-01');
    expect(mail.to && 'value' in mail.to ? mail.to.value.map((a) => a.address) : []).toEqual([USER]);
    expect(mail.text).toContain('Société Élan n°2');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['FACTURE_CCT0002.pdf']);
    expect(mail.attachments[0].content.equals(pdfFor('CCT0002'))).toBe(true);
    expect(sendRows(workspace).map((r) => r.status)).toEqual(['', '', '']);
    // The real send afterwards sends all three (the test did not take a row).
    expect(driveSend(runner).final?.progress).toMatchObject({ state: 'done', sent: 3 });
    expect(workspace.mailbox.sentMessages()).toHaveLength(4);
  });

  it('a row that cannot be sent is refused with its reason; a row number past the end too', () => {
    const rows = invoiceRows(2);
    rows[1].to = 'pas-une-adresse';
    const { runner } = setupSend(rows);
    expect(runner.rpc('sendTest', { row: 2 }).error?.message).toMatch(/La ligne 2 ne peut pas être envoyée : Adresse to invalide/);
    expect(runner.rpc('sendTest', { row: 9 }).error?.message).toMatch(/pas de ligne 9/);
  });
});

describe('a Gmail draft as template', () => {
  it('merged into 20 rows: placeholders filled, inline image (cid) and the draft attachment on every message, the row PDF on top', async () => {
    const { workspace, runner } = setupSend(invoiceRows(20));
    workspace.mailbox.importExported(
      new Uint8Array(
        gmailDraftEml({
          subject: 'Facture {{key}} – {{name}}',
          text: 'Bonjour {{name}},\nmontant {{amount}} €',
          html: '<p>Bonjour {{name}},</p><img src="cid:ii_logo" alt="logo"><p>Montant {{amount}} €</p>',
          inline: { cid: 'ii_logo', filename: 'logo.png', bytes: PNG_1X1 },
          attachment: { filename: 'CGV.pdf', bytes: PDF_CGV },
        }),
      ),
    );
    const digests = workspace.accounting.callsMatching('Utilities.computeDigest');
    const drafts = value<Array<Json>>(runner.rpc('listDrafts'));
    expect(drafts).toEqual([expect.objectContaining({ subject: 'Facture {{key}} – {{name}}', attachments: 1, inlineImages: 1 })]);
    // The draft's parts are hashed by the platform (logo, CGV, then the fingerprint), not in JavaScript.
    expect(workspace.accounting.callsMatching('Utilities.computeDigest') - digests).toBe(3);
    value(runner.rpc('chooseDraft', { subject: 'facture {{key}} – {{name}}' }));
    const out = driveSend(runner);
    expect(out.final?.progress).toMatchObject({ state: 'done', sent: 20, failed: 0 });
    const mails = await parsedSent(workspace);
    expect(mails).toHaveLength(20);
    mails.forEach((mail, i) => {
      const key = `CCT${String(i + 1).padStart(4, '0')}`;
      expect(mail.subject).toBe(`Facture ${key} – Société Élan n°${i + 1}`);
      expect(mail.html).toContain(`Bonjour Société Élan n°${i + 1}`);
      const atts = mail.attachments as Array<{ filename?: string; contentId?: string; related?: boolean; content: Buffer }>;
      const logo = atts.find((a) => a.filename === 'logo.png');
      expect(logo?.contentId).toBe('<ii_logo>');
      expect(logo?.content.equals(PNG_1X1)).toBe(true);
      expect(atts.filter((a) => !a.related).map((a) => a.filename)).toEqual(['CGV.pdf', `FACTURE_${key}.pdf`]);
    });
  });

  it('a draft changed after the plan pauses the send before any message is built; cancel still works', () => {
    const { workspace, runner } = setupSend(invoiceRows(3));
    const draft = workspace.mailbox.importExported(
      new Uint8Array(gmailDraftEml({ subject: 'Modèle', text: 'Bonjour {{name}}', html: '<p>Bonjour {{name}}</p>' })),
    );
    value(runner.rpc('chooseDraft', { subject: 'Modèle' }));
    value(runner.rpc('planSend', {}));
    const [{ draftId }] = workspace.mailbox.drafts().filter((d) => d.message.id === draft.id);
    workspace.mailbox.deleteDraft(draftId);
    workspace.mailbox.createDraft(new Uint8Array(gmailDraftEml({ subject: 'Modèle', text: 'Bonjour {{name}} (v2)', html: '<p>v2</p>' })));
    const start = value<{ progress: { state: string; events: string[] } }>(runner.rpc('startSend'));
    expect(start.progress.state).toBe('paused');
    expect(start.progress.events.at(-1)).toMatch(/^⏸️ Envoi mis en pause par le brouillon « Modèle » supprimé/);
    expect(workspace.mailbox.sentMessages()).toHaveLength(0);
    // Resuming does not send from a template nobody planned: it pauses again.
    expect(value<{ progress: { state: string } }>(runner.rpc('resumeSend')).progress.state).toBe('paused');
    expect(value<{ progress: { state: string } }>(runner.rpc('cancelSend')).progress.state).toBe('cancelled');
    expect(workspace.mailbox.sentMessages()).toHaveLength(0);
    expect(sendRows(workspace).map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
  });
});

describe('a draft changed while a send is planned', () => {
  it('choosing the new draft again is taking it: the test and the planned send both use it', () => {
    const { workspace, runner } = setupSend(invoiceRows(2));
    workspace.mailbox.importExported(
      new Uint8Array(gmailDraftEml({ subject: 'Modèle', text: 'Bonjour {{name}}', html: '<p>Bonjour {{name}}</p>' })),
    );
    value(runner.rpc('chooseDraft', { subject: 'Modèle' }));
    value(runner.rpc('planSend', {}));
    const [{ draftId }] = workspace.mailbox.drafts();
    workspace.mailbox.deleteDraft(draftId);
    workspace.mailbox.createDraft(
      new Uint8Array(gmailDraftEml({ subject: 'Modèle', text: 'Salut {{name}}', html: '<p>Salut {{name}}</p>' })),
    );
    expect(runner.rpc('chooseDraft', { subject: 'Modèle' }).outcome).toBe('completed');
    // The choice is what every execution checks the draft against: choosing again accepts the new one.
    const test = value<{ subject: string }>(runner.rpc('sendTest', { row: 1 }));
    expect(test.subject).toBe('[TEST] Modèle');
    expect(Buffer.from(workspace.mailbox.sentMessages()[0].raw).toString('latin1')).toContain('Salut Soci');
    expect(driveSend(runner, { filter: 'planned' }).final?.progress).toMatchObject({ state: 'done', sent: 2 });
  });

  it('a test send does not take a changed draft for the planned send', () => {
    const { workspace, runner } = setupSend(invoiceRows(2));
    workspace.mailbox.importExported(
      new Uint8Array(gmailDraftEml({ subject: 'Modèle', text: 'Bonjour {{name}}', html: '<p>Bonjour {{name}}</p>' })),
    );
    value(runner.rpc('chooseDraft', { subject: 'Modèle' }));
    value(runner.rpc('planSend', {}));
    const [{ draftId }] = workspace.mailbox.drafts();
    workspace.mailbox.deleteDraft(draftId);
    workspace.mailbox.createDraft(
      new Uint8Array(gmailDraftEml({ subject: 'Modèle', text: 'Salut {{name}}', html: '<p>Salut {{name}}</p>' })),
    );
    expect(runner.rpc('sendTest', { row: 1 }).error?.message).toMatch(/n’existe plus/);
    const start = value<{ progress: { state: string } }>(runner.rpc('startSend'));
    expect(start.progress.state).toBe('paused');
    expect(workspace.mailbox.sentMessages()).toHaveLength(0);
  });
});

describe('send-as', () => {
  it('a verified alias is the From of every message; an unverified one is refused at planning with the reason', async () => {
    const { workspace, runner } = setupSend(invoiceRows(2));
    workspace.mailbox.addSendAs({ email: 'factures@acuitis.fr', displayName: 'Factures Acuitis' });
    workspace.mailbox.addSendAs({ email: 'nouveau@acuitis.fr', verified: false });
    const aliases = value<Array<Json>>(runner.rpc('listSendAs'));
    expect(aliases.map((a) => [a.email, a.verificationStatus])).toEqual([
      [USER, 'accepted'],
      ['factures@acuitis.fr', 'accepted'],
      ['nouveau@acuitis.fr', 'pending'],
    ]);
    expect(runner.rpc('setSendFrom', { alias: 'nouveau@acuitis.fr' }).error?.message).toMatch(/pas encore validée/);
    value(runner.rpc('setSendFrom', { alias: 'factures@acuitis.fr' }));
    expect(driveSend(runner).final?.progress).toMatchObject({ state: 'done', sent: 2 });
    const mails = await parsedSent(workspace);
    expect(mails.map((m) => m.from?.value[0].address)).toEqual(['factures@acuitis.fr', 'factures@acuitis.fr']);
    // The alias loses its verification: the next plan is refused, nothing leaves.
    workspace.mailbox.addSendAs({ email: 'factures@acuitis.fr', verified: false });
    const sheet = workspace.sheets.tabValues(workspace.containerId as string)[SENDS_TAB];
    expect(sheet.length).toBe(3);
    const plan = runner.rpc('planSend', {});
    expect(plan.outcome).toBe('threw');
    expect(plan.error?.message).toMatch(/factures@acuitis.fr n’est pas encore validée dans Gmail \(statut pending\)/);
  });
});

describe('attachment patterns', () => {
  it('a pattern matching 1 file goes, 0 or 2 files fail the row naming them; one folder listing', () => {
    const rows = invoiceRows(3).map((r) => ({ ...r, attachments: 'FACTURE_{{key}}_{{period}}*.pdf' }));
    const files = [
      { name: 'FACTURE_CCT0001_2026-01.pdf', bytes: new Uint8Array(pdfFor('CCT0001')) },
      { name: 'FACTURE_CCT0003_2026-01.pdf', bytes: new Uint8Array(pdfFor('CCT0003')) },
      { name: 'FACTURE_CCT0003_2026-01_v2.pdf', bytes: new Uint8Array(pdfFor('CCT0003')) },
    ];
    const { workspace, runner } = setupSend(rows, { files });
    const plan = value<{ ready: Array<Json>; invalid: Array<{ rowNumber: number; reason: string }> }>(runner.rpc('planSend', {}));
    expect(plan.ready.map((r) => r.rowNumber)).toEqual([2]);
    expect(plan.invalid).toEqual([
      expect.objectContaining({
        rowNumber: 3,
        reason: 'Aucun fichier ne correspond à « FACTURE_CCT0002_2026-01*.pdf » dans le dossier des pièces jointes',
      }),
      expect.objectContaining({
        rowNumber: 4,
        reason:
          '2 fichiers correspondent à « FACTURE_CCT0003_2026-01*.pdf » là où un seul est attendu : FACTURE_CCT0003_2026-01.pdf, FACTURE_CCT0003_2026-01_v2.pdf',
      }),
    ]);
    const listing = runner.rpc('startSend');
    expect(value<{ progress: Json }>(listing).progress).toMatchObject({ state: 'done', sent: 1, failed: 2 });
    expect(workspace.mailbox.sentMessages()[0].raw).toBeDefined();
    expect(Buffer.from(workspace.mailbox.sentMessages()[0].raw).toString('latin1')).toContain('FACTURE_CCT0001_2026-01.pdf');
  });

  it('subfolder paths and folders', async () => {
    const rows = invoiceRows(2).map((r, i) => ({ ...r, attachments: i === 0 ? '{{period}}/{{key}}/' : '{{period}}/FACTURE_{{key}}.pdf' }));
    const { workspace, runner } = setupSend(rows, { files: [] });
    const root = workspace.drive.children(workspace.drive.rootId, 'folder').find((f) => f.name === 'Postroom')!;
    const folder = workspace.drive.children(root.id, 'folder').find((f) => f.name === FOLDER.split('/')[1])!;
    const month = workspace.drive.createFolder('2026-01', folder.id);
    const cct1 = workspace.drive.createFolder('CCT0001', month.id);
    workspace.drive.createFile('facture.pdf', new Uint8Array(pdfFor('a')), 'application/pdf', cct1.id);
    workspace.drive.createFile('annexe.pdf', new Uint8Array(pdfFor('b')), 'application/pdf', cct1.id);
    workspace.drive.createFile('FACTURE_CCT0002.pdf', new Uint8Array(pdfFor('c')), 'application/pdf', month.id);
    expect(driveSend(runner).final?.progress).toMatchObject({ state: 'done', sent: 2 });
    const mails = await parsedSent(workspace);
    expect(mails[0].attachments.map((a) => a.filename).sort()).toEqual(['annexe.pdf', 'facture.pdf']);
    expect(mails[1].attachments.map((a) => a.filename)).toEqual(['FACTURE_CCT0002.pdf']);
  });
});

describe('duplicates', () => {
  it('"doublon de la ligne N" at planning, not sent; sent once the user confirms', () => {
    const rows = invoiceRows(3);
    rows[2] = { ...rows[0] };
    const { workspace, runner } = setupSend(rows);
    const plan = value<{ invalid: Array<{ rowNumber: number; reason: string }>; counts: Json }>(runner.rpc('planSend', {}));
    expect(plan.invalid).toEqual([expect.objectContaining({ rowNumber: 4, reason: expect.stringMatching(/^doublon de la ligne 2 /) })]);
    expect(plan.counts.duplicates).toBe(1);
    expect(driveSend(runner, { filter: 'planned' }).final?.progress).toMatchObject({ sent: 2, failed: 1 });
    // Still a duplicate at the next plan (row 2 is sent); confirmed, it goes.
    expect(value<{ invalid: Array<Json> }>(runner.rpc('planSend', {})).invalid).toHaveLength(1);
    runner.rpc('cancelSend');
    expect(driveSend(runner, { filter: { confirmDuplicates: [4] } }).final?.progress).toMatchObject({ state: 'done', sent: 1 });
    expect(workspace.mailbox.sentMessages()).toHaveLength(3);
  });
});

describe('bounces and the lasting log', () => {
  it('three bounces among 50 sends are found, marked with recipient and reason, counted in JobRuns and progress, logged', () => {
    const { workspace, runner } = setupSend(invoiceRows(50));
    workspace.mailbox.setBounce('client7@exemple.fr', { style: 'gmail', delayMs: 5 * 60_000 });
    workspace.mailbox.setBounce('client23@exemple.fr', { style: 'exim', delayMs: 20 * 60_000 });
    workspace.mailbox.setBounce('client41@exemple.fr', {
      style: 'postfix',
      status: '5.2.2',
      diagnostic: 'smtp; 552 5.2.2 Mailbox full',
      delayMs: 90 * 60_000,
    });
    const out = driveSend(runner);
    expect(out.final?.progress).toMatchObject({ state: 'done', sent: 50 });
    const runId = out.final!.progress!.jobId;
    // The watch: a first check 10 min after the end, then hourly (the triggers fire as time passes).
    runner.advanceAndFire(3 * 3600_000);
    const rows = sendRows(workspace);
    const bounced = rows.filter((r) => r.status === 'bounced');
    expect(bounced.map((r) => r.key)).toEqual(['CCT0007', 'CCT0023', 'CCT0041']);
    expect(bounced[0].error).toMatch(/^client7@exemple\.fr — 550 5\.1\.1 The email account that you tried to reach does not exist/);
    expect(bounced[1].error).toMatch(/^client23@exemple\.fr — 550 5\.1\.1/);
    expect(bounced[2].error).toBe('client41@exemple.fr — 552 5.2.2 Mailbox full');
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(47);
    const run = tab(workspace, 'JobRuns').find((r) => r.run_id === runId)!;
    expect(run.summary).toMatch(/3 bounced$/);
    expect(run.errors_count).toBe(3);
    expect(run.status).toBe('partial');
    expect(String(run.log_url)).toMatch(/^https:\/\/drive\.google\.com\/file\/d\//);
    expect(value<Json>(runner.rpc('getSendProgress')).bounced).toBe(3);
    // Another check finds nothing new (each notice handled once).
    expect(value<{ bounced: unknown[] }>(runner.rpc('checkBounces')).bounced).toEqual([]);
    // The lasting log: every event, the seed lines, the bounces.
    const log = value<{ runId: string; lines: Array<{ at: number; level: string; text: string }> }>(runner.rpc('getSendLog', runId));
    const texts = log.lines.map((l) => l.text);
    expect(texts[0]).toBe('Début de l’envoi de 50 emails');
    expect(texts.filter((t) => t.startsWith('Email envoyé (ID : '))).toHaveLength(50);
    // One progress line per tenth crossed (the job saves its progress after each burst of 10 here).
    expect(texts.filter((t) => t.startsWith('Progression : ')).map((t) => /(\d+)\/50/.exec(t)?.[1])).toEqual(['10', '20', '30', '40']);
    expect(
      texts.some((t) =>
        /^Envoi terminé : 50 succès, 0 erreur\(s\) sur 50 emails \(temps total : .+, moyenne : [\d,]+ emails\/s\)$/.test(t),
      ),
    ).toBe(true);
    expect(texts.filter((t) => t.includes('revenu en erreur'))).toHaveLength(3);
    expect(log.lines.filter((l) => l.level === 'error')).toHaveLength(3);
    const sent = workspace.mailbox.sentMessages()[0];
    expect(texts).toContain(`Email envoyé (ID : ${sent.id}) à client1@exemple.fr`);
    // After 72 h the watch ends and its trigger is gone.
    const watching = () => workspace.triggers.forUser(USER).filter((t) => t.handlerFunction === 'runSendBounceCheck');
    expect(watching()).toHaveLength(1);
    runner.advanceAndFire(72 * 3600_000);
    expect(watching()).toHaveLength(0);
  });

  it('the JobRuns row is there from the start, running, while the send is under way', () => {
    const { workspace, runner } = setupSend(invoiceRows(60), { settings: { maxPerMinute: 10, maxPerSecond: 2, batchSize: 2 } });
    const first = value<{ progress: { jobId: string; state: string } }>(runner.rpc('startSend', {}));
    expect(first.progress.state).toBe('running');
    const run = tab(workspace, 'JobRuns').find((r) => r.run_id === first.progress.jobId)!;
    expect(run).toMatchObject({ job: 'send', status: 'running', finished_at: '' });
    const lines = value<{ lines: Array<{ text: string }> }>(runner.rpc('getSendLog', first.progress.jobId)).lines;
    expect(lines.length).toBeGreaterThan(20);
    expect(runner.rpc('getSendLog', '../../etc').error?.message).toMatch(/runId/);
  });
});

describe('scheduled send', () => {
  it('starts on time in Europe/Paris across the spring DST change; shown as scheduled; survives without the sidebar', () => {
    const { workspace, runner } = setupSend(invoiceRows(5), { timeZone: 'Europe/Paris', now: '2026-03-28T10:00:00Z' });
    const scheduled = value<{ schedule: { runAt: number; label: string; runId: string }; plan: { counts: Json } }>(
      runner.rpc('scheduleSend', { date: '29/03/2026', time: '09:00' }),
    );
    // 09:00 in Paris on 29 March 2026 is summer time (UTC+2): 07:00 UTC, not 08:00.
    expect(scheduled.schedule.runAt).toBe(Date.UTC(2026, 2, 29, 7, 0));
    expect(scheduled.schedule.label).toBe('Envoi programmé le 29/03/2026 à 09:00 (Europe/Paris)');
    const progress = value<{ progress: { state: string; stateLabel: string }; scheduled: Json }>(runner.rpc('getSendProgress'));
    expect(progress.progress.state).toBe('planned');
    expect(progress.progress.stateLabel).toBe('Envoi programmé le 29/03/2026 à 09:00 (Europe/Paris)');
    // The Gmail card shows it too.
    expect(JSON.stringify(runner.invoke('onHomepage', [{}], 'card').value)).toContain('Envoi programmé le 29/03/2026 à 09:00');
    expect(progress.scheduled).toMatchObject({ runAt: Date.UTC(2026, 2, 29, 7, 0) });
    expect(tab(workspace, 'JobRuns').find((r) => r.run_id === scheduled.schedule.runId)).toMatchObject({ status: 'scheduled' });
    // Nothing before the time (the sidebar is closed: only triggers run).
    runner.advanceAndFire(Date.UTC(2026, 2, 29, 6, 59) - workspace.clock.now());
    expect(workspace.mailbox.sentMessages()).toHaveLength(0);
    runner.advanceAndFire(30 * 60_000);
    const sent = workspace.mailbox.sentMessages();
    expect(sent).toHaveLength(5);
    const first = workspace.mailbox.getMessage(sent[0].id)!;
    expect(first.internalDate).toBeGreaterThanOrEqual(Date.UTC(2026, 2, 29, 7, 0));
    expect(first.internalDate).toBeLessThan(Date.UTC(2026, 2, 29, 7, 2));
    expect(value<{ scheduled: unknown }>(runner.rpc('getSendProgress')).scheduled).toBeNull();
  });

  it('can be cancelled before it starts: the rows go back to pending, nothing is sent', () => {
    const { workspace, runner } = setupSend(invoiceRows(2), { timeZone: 'Europe/Paris', now: '2026-10-24T10:00:00Z' });
    value(runner.rpc('scheduleSend', { date: '2026-10-25', time: '02:30' }));
    expect(sendRows(workspace).map((r) => r.status)).toEqual(['queued', 'queued']);
    expect(value<{ cancelled: boolean }>(runner.rpc('cancelScheduledSend')).cancelled).toBe(true);
    runner.advanceAndFire(2 * 86_400_000);
    expect(workspace.mailbox.sentMessages()).toHaveLength(0);
    expect(sendRows(workspace).map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(runner.rpc('scheduleSend', { date: '2026-10-20', time: '09:00' }).error?.message).toMatch(/déjà passée/);
  });
});
