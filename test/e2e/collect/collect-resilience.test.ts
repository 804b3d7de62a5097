// Crash safety, resumability and concurrency of the collect job, through the built bundle: an
// execution killed at ANY call (the emulator's killEvery, at several values) or hit by transient Gmail
// faults (429 / 5xx / network) must, once rerun, leave exactly the files, Receipts rows and labels an
// undisturbed run leaves: nothing lost, nothing twice. A run longer than one execution's time budget
// checkpoints and continues (directly or from its continuation trigger); a second execution started in
// the middle of the first is refused with "already running since …".

import { makePdf, makePng } from '../../../emulator/demo/binary-files';
import { attachment, textPart } from '../../../emulator/demo/mime-writer';
import { parseLogLines } from '../../../src/server/domain/collect/log';
import type { Workspace, WorkspaceOptions } from '../../../emulator/workspace';
import {
  SUPPLIER,
  addMessage,
  collect,
  collectedFiles,
  ensureBuilt,
  jobRuns,
  openWorkspace,
  outcome,
  receipts,
  type Opened,
} from './helpers';

beforeAll(ensureBuilt);

const pdf = (text: string) => makePdf([text, 'Montant TTC : 42,00 €']);

/** 12 messages, 18 attachments: ingested, quarantined, a duplicate, a same-name pair, a stranger. */
function fillMailbox(workspace: Workspace): void {
  const shared = pdf('SHARED');
  for (let n = 1; n <= 12; n++) {
    const parts = [
      textPart(`message ${n}`),
      attachment('application/pdf', n % 4 === 0 ? 'facture.pdf' : `F-${n}.pdf`, n === 7 ? shared : pdf(`F-${n}`)),
    ];
    if (n % 2 === 0) parts.push(attachment('image/png', `scan-${n}.png`, makePng(4, 4, [n, 2 * n, 3 * n])));
    if (n === 5) parts.push(attachment('application/pdf', 'pas-un-pdf.pdf', Buffer.from('not a pdf at all')));
    if (n === 9) parts.push(attachment('application/pdf', 'copie.pdf', shared));
    addMessage(workspace, {
      from: n === 11 ? 'Inconnu <x@ailleurs.example>' : `Fournisseur <${SUPPLIER}>`,
      date: new Date(Date.UTC(2026, 0, 1 + (n % 3), 8 + n, 0, 0)),
      messageId: `resilience-${n}@x`,
      subject: `Facture ${n}`,
      root: { kind: 'multi', subtype: 'mixed', parts },
    });
  }
}

function prepared(options: WorkspaceOptions = {}): Opened {
  const opened = openWorkspace(options);
  fillMailbox(opened.workspace);
  return opened;
}

function logEvents(workspace: Workspace): string[] {
  return workspace.drive
    .listFiles()
    .filter((file) => file.path.startsWith('Postroom/logs/'))
    .flatMap((file) => parseLogLines(Buffer.from(workspace.drive.get(file.id)!.bytes).toString('utf8')).map((event) => event.event));
}

/** Runs collect again and again, as the schedule would, until a run ends without errors. */
function collectUntilClean(opened: Opened, maxRuns = 10): number {
  for (let run = 1; run <= maxRuns; run++) {
    const result = collect(opened, {}, 600);
    expect(result.error).toBeNull();
    if (result.summary!.metrics.errorsCount === 0) return run;
  }
  throw new Error(`still errors after ${maxRuns} runs`);
}

const undisturbed = (() => {
  let value: ReturnType<typeof outcome> | null = null;
  return () => {
    if (!value) {
      const opened = prepared();
      const result = collect(opened);
      expect(result.results.map((r) => r.outcome)).toEqual(['completed']);
      value = outcome(opened.workspace);
    }
    return value;
  };
})();

describe('an undisturbed run of the resilience mailbox', () => {
  it('stores 18 files, records 18 receipts (20 attachments: one from a stranger, one duplicate) and labels 11 messages', () => {
    const expected = undisturbed();
    expect(expected.files).toHaveLength(18);
    expect(expected.receipts).toHaveLength(18);
    expect(expected.receipts.filter((row) => row.state === 'quarantined')).toHaveLength(1);
    expect(Object.values(expected.labels).filter((m) => m.labels.length > 0)).toHaveLength(11);
  });
});

/** Service calls of an undisturbed execution (the REST requests inside a fetchAll are not calls of their own). */
const cleanExecutionCalls = (() => {
  let calls: number | null = null;
  return (): number => {
    if (calls === null) {
      const clean = prepared().runner.invoke('collectFromGmail', [{}], 'cli');
      calls = Object.entries(clean.counts.calls)
        .filter(([method]) => !method.startsWith('Gmail.REST.') && !method.startsWith('Drive.REST.'))
        .reduce((sum, [, n]) => sum + n, 0);
    }
    return calls;
  };
})();

describe('killed at any call, a rerun loses nothing and duplicates nothing', () => {
  // Spread over a clean execution's own calls (a third to 90 % of them), so that every value really
  // kills during the run, whatever the job's call count becomes. (Killed in its last few calls, the run
  // is already closed durably: a rerun is then a new, empty run with a JobRun of its own.)
  it.each([0.33, 0.45, 0.5, 0.55, 0.65, 0.75, 0.8, 0.9])(
    'killEvery at %f of a clean execution’s calls: every execution dies at that call',
    (share) => {
      const killEvery = Math.round(cleanExecutionCalls() * share);
      const opened = prepared({ killEvery });
      const result = collect(opened, {}, 400);
      expect(result.error).toBeNull();
      const outcomes = result.results.map((r) => r.outcome);
      expect(outcomes).toContain('killed');
      expect(outcomes.at(-1)).toBe('completed');
      expect(outcome(opened.workspace)).toEqual(undisturbed());
      // One JobRun for the whole run, closed (killed at its very last call, the lock's release, the
      // driver calls again: a new, empty run of its own).
      const [first, ...later] = jobRuns(opened.workspace);
      expect(first).toMatchObject({ status: 'succeeded', receipts_created: 17 });
      for (const run of later) expect(run).toMatchObject({ status: 'succeeded', receipts_created: 0, quarantined: 0 });
    },
  );

  it('killed at EVERY call of the first execution in turn, the rerun ends in the undisturbed state', () => {
    const calls = cleanExecutionCalls();
    expect(calls).toBeGreaterThan(100);
    let reused = 0;
    let recovered = 0;
    for (let killAtCall = 1; killAtCall <= calls; killAtCall++) {
      const opened = prepared();
      opened.workspace.faults.options.killExecution = 1;
      opened.workspace.faults.options.killAtCall = killAtCall;
      const result = collect(opened, {}, 5);
      expect(`${killAtCall}: ${result.results[0].outcome}`).toBe(`${killAtCall}: killed`);
      expect(result.error).toBeNull();
      expect(outcome(opened.workspace)).toEqual(undisturbed());
      const events = logEvents(opened.workspace);
      if (events.includes('file.reused')) reused += 1;
      // Rows a dead execution wrote: counted as done (SpreadsheetApp), or written again over themselves (Sheets API, after a crash).
      if (events.includes('attachment.recovered') || events.includes('run.own_rows_rewritten')) recovered += 1;
    }
    // Some kills left files no Receipt recorded (reused, not copied), some left rows not yet labelled.
    expect(reused).toBeGreaterThan(0);
    expect(recovered).toBeGreaterThan(0);
  });

  it('killed after its files are stored and before their rows, the next execution settles them without fetching their bytes again', () => {
    // Where a clean first execution starts appending the Receipts rows: the first Sheets call after its uploads.
    const probe = prepared();
    const accounting = probe.workspace.accounting as unknown as {
      count: (execution: { callIndex: number } | null, method: string) => void;
    };
    const count = accounting.count.bind(accounting);
    let uploaded = false;
    let appendAt = 0;
    accounting.count = (execution, method, ...rest: unknown[]) => {
      if (method === 'Drive.REST.files.create') uploaded = true;
      else if (uploaded && !appendAt && execution && method.startsWith('SpreadsheetApp.')) appendAt = execution.callIndex;
      return (count as (...args: unknown[]) => void)(execution, method, ...rest);
    };
    probe.runner.invoke('collectFromGmail', [{}], 'cli');
    expect(appendAt).toBeGreaterThan(0);

    const opened = prepared();
    opened.workspace.faults.options.killExecution = 1;
    opened.workspace.faults.options.killAtCall = appendAt;
    const result = collect(opened, {}, 5);
    expect(result.results.map((r) => r.outcome)).toEqual(['killed', 'completed']);
    expect(receipts(opened.workspace)).toHaveLength(18);
    // By the REST API, or after a crash one at a time by the Advanced service.
    const attachmentGets = (i: number) =>
      (result.results[i].counts.calls['Gmail.REST.messages.attachments.get'] ?? 0) +
      (result.results[i].counts.calls['Gmail.Users.Messages.Attachments.get'] ?? 0);
    // 19 fetched by the first (20 attachments, the stranger's not); the second fetches only the copy of
    // a file stored under another message (a duplicate by sha256 is not stored, so not noted): 1.
    expect(attachmentGets(0)).toBe(19);
    expect(attachmentGets(1)).toBe(1);
    // No file stored again (the one Drive API upload is the day's log, written that way after a crash).
    expect(result.results[1].counts.calls['Drive.REST.files.create'] ?? 0).toBe(1);
    expect(collectedFiles(opened.workspace)).toHaveLength(18);
    // The 18 files (17 receipts, 1 quarantined piece) the first stored, each reused once.
    expect(logEvents(opened.workspace).filter((event) => event === 'file.reused')).toHaveLength(18);
    expect(outcome(opened.workspace)).toEqual(undisturbed());
    expect(jobRuns(opened.workspace)).toEqual([expect.objectContaining({ status: 'succeeded', receipts_created: 17 })]);
  });

  it('after a crash the ledger goes through the Sheets API: its read rides in the fetchAll of the messages, no SpreadsheetApp call', () => {
    // Killed in the middle of its messages: the second execution takes the run to its end.
    const opened = prepared();
    opened.workspace.faults.options.killExecution = 1;
    opened.workspace.faults.options.killAtCall = Math.round(cleanExecutionCalls() * 0.6);
    const result = collect(opened, {}, 5);
    expect(result.results.map((r) => r.outcome)).toEqual(['killed', 'completed']);
    const calls = result.results[1].counts.calls;
    const spreadsheetApp = Object.entries(calls).filter(([method]) => method.startsWith('SpreadsheetApp.'));
    expect(spreadsheetApp).toEqual([]);
    // The Receipts read (values.get, in the fetchAll of the messages) and the rows written (values.batchUpdate).
    expect(calls['Sheets.REST.values.get']).toBeGreaterThan(0);
    expect(calls['Sheets.REST.values.batchUpdate']).toBeGreaterThan(0);
    expect(outcome(opened.workspace)).toEqual(undisturbed());
    expect(jobRuns(opened.workspace)).toEqual([expect.objectContaining({ status: 'succeeded', receipts_created: 17 })]);
  });

  it('counts the work of a dead execution once: the metrics equal the undisturbed ones', () => {
    const clean = prepared();
    const cleanSummary = collect(clean).summary!;
    const opened = prepared({ killEvery: 97 });
    const summary = collect(opened, {}, 400).summary!;
    for (const key of ['emailsScanned', 'attachmentsSeen', 'receiptsCreated', 'duplicatesSkipped', 'quarantined'] as const) {
      expect(`${key} ${summary.metrics[key]}`).toBe(`${key} ${cleanSummary.metrics[key]}`);
    }
  });
});

/**
 * Every execution killed at its k-th service call, for a RANGE of k: each execution must leave durable
 * progress (the run state, a folder id, stored files, committed rows) so that the run ends, with the
 * undisturbed files, rows and labels and one JobRun. The smallest k that gets there is what one
 * execution's fixed costs allow today (see the README's Collect section).
 */
export const KILL_SWEEP_FROM = 10;
const KILL_SWEEP = Array.from({ length: 60 - KILL_SWEEP_FROM + 1 }, (_, i) => KILL_SWEEP_FROM + i);

describe('a sweep of kill intervals: every execution dies at its k-th call', () => {
  it.each(KILL_SWEEP)('killEvery %i: the run ends in the undisturbed state', (killEvery) => {
    const opened = prepared({ killEvery });
    const result = collect(opened, {}, 300);
    expect(result.error).toBeNull();
    expect(result.summary).toMatchObject({ status: 'succeeded', pending: false });
    expect(outcome(opened.workspace)).toEqual(undisturbed());
    // The run state's deletion is an execution's last call: no kill comes after the close, so the
    // driver never starts a second run: one JobRun.
    expect(jobRuns(opened.workspace)).toEqual([expect.objectContaining({ status: 'succeeded', receipts_created: 17 })]);
  });

  // Seeds 21 and 57 once ended `partial` (a folder's creation, an upload failing past its retries: the
  // message was left to the next scheduled run); such a message is now taken again by the next execution.
  it.each([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31, 33, 36, 41, 45, 52, 57, 63])(
    'killEvery %i under 15 % faults: ONE run ends succeeded in the undisturbed state',
    (killEvery) => {
      const opened = prepared({ killEvery, faultRate: 0.15, seed: killEvery });
      const result = collect(opened, {}, 600);
      expect(result.error).toBeNull();
      expect(result.summary).toMatchObject({ status: 'succeeded', pending: false });
      expect(outcome(opened.workspace)).toEqual(undisturbed());
      expect(jobRuns(opened.workspace)).toEqual([expect.objectContaining({ status: 'succeeded', errors_count: 0, receipts_created: 17 })]);
    },
  );
});

describe('killed short, with SpreadsheetApp writes lost unless flushed (the adversarial reading)', () => {
  // With loseUnflushedSheetWrites a SpreadsheetApp write not flushed (or read) before a kill is undone:
  // what the run needs durable is flushed, or written by the Sheets API (durable on its answer).
  it.each([10, 11, 12, 15, 20])('killEvery %i: the run ends in the undisturbed state', (killEvery) => {
    const opened = prepared({ killEvery, loseUnflushedSheetWrites: true });
    const result = collect(opened, {}, 600);
    expect(result.error).toBeNull();
    expect(outcome(opened.workspace)).toEqual(undisturbed());
    expect(jobRuns(opened.workspace)).toEqual([expect.objectContaining({ status: 'succeeded', receipts_created: 17 })]);
  });
});

describe('transient Gmail and Drive faults (429, 5xx, network)', () => {
  // Reads are retried within the run (the gateway, then a few more passes in small groups); a refused
  // upload is sent again, one in doubt is stored the careful way (reusing its file if it was made); a
  // message whose read, folder or upload still fails is taken again by the run's next execution (seed 13:
  // the root folder's creation failed and the execution threw; 15, 118, 119: a day folder's creation
  // failed and the run ended `partial`, its message left to the next scheduled run).
  it.each([
    [0.05, 7],
    [0.15, 13],
    [0.15, 15],
    [0.15, 118],
    [0.15, 119],
    [0.3, 3],
    [0.3, 7],
    [0.15, 1],
    [0.15, 2],
    [0.15, 3],
    [0.15, 4],
    [0.15, 5],
    [0.15, 8],
    [0.15, 10],
    [0.15, 11],
  ])('fault rate %f (seed %i): ONE run ends succeeded with the undisturbed files, rows and labels', (faultRate, seed) => {
    const opened = prepared({ faultRate, seed });
    const result = collect(opened, {}, 50);
    expect(result.error).toBeNull();
    expect(opened.workspace.accounting.faultsInjected).toBeGreaterThan(0);
    expect(result.summary).toMatchObject({ status: 'succeeded', pending: false });
    expect(result.summary!.metrics.errorsCount).toBe(0);
    expect(outcome(opened.workspace)).toEqual(undisturbed());
  });

  it('faults and kills together: one run', () => {
    const opened = prepared({ faultRate: 0.1, seed: 5, killEvery: 89 });
    const result = collect(opened, {}, 600);
    expect(result.summary).toMatchObject({ status: 'succeeded', pending: false });
    expect(outcome(opened.workspace)).toEqual(undisturbed());
  });

  it('a message whose store keeps failing is an error of the run after three executions, and the next run stores it', () => {
    // Every upload of scan-4.png refused: the message is taken again by two more executions, then counted
    // an error (not labelled); the next run, with Drive answering again, stores it.
    const opened = prepared();
    const refused = (request: { url: string; payload: Uint8Array }) =>
      request.url.includes('/upload/drive/') && Buffer.from(request.payload).toString('latin1').includes('"name":"scan-4.png"');
    opened.workspace.faults.options.requestFault = (request) => (refused(request) ? 'http503' : null);
    const first = collect(opened, {}, 50);
    expect(first.summary).toMatchObject({ status: 'partial', pending: false });
    expect(first.summary!.metrics.errorsCount).toBe(1);
    expect(first.results.length).toBeGreaterThanOrEqual(4);
    expect(logEvents(opened.workspace).filter((event) => event === 'message.retried_later')).toHaveLength(3);
    opened.workspace.faults.options.requestFault = undefined;
    collectUntilClean(opened);
    expect(outcome(opened.workspace)).toEqual(undisturbed());
  });
});

describe('a run longer than one execution', () => {
  function bigMailbox(messages: number): Opened {
    const opened = openWorkspace({}, { allowedSenders: [SUPPLIER], maxAttachmentsPerRun: 10_000 });
    for (let n = 0; n < messages; n++) {
      addMessage(opened.workspace, {
        date: new Date(Date.UTC(2026, 0, 2 + (n % 10), 9, 0, n % 60)),
        messageId: `big-${n}@x`,
        root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', `B-${n}.pdf`, pdf(`B-${n}`))] },
      });
    }
    return opened;
  }

  /** The first execution stops under its budget with part of the backlog committed; its continuation trigger finishes the run. */
  function expectBudgetAndContinuation(opened: Opened, messages: number, during: Array<{ atCall: number; run: () => void }> = []): void {
    const { workspace, runner } = opened;
    const first = runner.invoke('collectFromGmail', [{}], 'rpc', { during });
    expect(first.outcome).toBe('completed');
    const summary = first.value as { pending: boolean; status: string; metrics: { receiptsCreated: number } };
    expect(summary).toMatchObject({ pending: true, status: 'running' });
    expect(first.endedAt - first.startedAt).toBeLessThan(6 * 60_000);
    const committed = receipts(workspace).length;
    expect(committed).toBe(summary.metrics.receiptsCreated);
    expect(committed).toBeGreaterThan(100);
    expect(committed).toBeLessThan(messages);
    const state = JSON.parse(workspace.properties.user.values.get('postroom.collect.run')!);
    expect(state.cursor).toBe(committed);
    expect(workspace.triggers.triggers.map((t) => t.handlerFunction)).toContain('runCollectContinue');

    const fired = runner.runUntilIdle({ maxExecutions: 10 });
    expect(fired.map((r) => `${r.fn} ${r.outcome}`)).toContain('runCollectContinue completed');
    expect(fired.every((r) => r.endedAt - r.startedAt < 6 * 60_000)).toBe(true);
    expect(receipts(workspace)).toHaveLength(messages);
    expect(new Set(collectedFiles(workspace).map((f) => f.path)).size).toBe(messages);
    const [run] = jobRuns(workspace);
    expect(run).toMatchObject({ status: 'succeeded', receipts_created: messages, emails_scanned: messages });
    expect(workspace.properties.user.values.has('postroom.collect.run')).toBe(false);
    // Sheets work does not grow with the attachments: a handful of Sheets writes per execution.
    const executions = 1 + fired.length;
    expect(workspace.accounting.total.calls['SpreadsheetApp.Range.setValues']).toBeLessThanOrEqual(4 + 2 * executions);
  }

  it('stops under its time budget, checkpoints, and continues from its continuation trigger (parallel uploads, after a slow spell)', () => {
    // In parallel, 25 messages cost about one messages.get, one attachments.get and two upload
    // fetchAlls: a 4.5-minute budget holds some 5,000 one-file messages, the most one run lists. So
    // the platform is made slow instead: four minutes pass at the 60th call of the first execution.
    const opened = bigMailbox(900);
    expectBudgetAndContinuation(opened, 900, [{ atCall: 60, run: () => opened.workspace.clock.advance(240_000) }]);
    const calls = opened.workspace.accounting.total.calls;
    expect(calls['Drive.REST.files.create']).toBe(900);
    // DriveApp created only the day's log file.
    expect(calls['DriveApp.Folder.createFile']).toBe(1);
  });

  it('stops under its time budget the same while careful (uploads one by one after a probe for orphans)', () => {
    const opened = bigMailbox(900);
    // An earlier run left uploads in doubt: this run probes Drive before each file.
    const next = new Map(opened.workspace.properties.user.values);
    next.set('postroom.collect.orphanRisk', 'true');
    opened.workspace.properties.user.commit(next);
    expectBudgetAndContinuation(opened, 900);
    const calls = opened.workspace.accounting.total.calls;
    // 900 receipts, each probed then uploaded alone by one Drive API request; the day's log file by DriveApp.
    expect(calls['Drive.REST.files.create']).toBe(900);
    expect(calls['DriveApp.Folder.createFile']).toBe(1);
    // The run met every message without an error: the next run uploads in parallel again.
    expect(opened.workspace.properties.user.values.has('postroom.collect.orphanRisk')).toBe(false);
  });
});

describe('one collect at a time', () => {
  it('refuses a second execution started in the middle of the first with "already running since …"', () => {
    const opened = prepared();
    const { runner } = opened;
    let second: ReturnType<typeof runner.rpc> | null = null;
    let status: ReturnType<typeof runner.rpc> | null = null;
    const first = runner.invoke('collectFromGmail', [{}], 'rpc', {
      during: [
        {
          atCall: 60,
          run: () => {
            second = runner.rpc('collectFromGmail', {});
            status = runner.rpc('getCollectStatus');
          },
        },
      ],
    });
    expect(first.outcome).toBe('completed');
    expect(second!.outcome).toBe('threw');
    const since = (status!.value as { running: { sinceMs: number } | null }).running!.sinceMs;
    expect(since - first.startedAt).toBeGreaterThanOrEqual(0);
    expect(since - first.startedAt).toBeLessThan(1000);
    expect(second!.error!.message).toBe(`Une collecte est déjà en cours (depuis ${new Date(since).toISOString()}).`);
    expect(outcome(opened.workspace)).toEqual(undisturbed());
    expect((opened.runner.rpc('getCollectStatus').value as { running: unknown }).running).toBeNull();
  });
});
