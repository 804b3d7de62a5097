// Crash safety of the export through the built bundle: the execution doing the work killed at EVERY
// one of its service calls in turn (and startExport too), every execution killed at several
// killEvery values, and 15 % transient faults (429 / 5xx / network) on Gmail and Drive requests. Each
// time the export must end done with every selected message in exactly one batch file, every file the
// manifest lists present with its size, no other batch file, attachments stored once, one JobRuns row.

import type { WorkspaceOptions } from '../../../emulator/workspace';
import { makePdf } from '../../../emulator/demo/binary-files';
import { attachment, textPart, writeMessage } from '../../../emulator/demo/mime-writer';
import {
  batchNames,
  ensureBuilt,
  exportedMessages,
  folderFiles,
  manifestOf,
  NOW,
  openWorkspace,
  runExport,
  tab,
  type Opened,
} from './helpers';

beforeAll(ensureBuilt);

const MESSAGES = 9;

function prepared(options: WorkspaceOptions = {}): Opened & { ids: string[] } {
  const opened = openWorkspace(options);
  const ids: string[] = [];
  for (let i = 1; i <= MESSAGES; i++) {
    const parts = [textPart(`Facture ${i} : montant ${i * 10},00 €`)];
    if (i % 3 === 0) parts.push(attachment('application/pdf', `F-${i}.pdf`, makePdf([`Facture ${i}`])));
    const bytes = writeMessage(
      {
        from: 'Fournisseur <f@verre.fr>',
        to: opened.workspace.session.userEmail,
        subject: `Facture ${i} — réglée`,
        date: new Date(Date.parse(NOW) - i * 3_600_000),
        messageId: `r${i}@verre.fr`,
      },
      { kind: 'multi', subtype: 'mixed', parts },
      `resilience-${i}`,
    );
    ids.push(opened.workspace.mailbox.importRaw(new Uint8Array(bytes)).id);
  }
  return { ...opened, ids };
}

const INPUT = { batchSize: 4, includeAttachments: true };

/** What an export left, checked for completeness; returns the exported ids in file order. */
function checkOutcome(opened: Opened, result: ReturnType<typeof runExport>, label: string, attachmentFiles = 3): string[] {
  expect({ label, error: result.error, state: result.progress?.state }).toEqual({ label, error: null, state: 'done' });
  const files = folderFiles(opened, result.progress!.folderUrl);
  const manifest = manifestOf(files);
  expect({ label, listed: manifest.files.map((f: { name: string }) => f.name) }).toEqual({ label, listed: batchNames(files) });
  expect({ label, sizes: manifest.files.map((f: { bytes: number }) => f.bytes) }).toEqual({
    label,
    sizes: batchNames(files).map((name) => files.get(name)!.length),
  });
  const attachments = [...files.keys()].filter((name) => name.startsWith('attachments/')).sort();
  expect({ label, attachments }).toEqual({ label, attachments: expect.arrayContaining([]) });
  expect({ label, attachmentCount: attachments.length }).toEqual({ label, attachmentCount: attachmentFiles });
  expect({
    label,
    others: [...files.keys()].filter(
      (name) => name !== 'manifest.json' && !name.startsWith('attachments/') && !/^messages-\d{5}\.json$/.test(name),
    ),
  }).toEqual({ label, others: [] });
  expect({ label, runs: tab(opened.workspace, 'JobRuns').map((r) => `${r.job}:${r.status}`) }).toEqual({
    label,
    runs: ['export:succeeded'],
  });
  const [row] = tab(opened.workspace, 'JobRuns');
  expect({
    label,
    scanned: row.emails_scanned,
    folder: row.folder_url,
    started: row.started_at !== '',
  }).toEqual({
    label,
    scanned: MESSAGES,
    folder: result.progress!.folderUrl,
    started: true,
  });
  return exportedMessages(files).map((m) => m['Message-ID']);
}

function cleanCalls(execution: number): number {
  const opened = prepared();
  runExport(opened, INPUT);
  const calls = opened.workspace.accounting.byExecution[execution - 1].calls;
  return Object.entries(calls)
    .filter(([method]) => !method.startsWith('Gmail.REST.') && !method.startsWith('Drive.REST.'))
    .reduce((sum, [, n]) => sum + n, 0);
}

describe('killed at every call', () => {
  it('of the execution that does the work: every message in exactly one complete batch file', () => {
    const calls = cleanCalls(2);
    expect(calls).toBeGreaterThan(60);
    for (let killAtCall = 1; killAtCall <= calls; killAtCall++) {
      const opened = prepared();
      opened.workspace.faults.options.killExecution = 2;
      opened.workspace.faults.options.killAtCall = killAtCall;
      const result = runExport(opened, INPUT);
      expect(result.results.some((r) => r.outcome === 'killed')).toBe(true);
      expect({ killAtCall, ids: checkOutcome(opened, result, `kill at ${killAtCall}`) }).toEqual({ killAtCall, ids: opened.ids });
    }
  });

  it('of startExport: the export still happens once', () => {
    const calls = cleanCalls(1);
    for (let killAtCall = 1; killAtCall <= calls; killAtCall++) {
      const opened = prepared();
      opened.workspace.faults.options.killExecution = 1;
      opened.workspace.faults.options.killAtCall = killAtCall;
      const result = runExport(opened, INPUT);
      expect({ killAtCall, ids: checkOutcome(opened, result, `start killed at ${killAtCall}`) }).toEqual({ killAtCall, ids: opened.ids });
    }
  });

  it.each([45, 60, 90])(
    'every execution killed at its %i-th call (killEvery): the export still ends, smaller files after each crash',
    (killEvery) => {
      const opened = prepared({ killEvery });
      const result = runExport(opened, INPUT);
      expect(result.results.filter((r) => r.outcome === 'killed').length).toBeGreaterThan(0);
      expect(checkOutcome(opened, result, `killEvery ${killEvery}`)).toEqual(opened.ids);
    },
  );
});

/**
 * The smallest kill intervals at which every execution still makes durable progress: without
 * attachments an execution cut at its 10th call (9 calls) writes a file (lock 2, properties 1, run 1,
 * token 1, messages.get with the manifest riding 1, intent 1, file + manifest 1, checkpoint 1); with
 * attachments, at its 12th (the attachments' read, their decoding and upload come before the intent).
 */
const FLOOR = 10;
const FLOOR_WITH_ATTACHMENTS = 12;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The export's triggers still there once those left by an end cut short have fired (they find no export and go). */
function triggersLeftAfterFiring(opened: Opened): unknown[] {
  opened.workspace.faults.options.killEvery = undefined;
  for (let round = 0; round < 3 && opened.workspace.nextTriggerAt() !== null; round++)
    opened.runner.advanceAndFire(Math.max(0, opened.workspace.nextTriggerAt()! - opened.workspace.clock.now()));
  return opened.workspace.triggers.triggers.filter((t) => EXPORT_HANDLERS.includes(t.handlerFunction));
}

const RUN_KEY = 'postroom.export.run';
const EXPORT_HANDLERS = ['runExportContinue', 'runExportSafetyNet'];

function exportTriggers(opened: Opened): string[] {
  return opened.workspace.triggers.triggers.map((t) => t.handlerFunction).filter((name) => EXPORT_HANDLERS.includes(name));
}

/**
 * startExport (the user's click, not killed), then ONLY the triggers it and the executions armed, every
 * execution killed at its `killEvery`-th call; an export left with no trigger is an error.
 */
function runByTriggersAlone(opened: Opened, input: object, killEvery: number): ReturnType<typeof runExport> {
  const { workspace, runner } = opened;
  const started = runner.rpc('startExport', input);
  const results: ReturnType<typeof runner.invoke>[] = [];
  workspace.faults.options.killEvery = killEvery;
  const stop = (error: string | null): ReturnType<typeof runExport> => {
    workspace.faults.options.killEvery = undefined;
    const view = error ? null : runner.rpc('getExportProgress');
    workspace.faults.options.killEvery = killEvery;
    return { started: started.value, results, progress: view?.value ?? null, refused: null, error } as ReturnType<typeof runExport>;
  };
  for (let fired = 0; workspace.properties.user.values.has(RUN_KEY); fired++) {
    const next = workspace.nextTriggerAt();
    if (next === null) return stop('no trigger left while the export is under way');
    if (fired >= 1500) return stop('did not finish within 1500 trigger executions');
    results.push(...runner.advanceAndFire(Math.max(0, next - workspace.clock.now())));
  }
  return stop(null);
}

describe('a sweep of kill intervals from the floor', () => {
  it.each(range(FLOOR, 60))(
    'without attachments, every execution killed at its %i-th call: each message in exactly one file',
    (killEvery) => {
      const opened = prepared({ killEvery });
      const result = runExport(opened, { batchSize: 4 });
      expect(checkOutcome(opened, result, `killEvery ${killEvery}`, 0)).toEqual(opened.ids);
      expect(triggersLeftAfterFiring(opened)).toEqual([]);
      expect(checkOutcome(opened, result, `killEvery ${killEvery}, its triggers gone`, 0)).toEqual(opened.ids);
    },
  );

  it.each(range(FLOOR_WITH_ATTACHMENTS, 60))(
    'with attachments, every execution killed at its %i-th call: each message in one file, each attachment stored once',
    (killEvery) => {
      const opened = prepared({ killEvery });
      const result = runExport(opened, INPUT);
      expect(checkOutcome(opened, result, `killEvery ${killEvery}`)).toEqual(opened.ids);
    },
  );

  it.each(range(FLOOR, 30))(
    'in an add-on (hourly net + one-offs), driven by its triggers alone, every execution killed at its %i-th call: each message once',
    (killEvery) => {
      const opened = prepared({ addonMode: true });
      const result = runByTriggersAlone(opened, { batchSize: 4 }, killEvery);
      expect(checkOutcome(opened, result, `add-on, killEvery ${killEvery}`, 0)).toEqual(opened.ids);
      expect(triggersLeftAfterFiring(opened)).toEqual([]);
      expect(checkOutcome(opened, result, `add-on, killEvery ${killEvery}, after`, 0)).toEqual(opened.ids);
    },
  );

  it.each([FLOOR_WITH_ATTACHMENTS, 13, 14, 16, 20, 30])(
    'in an add-on with attachments, driven by its triggers alone, killed at its %i-th call: each message and attachment once',
    (killEvery) => {
      const opened = prepared({ addonMode: true });
      const result = runByTriggersAlone(opened, INPUT, killEvery);
      expect(checkOutcome(opened, result, `add-on with attachments, killEvery ${killEvery}`)).toEqual(opened.ids);
      expect(triggersLeftAfterFiring(opened)).toEqual([]);
    },
  );

  it.each([1, 2, 3])('in an add-on at the floor with 15 %% transient faults (seed %i), by its triggers alone', (seed) => {
    const plain = prepared({ addonMode: true, faultRate: 0.15, seed });
    expect(checkOutcome(plain, runByTriggersAlone(plain, { batchSize: 4 }, FLOOR), `add-on floor, seed ${seed}`, 0)).toEqual(plain.ids);
    expect(triggersLeftAfterFiring(plain)).toEqual([]);
    const withFiles = prepared({ addonMode: true, faultRate: 0.15, seed });
    expect(
      checkOutcome(withFiles, runByTriggersAlone(withFiles, INPUT, FLOOR_WITH_ATTACHMENTS), `add-on floor with attachments, seed ${seed}`),
    ).toEqual(withFiles.ids);
    expect(triggersLeftAfterFiring(withFiles)).toEqual([]);
  });

  it('in an add-on the start arms the hourly net once; a cancel between executions leaves no export trigger', () => {
    const opened = prepared({ addonMode: true });
    const { workspace, runner } = opened;
    runner.rpc('startExport', { batchSize: 4 });
    expect(exportTriggers(opened).sort()).toEqual(['runExportContinue', 'runExportSafetyNet']);
    expect(workspace.triggers.triggers.find((t) => t.handlerFunction === 'runExportSafetyNet')?.schedule).toEqual({ kind: 'hours', n: 1 });
    // Executions killed at their 20th call until one file is written: the export is under way, its triggers wait.
    workspace.faults.options.killEvery = 20;
    const files = () => JSON.parse(workspace.properties.user.values.get(RUN_KEY) as string).files as number;
    for (let round = 0; round < 20 && files() === 0; round++)
      runner.advanceAndFire(Math.max(0, workspace.nextTriggerAt()! - workspace.clock.now()));
    workspace.faults.options.killEvery = undefined;
    expect(files()).toBeGreaterThan(0);
    expect(workspace.properties.user.values.has(RUN_KEY)).toBe(true);
    expect(exportTriggers(opened)).toContain('runExportSafetyNet');
    const cancelled = runner.rpc('cancelExport').value as { state: string; folderUrl: string };
    expect(cancelled.state).toBe('cancelled');
    expect(exportTriggers(opened)).toEqual([]);
    expect(manifestOf(folderFiles(opened, cancelled.folderUrl))).toMatchObject({ state: 'cancelled' });
    expect(tab(workspace, 'JobRuns').map((r) => `${r.job}:${r.status}`)).toEqual(['export:cancelled']);
  });

  it('a trigger left by an end cut short (after the run was cleared) finds no export and removes itself', () => {
    const opened = prepared();
    opened.runner.rpc('startExport', { batchSize: 4 });
    const continuations = () => opened.workspace.triggers.triggers.filter((t) => t.handlerFunction === 'runExportContinue');
    // The start's one-off and the recurring trigger.
    expect(continuations().length).toBe(2);
    // An end cut short right after it cleared the run: its triggers are still there.
    opened.workspace.properties.user.values.delete('postroom.export.run');
    const fired = opened.runner.invoke('runExportContinue', [], 'trigger');
    expect(fired).toMatchObject({ outcome: 'completed', value: null });
    expect(continuations()).toEqual([]);
  });

  it('below the floor the driver says so instead of looping', () => {
    const opened = prepared({ killEvery: FLOOR - 1 });
    const result = runExport(opened, { batchSize: 4 });
    expect(result.error).toMatch(/startExport was cut off|no progress/);
  });

  it.each([1, 2, 3, 4, 5])('at the floor with 15 %% transient faults (seed %i), with and without attachments', (seed) => {
    const plain = prepared({ killEvery: FLOOR, faultRate: 0.15, seed });
    expect(checkOutcome(plain, runExport(plain, { batchSize: 4 }), `floor, faults seed ${seed}`, 0)).toEqual(plain.ids);
    const withFiles = prepared({ killEvery: FLOOR_WITH_ATTACHMENTS, faultRate: 0.15, seed });
    expect(checkOutcome(withFiles, runExport(withFiles, INPUT), `floor with attachments, faults seed ${seed}`)).toEqual(withFiles.ids);
  });
});

describe('transient faults', () => {
  it.each([1, 2, 3])('15 %% of Gmail and Drive requests fail (seed %i): every message exported once', (seed) => {
    const opened = prepared({ faultRate: 0.15, seed });
    const result = runExport(opened, INPUT);
    expect(checkOutcome(opened, result, `faults seed ${seed}`)).toEqual(opened.ids);
  });
});
