// The collect job's parallel uploads (Drive API multipart through UrlFetchApp.fetchAll), through the
// built bundle: one fault on one upload of a batch (a refusal, a server error, a network error that
// fails the whole fetchAll after the other uploads reached Drive). The files that were stored are
// recorded, and the failed upload is tried again within the run: a refused one through the REST upload,
// one in doubt the careful way (a probe by name reuses the file it may have made): the run ends with
// exactly the files, rows and labels of an undisturbed run, no copy. Also: uploads go in parallel, a
// dry run uploads nothing.

import { makePdf, makePng } from '../../../emulator/demo/binary-files';
import { attachment, textPart } from '../../../emulator/demo/mime-writer';
import type { TransientFault } from '../../../emulator/runtime/execution';
import { parseLogLines } from '../../../src/server/domain/collect/log';
import { addMessage, collect, collectedFiles, ensureBuilt, openWorkspace, outcome, receipts, type Opened } from './helpers';

beforeAll(ensureBuilt);

/** 8 messages, 12 files; the 2nd message has two (its PDF is the 2nd upload of the batch). */
function prepared(): Opened {
  const opened = openWorkspace();
  for (let n = 1; n <= 8; n++) {
    const parts = [textPart(`message ${n}`), attachment('application/pdf', `F-${n}.pdf`, makePdf([`F-${n}`, 'Montant TTC : 42,00 €']))];
    if (n % 2 === 0) parts.push(attachment('image/png', `scan-${n}.png`, makePng(4, 4, [n, 2 * n, 3 * n])));
    addMessage(opened.workspace, {
      date: new Date(Date.UTC(2026, 0, 5, 8 + n, 0, 0)),
      messageId: `upload-${n}@x`,
      subject: `Facture ${n}`,
      root: { kind: 'multi', subtype: 'mixed', parts },
    });
  }
  return opened;
}

const undisturbed = (() => {
  let value: ReturnType<typeof outcome> | null = null;
  return () =>
    (value ??= (() => {
      const opened = prepared();
      collect(opened);
      return outcome(opened.workspace);
    })());
})();

/**
 * Makes the 2nd request of the first fetchAll that carries Drive uploads fail with `fault`, once.
 * The emulator draws a fault per request just before the request reaches its route, in order; a
 * request follows an upload of the same fetchAll when the upload count grew since the previous draw.
 */
function faultSecondUpload(opened: Opened, fault: TransientFault): void {
  const { workspace } = opened;
  let call = 0;
  workspace.ctx.beforeCallHook = () => {
    call += 1;
  };
  let lastCall = -1;
  let lastUploads = 0;
  let fired = false;
  workspace.faults.transientFault = () => {
    const uploads = workspace.accounting.total.calls['Drive.REST.files.create'] ?? 0;
    const afterUpload = call === lastCall && uploads > lastUploads;
    lastCall = call;
    lastUploads = uploads;
    if (fired || !afterUpload) return null;
    fired = true;
    workspace.accounting.faultsInjected += 1;
    return fault;
  };
}

function logEvents(opened: Opened): Array<{ event: string; [key: string]: unknown }> {
  return opened.workspace.drive
    .listFiles()
    .filter((file) => file.path.startsWith('Postroom/logs/'))
    .flatMap((file) => parseLogLines(Buffer.from(opened.workspace.drive.get(file.id)!.bytes).toString('utf8'))) as Array<{ event: string }>;
}

const uploads = (opened: Opened) => opened.workspace.accounting.total.calls['Drive.REST.files.create'] ?? 0;
const driveAppCreates = (opened: Opened) => opened.workspace.accounting.total.calls['DriveApp.Folder.createFile'] ?? 0;

describe('uploads in parallel', () => {
  it('stores the 12 files with Drive REST uploads in one fetchAll: no DriveApp upload but the log', () => {
    const opened = prepared();
    const result = collect(opened);
    expect(result.summary!.metrics).toMatchObject({ receiptsCreated: 12, errorsCount: 0 });
    expect(uploads(opened)).toBe(12);
    expect(driveAppCreates(opened)).toBe(1); // the day's log file
    expect(outcome(opened.workspace)).toEqual(undisturbed());
    // Hashed by the platform (Utilities.computeDigest, one call per file), not in JavaScript; the
    // digests match Drive's own (outcome() checks each row's sha256 against its file).
    expect(opened.workspace.accounting.total.calls['Utilities.computeDigest']).toBe(12);
    // The bytes in Drive are the attachments' bytes, under their sanitised names, in the day folder.
    expect(collectedFiles(opened.workspace).map((f) => f.path)).toContain('Postroom/incoming/2026-01-05/F-2.pdf');
  });

  it('a dry run uploads nothing', () => {
    const opened = prepared();
    const result = collect(opened, { dryRun: true });
    expect(result.summary!.metrics.receiptsCreated).toBe(12);
    expect(uploads(opened)).toBe(0);
    expect(collectedFiles(opened.workspace)).toEqual([]);
    expect(receipts(opened.workspace)).toEqual([]);
  });
});

describe('one upload of a batch fails: tried again within the run', () => {
  it('refused (429): sent again through the REST upload (a 4xx created nothing); the run ends succeeded', () => {
    const opened = prepared();
    faultSecondUpload(opened, 'http429');
    const first = collect(opened);
    expect(first.summary).toMatchObject({ status: 'succeeded' });
    expect(first.summary!.metrics).toMatchObject({ receiptsCreated: 12, errorsCount: 0 });
    expect(uploads(opened)).toBe(12); // the refused one never reached Drive; its retry did
    expect(driveAppCreates(opened)).toBe(1); // the log
    expect(logEvents(opened).find((e) => e.event === 'run.uploads_retried')).toMatchObject({ files: 1, inDoubt: 0 });
    expect(outcome(opened.workspace)).toEqual(undisturbed());
    expect(opened.workspace.properties.user.values.has('postroom.collect.orphanRisk')).toBe(false);
  });

  it('in doubt (500): stored the careful way within the run (probe by name, then one upload alone), once', () => {
    const opened = prepared();
    faultSecondUpload(opened, 'http500');
    const first = collect(opened);
    expect(first.summary).toMatchObject({ status: 'succeeded' });
    expect(first.summary!.metrics).toMatchObject({ receiptsCreated: 12, errorsCount: 0 });
    expect(logEvents(opened).find((e) => e.event === 'run.uploads_retried')).toMatchObject({ files: 1, inDoubt: 1 });
    // Careful: a probe by name (nothing there: a 500 from the emulator created nothing), then that file
    // uploaded alone by the Drive API: 11 uploads of the batch reached Drive, then this one; DriveApp: the log.
    expect(uploads(opened)).toBe(12);
    expect(driveAppCreates(opened)).toBe(1);
    expect(outcome(opened.workspace)).toEqual(undisturbed());
    expect(opened.workspace.properties.user.values.has('postroom.collect.orphanRisk')).toBe(false);
  });

  it('network error: the whole fetchAll fails after 11 uploads reached Drive; the careful retry reuses those 11, no copy', () => {
    const opened = prepared();
    faultSecondUpload(opened, 'network');
    const first = collect(opened);
    expect(first.summary).toMatchObject({ status: 'succeeded' });
    expect(first.summary!.metrics).toMatchObject({ receiptsCreated: 12, errorsCount: 0 });
    expect(logEvents(opened).filter((e) => e.event === 'file.reused')).toHaveLength(11);
    // The one file that never reached Drive is uploaded alone (11 reached Drive in the batch); DriveApp: the log.
    expect(uploads(opened)).toBe(12);
    expect(driveAppCreates(opened)).toBe(1);
    expect(outcome(opened.workspace)).toEqual(undisturbed());
    const shas = collectedFiles(opened.workspace).map((f) => f.sha256);
    expect(new Set(shas).size).toBe(shas.length);
  });
});
