// The Send job end to end: the BUILT bundle (dist/Code.js) in the runner, over an emulated workspace.
// Outcomes only: the messages in SENT (parsed by mailparser), the rows of the Sends tab, the JobRuns
// row, the progress the sidebar reads (FR / EN), what happens on invalid rows, transient faults, the
// daily cap, the lock, pause / resume / cancel, the Advanced-service transport, the attachments read in
// parallel from Drive (a file shared by every row read once), and the Sheets cost of a larger send.

import { driveSend, type SendContinue } from '../../../emulator/commands/send';
import { FaultPlan } from '../../../emulator/runtime/execution';
import { addressesOf } from '../../unit/send/parse-mail';
import { ensureBuilt, invoiceRows, parsedSent, pdfFor, runFaultCase, sendRows, sentCountByKey, setupSend, tab } from './helpers';

beforeAll(ensureBuilt);

function progressOf(value: unknown): NonNullable<SendContinue['progress']> {
  const progress = (value as SendContinue).progress;
  if (!progress) throw new Error('no progress');
  return progress;
}

describe('a send of five invoices', () => {
  const rows = invoiceRows(5);
  rows[1].cc = 'direction@exemple.fr; Compta Client <compta@exemple.fr>';

  it('puts each message in SENT as asked: accents, addresses, text, HTML, attachment bytes', async () => {
    const { workspace, runner } = setupSend(rows);
    const out = driveSend(runner);
    expect(out.error).toBeNull();
    expect(out.final?.progress?.state).toBe('done');
    const mails = await parsedSent(workspace);
    expect(mails).toHaveLength(5);
    for (const row of rows) {
      const mail = mails.find((m) => m.subject === `Votre facture ${row.key} – période 2026-01`);
      expect(mail).toBeDefined();
      const m = mail!;
      expect(addressesOf(m.from)).toEqual([{ name: 'Comptabilité Acuitis', address: 'comptabilite@acuitis.fr' }]);
      expect(addressesOf(m.to)).toEqual([{ name: '', address: row.to }]);
      expect(m.text?.trim()).toBe(`Bonjour ${row.name},\n\nVoici la facture ${row.key} (${row.amount} €).\n\nCordialement`);
      expect(m.html).toContain(`<p>Voici la facture <b>${row.key}</b> (${row.amount} €).</p>`);
      expect(m.attachments).toHaveLength(1);
      expect(m.attachments[0].filename).toBe(row.attachments);
      expect(m.attachments[0].contentType).toBe('application/pdf');
      expect(Buffer.compare(m.attachments[0].content, pdfFor(row.key))).toBe(0);
      expect(String(m.headers.get('x-postroom-send-id'))).toMatch(/^S\d{8}T\d{6}-[0-9a-z]{4}\/\d+$/);
    }
    const withCc = mails.find((m) => m.subject?.includes(rows[1].key))!;
    expect(addressesOf(withCc.cc)).toEqual([
      { name: '', address: 'direction@exemple.fr' },
      { name: 'Compta Client', address: 'compta@exemple.fr' },
    ]);
  });

  it('records each row as sent with Gmail ids, and the run in JobRuns', () => {
    const { workspace, runner } = setupSend(rows);
    driveSend(runner);
    const sent = new Map(workspace.mailbox.sentMessages().map((m) => [m.id, m]));
    for (const line of sendRows(workspace)) {
      expect(line.status).toBe('sent');
      expect(line.attempts).toBe(1);
      expect(sent.get(String(line.message_id))?.threadId).toBe(line.thread_id);
      expect(String(line.sent_at)).toMatch(/^2026-01-15T08:\d\d:\d\d\.\d{3}Z$/);
      expect(line.error).toBe('');
    }
    const runs = tab(workspace, 'JobRuns');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ job: 'send', status: 'succeeded', emails_scanned: 5, errors_count: 0 });
    // The ledger speaks the workspace's language (French here).
    expect(String(runs[0].summary)).toContain('5 envoyé(s), 0 en échec, 0 non envoyé(s) sur 5 ; 1 exécution(s)');
  });

  it.each([
    [
      'fr',
      '✅ Email 1/5 envoyé : CCT0001 - FACTURE_CCT0001.pdf → client1@exemple.fr',
      '✅ Envoi terminé : 5 succès, 0 erreur(s) sur 5 facture(s)',
    ],
    [
      'en',
      '✅ Email 1/5 sent: CCT0001 - FACTURE_CCT0001.pdf → client1@exemple.fr',
      '✅ Send finished: 5 succeeded, 0 error(s) out of 5 invoice(s)',
    ],
  ])('getSendProgress speaks the user locale (%s), from the persisted state', (locale, first, last) => {
    const { runner } = setupSend(rows, { locale });
    driveSend(runner);
    const view = runner.rpc('getSendProgress');
    expect(view.outcome).toBe('completed');
    const progress = (view.value as { progress: NonNullable<SendContinue['progress']> }).progress;
    expect(progress).toMatchObject({ state: 'done', total: 5, processed: 5, sent: 5, failed: 0, remaining: 0 });
    expect(progress.events).toContain(first);
    expect(progress.events[progress.events.length - 1]).toBe(last);
  });
});

describe('invalid rows', () => {
  it('fail at planning with their reason and are never sent', async () => {
    const rows = invoiceRows(4);
    rows[0].to = 'pas-une-adresse@@exemple';
    rows[2].attachments = 'FACTURE_INTROUVABLE.pdf';
    const files = invoiceRows(4).map((r) => ({ name: r.attachments, bytes: new Uint8Array(pdfFor(r.key)) }));
    const { workspace, runner } = setupSend(rows, { files, settings: { subjectTemplate: 'Votre facture {{key}} {{inconnue}}' } });
    const plan = runner.rpc('planSend', {});
    expect(plan.outcome).toBe('completed');
    // The subject names a column that does not exist: every row fails, none is sent.
    expect((plan.value as { counts: { invalid: number; ready: number } }).counts).toMatchObject({ ready: 0, invalid: 4 });
    const lines = sendRows(workspace);
    expect(lines.map((l) => l.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(String(lines[1].error)).toContain('Variable inconnue {{inconnue}}');
    expect(workspace.mailbox.sentMessages()).toHaveLength(0);
  });

  it('a bad address or a missing file fails its row only', async () => {
    const rows = invoiceRows(4);
    rows[0].to = 'pas-une-adresse@@exemple';
    rows[2].attachments = 'FACTURE_INTROUVABLE.pdf';
    const files = invoiceRows(4).map((r) => ({ name: r.attachments, bytes: new Uint8Array(pdfFor(r.key)) }));
    const { workspace, runner } = setupSend(rows, { files });
    const out = driveSend(runner);
    expect(progressOf(out.final)).toMatchObject({ state: 'done', sent: 2, failed: 2 });
    const lines = sendRows(workspace);
    expect(lines.map((l) => l.status)).toEqual(['failed', 'sent', 'failed', 'sent']);
    expect(String(lines[0].error)).toContain('pas-une-adresse@@exemple');
    expect(String(lines[2].error)).toBe('Pièce jointe introuvable : FACTURE_INTROUVABLE.pdf');
    expect([...(await sentCountByKey(workspace)).keys()].sort()).toEqual(['CCT0002', 'CCT0004']);
    expect(tab(workspace, 'JobRuns')[0]).toMatchObject({ status: 'partial', errors_count: 2 });
    // Rows failed at planning are not numbered as emails: the two emails are 1/2 and 2/2.
    expect(progressOf(out.final).events).toContain(
      '⚠️ Ligne non envoyée (invalide) : CCT0003 - FACTURE_INTROUVABLE.pdf : Pièce jointe introuvable : FACTURE_INTROUVABLE.pdf',
    );
    expect(progressOf(out.final).events).toContain('✅ Email 2/2 envoyé : CCT0004 - FACTURE_CCT0004.pdf → client4@exemple.fr');
  });
});

describe('transient faults', () => {
  it.each([1, 2, 3])('with 10%% of Gmail requests failing (429, 500, 503, network; seed %i) every row goes out exactly once', (seed) => {
    const result = runFaultCase({ seed, rate: 0.1 });
    expect(result.problems).toEqual([]);
  });

  it.each([4, 5, 6])(
    'with 20%% faults where half the 500 / 503 answers come after Gmail DID send (seed %i), every row goes out exactly once',
    (seed) => {
      const result = runFaultCase({ seed, rate: 0.2, serverErrorsExecuted: 0.5 });
      expect(result.problems).toEqual([]);
    },
  );

  it('the same with every execution killed at its 45th call', () => {
    const result = runFaultCase({ seed: 9, rate: 0.2, serverErrorsExecuted: 0.5, killEvery: 45 });
    expect(result.killed).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
  });

  it('with 10% faults and every execution killed at its 70th call, every row goes out exactly once', () => {
    const result = runFaultCase({ seed: 7, rate: 0.1, killEvery: 70 });
    expect(result.killed).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
  });

  it('retries a 429 / 5xx later and says so in the progress, without a second copy', () => {
    const { workspace, runner } = setupSend(invoiceRows(20));
    workspace.ctx.faults = new FaultPlan({ seed: 3, rateByMethod: { 'UrlFetchApp.fetch': 0.3 } });
    const out = driveSend(runner);
    expect(out.final?.progress?.state).toBe('done');
    const lines = sendRows(workspace);
    expect(lines.every((l) => l.status === 'sent')).toBe(true);
    expect(lines.some((l) => Number(l.attempts) > 1)).toBe(true);
    expect(workspace.mailbox.sentMessages()).toHaveLength(20);
    expect(workspace.accounting.faultsInjected).toBeGreaterThan(0);
  });
});

describe('the daily cap', () => {
  it('pauses at the cap, says when it resumes, and resumes by itself after the window', () => {
    const { workspace, runner } = setupSend(invoiceRows(30), { settings: { dailyCap: 20 } });
    const first = runner.rpc('startSend', {});
    const view = first.value as SendContinue;
    expect(view.progress).toMatchObject({ state: 'paused-quota', sent: 20 });
    expect(view.waitMs).toBeGreaterThan(23 * 3_600_000);
    expect(
      view.progress?.events.some((e) =>
        e.startsWith('⏸️ Limite d’envoi quotidienne atteinte (20/20 en 24 h) : reprise automatique à 08:0'),
      ),
    ).toBe(true);
    expect(workspace.mailbox.sentMessages()).toHaveLength(20);
    // No sidebar: only the job's own trigger continues it, a day later.
    const fired = runner.advanceAndFire(24 * 3_600_000 + 60_000);
    expect(fired.some((r) => r.fn === 'runSendContinuation' && r.outcome === 'completed')).toBe(true);
    expect(workspace.mailbox.sentMessages()).toHaveLength(30);
    const after = runner.rpc('getSendProgress').value as { progress: NonNullable<SendContinue['progress']> };
    expect(after.progress).toMatchObject({ state: 'done', sent: 30 });
    expect(sendRows(workspace).every((l) => l.status === 'sent')).toBe(true);
  });
});

describe('one send at a time, pause, resume, cancel', () => {
  const slow = { maxPerSecond: 2, maxPerMinute: 10, batchSize: 2 };

  it('a second start while a send runs is refused; a second continue is told the job is busy', () => {
    const { runner } = setupSend(invoiceRows(6), { settings: slow });
    let second: ReturnType<typeof runner.rpc> | undefined;
    let third: ReturnType<typeof runner.rpc> | undefined;
    runner.invoke('startSend', [{}], 'rpc', {
      during: [
        {
          atCall: 40,
          run: () => {
            second = runner.rpc('startSend', {});
            third = runner.rpc('continueSend');
          },
        },
      ],
    });
    expect(second?.outcome).toBe('threw');
    expect(second?.error?.message).toMatch(/tourne déjà dans une autre exécution/); // the workspace is French
    expect(third?.outcome).toBe('completed');
    expect((third!.value as SendContinue).busy).toBe(true);
  });

  // 60 rows at 10 a minute outlast one execution's budget (4.5 min): the first chunk leaves work.
  it('refuses a new start while a send is paused, and a new plan too', () => {
    const { runner } = setupSend(invoiceRows(60), { settings: slow });
    const started = runner.rpc('startSend', {});
    expect(progressOf(started.value).state).toBe('running');
    expect(runner.rpc('pauseSend').outcome).toBe('completed');
    const again = runner.rpc('startSend', {});
    expect(again.outcome).toBe('threw');
    expect(again.error?.message).toMatch(/déjà en cours/);
    const plan = runner.rpc('planSend', {});
    expect(plan.outcome).toBe('threw');
    expect(plan.error?.message).toMatch(/déjà en cours/);
  });

  it('pause stops the send between batches; resume finishes it', () => {
    const { workspace, runner } = setupSend(invoiceRows(60), { settings: slow });
    let pause: ReturnType<typeof runner.rpc> | undefined;
    const first = runner.invoke('startSend', [{}], 'rpc', { during: [{ atCall: 60, run: () => (pause = runner.rpc('pauseSend')) }] });
    expect((pause!.value as SendContinue).pendingControl).toBe('pause');
    expect(progressOf(first.value).state).toBe('paused');
    expect((first.value as SendContinue).more).toBe(false);
    const sentAtPause = workspace.mailbox.sentMessages().length;
    expect(sentAtPause).toBeGreaterThan(0);
    expect(sentAtPause).toBeLessThan(60);
    // Paused: time passes, nothing is sent.
    runner.advanceAndFire(3_600_000);
    expect(workspace.mailbox.sentMessages()).toHaveLength(sentAtPause);
    const resumed = runner.rpc('resumeSend');
    expect(resumed.outcome).toBe('completed');
    const out = driveSend(runner, { filter: null });
    expect(out.final?.progress?.state).toBe('done');
    expect(workspace.mailbox.sentMessages()).toHaveLength(60);
    expect(progressOf(first.value).events).toContain('⏸️ Envoi mis en pause par comptabilite@acuitis.fr');
    expect(sendRows(workspace).every((l) => l.status === 'sent' && l.attempts === 1)).toBe(true);
  });

  it('cancel leaves the rows not sent pending, and records the run as cancelled', () => {
    const { workspace, runner } = setupSend(invoiceRows(60), { settings: slow });
    expect(progressOf(runner.rpc('startSend', {}).value).state).toBe('running');
    const sentBefore = workspace.mailbox.sentMessages().length;
    const cancelled = runner.rpc('cancelSend');
    expect(cancelled.outcome).toBe('completed');
    expect(progressOf(cancelled.value)).toMatchObject({ state: 'cancelled', sent: sentBefore });
    const statuses = sendRows(workspace).map((l) => l.status);
    expect(statuses.filter((s) => s === 'sent')).toHaveLength(sentBefore);
    expect(statuses.filter((s) => s === 'pending')).toHaveLength(60 - sentBefore);
    expect(tab(workspace, 'JobRuns')[0]).toMatchObject({ job: 'send', status: 'cancelled' });
    // A new send picks the pending rows up.
    const out = driveSend(runner);
    expect(out.final?.progress).toMatchObject({ state: 'done', total: 60 - sentBefore });
    expect(workspace.mailbox.sentMessages()).toHaveLength(60);
  });
});

describe('the Advanced Gmail service transport', () => {
  it('sends through Gmail.Users.Messages.send, one call per message, exactly once', async () => {
    const { workspace, runner } = setupSend(invoiceRows(6), { settings: { transport: 'advanced' } });
    const out = driveSend(runner);
    expect(out.final?.progress?.state).toBe('done');
    expect(workspace.accounting.total.calls['Gmail.Users.Messages.send']).toBe(6);
    // No Gmail request through UrlFetchApp (the attachments are still read with Drive's REST API).
    expect(Object.keys(workspace.accounting.total.calls).filter((method) => method.startsWith('Gmail.REST.'))).toEqual([]);
    expect(workspace.accounting.total.calls['Drive.REST.files.get']).toBe(6);
    expect([...(await sentCountByKey(workspace)).values()]).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe('attachments are read in parallel from Drive (files.get alt=media)', () => {
  it('a file attached to every row (the CGV) is read once; each message carries the exact bytes of both', async () => {
    const cgv = new Uint8Array(pdfFor('CGV 2026'));
    const rows = invoiceRows(20).map((r) => ({ ...r, attachments: `${r.attachments}; CGV.pdf` }));
    const files = [
      ...invoiceRows(20).map((r) => ({ name: r.attachments, bytes: new Uint8Array(pdfFor(r.key)) })),
      { name: 'CGV.pdf', bytes: cgv },
    ];
    const { workspace, runner } = setupSend(rows, { files });
    const out = driveSend(runner);
    expect(out.final?.progress?.state).toBe('done');
    expect(out.results).toHaveLength(1);
    expect(workspace.accounting.total.calls['Drive.REST.files.get']).toBe(21);
    expect(workspace.accounting.total.calls['DriveApp.File.getBlob'] ?? 0).toBe(0);
    const mails = await parsedSent(workspace);
    expect(mails).toHaveLength(20);
    for (const mail of mails) {
      const key = /facture (CCT\d+)/.exec(mail.subject ?? '')?.[1] ?? '?';
      expect(mail.attachments.map((a) => a.filename)).toEqual([`FACTURE_${key}.pdf`, 'CGV.pdf']);
      expect(Buffer.compare(mail.attachments[0].content, pdfFor(key))).toBe(0);
      expect(Buffer.compare(mail.attachments[1].content, Buffer.from(cgv))).toBe(0);
    }
  });
});

describe('the Sheets cost of a larger send', () => {
  it('300 rows with the default pace: at most 0.05 Sheets reads + writes per row, every row sent once', () => {
    const { workspace, runner } = setupSend(invoiceRows(300));
    const out = driveSend(runner);
    expect(out.final?.progress?.state).toBe('done');
    const calls = workspace.accounting.total.calls;
    const readsWrites = ['SpreadsheetApp.Range.getValues', 'SpreadsheetApp.Range.setValues', 'SpreadsheetApp.Range.setValue'].reduce(
      (sum, method) => sum + (calls[method] ?? 0),
      0,
    );
    expect(readsWrites / 300).toBeLessThanOrEqual(0.05);
    expect(new Set(workspace.mailbox.sentMessages().map((m) => m.to)).size).toBe(300);
    expect(workspace.mailbox.sentMessages()).toHaveLength(300);
    expect(sendRows(workspace).every((l) => l.status === 'sent' && l.attempts === 1)).toBe(true);
  });
});

describe('the columns Postroom adds to Sends', () => {
  beforeAll(ensureBuilt);

  it('are every one formatted as plain text, down to the last row of the sheet', () => {
    const { workspace, runner } = setupSend(invoiceRows(3));
    const userHeaders = ['key', 'period', 'to', 'cc', 'attachments', 'name', 'amount'];
    const out = driveSend(runner);
    expect(out.final?.progress?.state).toBe('done');
    const store = workspace.sheets;
    const sheet = store.get(workspace.containerId as string)!.sheets.find((s) => s.name === 'Sends')!;
    const header = sendRows(workspace).length ? Object.keys(sendRows(workspace)[0]) : [];
    const added = header.filter((name) => !userHeaders.includes(name));
    expect(added).toEqual(expect.arrayContaining(['status', 'attempts', 'sent_at', 'message_id', 'error', 'send_id']));
    for (const name of added) {
      const column = header.indexOf(name) + 1;
      // A row below the list, where a user may type later, as well as the rows written.
      for (const row of [2, 4, 50])
        expect({ name, row, format: store.cell(sheet, row, column)?.numberFormat ?? null }).toEqual({ name, row, format: '@' });
    }
    // Numbers written there stay readable as numbers by the job (attempts).
    expect(sendRows(workspace).map((r) => Number(r.attempts))).toEqual([1, 1, 1]);
  });
});

describe('errors in the user’s language', () => {
  beforeAll(ensureBuilt);

  it('a bad setting, a duplicate column and a refusal are told in French in a French workspace', () => {
    const { workspace, runner } = setupSend(invoiceRows(2));
    const bad = runner.rpc('saveSendSettings', {
      subjectTemplate: 'Facture',
      textTemplate: 'x',
      attachmentsFolder: 'x',
      maxPerSecond: 500,
    });
    expect(bad.outcome).toBe('threw');
    expect(bad.error?.message).toMatch(/maxPerSecond : doit être entre 1 et 100, reçu 500/);
    const badReplyTo = runner.rpc('saveSendSettings', {
      subjectTemplate: 'Facture',
      textTemplate: 'x',
      attachmentsFolder: 'x',
      replyTo: 'compta.exemple.fr',
    });
    expect(badReplyTo.error?.message).toBe('replyTo : adresse invalide « compta.exemple.fr » : il manque le @');
    const pause = runner.rpc('pauseSend');
    expect(pause.error?.message).toMatch(/Aucun envoi en cours/);
    // A second "to" column (an alias of an existing one counts too).
    const values = workspace.sheets.tabValues(workspace.containerId as string).Sends;
    const sheet = workspace.sheets.get(workspace.containerId as string)!.sheets.find((s) => s.name === 'Sends')!;
    workspace.sheets.cell(sheet, 1, values[0].length + 1, true).value = 'TO';
    const start = runner.rpc('startSend', {});
    expect(start.outcome).toBe('threw');
    expect(start.error?.message).toMatch(/L’onglet Sends a deux colonnes « to »/);
  });
});
