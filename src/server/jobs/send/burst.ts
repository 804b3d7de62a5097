// Building a burst: each row checked again (addresses, placeholders, attachments found), the
// attachments' bytes read in parallel (one loadAll per burst; a file shared by rows is read once), the
// MIME message built and encoded for Gmail's `raw` (base64 on the platform, not in the script). A row that cannot be built is not sent: it fails,
// or (a read that may work later) goes back to the queue shortly, not counted as a send attempt. `warmUp` spends a wait for the
// pacer finding and reading the next rows' files.

import { PostroomError } from '../../domain/errors';
import { buildMessage } from '../../domain/send/mime';
import { checkSendRow, describeRowProblems, toMessageInput, type PlannedSend, type ResolvedAttachment } from '../../domain/send/plan';
import { recordRetry } from '../../domain/send/progress';
import { retryDelay } from '../../domain/send/retry';
import { formatSheetTime, parseAttachmentRefs, type SendRow } from '../../domain/send/send-list';
import type { LoadOutcome } from '../../ports/send';
import { markFailed, type SendContext } from './context';
import { PREFETCH_BATCH, PREFETCH_BYTES, READ_AGAIN_MS, READ_FAILURES_FREE } from './constants';
import { messageIdOf, type Prepared } from './group';

/** An attempt that failed before its request left (an attachment could not be read): retried or failed. */
function failAttempt(s: SendContext, row: SendRow, error: string, retry: boolean, now: number): void {
  if (!retry || row.attempts > s.settings.maxRetries) {
    markFailed(s, row, retry ? `${error} — gave up after ${row.attempts} attempt(s)` : error);
    return;
  }
  const delayMs = retryDelay(row.attempts - 1, s.settings, { random: s.deps.random });
  s.table.set(row, { status: 'queued', error, nextAttemptAt: formatSheetTime(now + delayMs) });
  s.progress = recordRetry(s.progress, { key: row.key, error, delayMs }, now);
}

/**
 * A row whose attachment could not be read for a reason that may pass (after the adapter's own
 * retries): a read is not a send, so the first READ_FAILURES_FREE times in an execution the row goes
 * back to the queue as it was before its mark (the attempt does not count, no backoff), due again
 * READ_AGAIN_MS later; after that, as an attempt that failed (counted, with the user's backoff), so a
 * file Drive never serves ends the row's tries.
 */
function readFailed(s: SendContext, row: SendRow, error: string, now: number, readFailures: Map<SendRow, number>): void {
  const failures = (readFailures.get(row) ?? 0) + 1;
  readFailures.set(row, failures);
  if (failures > READ_FAILURES_FREE) {
    failAttempt(s, row, error, true, now);
    return;
  }
  s.table.set(row, {
    status: 'queued',
    attempts: Math.max(0, row.attempts - 1),
    error,
    nextAttemptAt: formatSheetTime(now + READ_AGAIN_MS),
  });
  s.progress = recordRetry(s.progress, { key: row.key, error, delayMs: READ_AGAIN_MS }, now);
}

/** A Drive failure that may pass (the listing could not be read after its retries). */
export function isTransientFailure(error: unknown): error is PostroomError {
  return error instanceof PostroomError && error.code === 'TRANSIENT';
}

/**
 * Rows checked again before their send; those with problems fail now. A row whose files could not be
 * looked up for a failure that may pass goes back to the queue with a delay (not sent, not failed).
 */
function recheckRows(
  s: SendContext,
  rows: readonly SendRow[],
  readFailures: Map<SendRow, number>,
): Array<{ row: SendRow; planned: PlannedSend }> {
  const settings = s.settings;
  const checked: Array<{ row: SendRow; planned: PlannedSend }> = [];
  for (const row of rows) {
    let result: ReturnType<typeof checkSendRow>;
    try {
      result = checkSendRow(row, {
        settings,
        resolveAttachments: (r, refs) => s.deps.attachments.resolve(r, refs, settings.attachmentsFolder),
      });
    } catch (error) {
      if (!isTransientFailure(error)) throw error;
      readFailed(s, row, error.message, s.deps.clock.now(), readFailures);
      continue;
    }
    if ('problems' in result) markFailed(s, row, describeRowProblems(result.problems, s.locale));
    else checked.push({ row, planned: result.planned });
  }
  return checked;
}

/**
 * The messages of a burst, built; rows that could not be built are out of it (failed or queued).
 * `readFailures` counts, per row, the reads that failed in this execution.
 */
export function prepareBurst(s: SendContext, rows: readonly SendRow[], readFailures: Map<SendRow, number> = new Map()): Prepared[] {
  const settings = s.settings;
  const checked = recheckRows(s, rows, readFailures);
  const ids = [...new Set(checked.flatMap((c) => c.planned.attachments.map((a) => a.id)))];
  const loaded = new Map<string, LoadOutcome>();
  if (ids.length) s.deps.attachments.loadAll(ids).forEach((outcome, i) => loaded.set(ids[i], outcome));
  const now = s.deps.clock.now();
  const sender = s.deps.sender.address;
  const built: Array<{ row: SendRow; text: string }> = [];
  for (const { row, planned } of checked) {
    const failed = planned.attachments.map((a) => loaded.get(a.id)).find((outcome) => !outcome || !outcome.ok);
    if (failed !== undefined) {
      if (failed && !failed.ok) {
        if (failed.retry) readFailed(s, row, failed.error, now, readFailures);
        else failAttempt(s, row, failed.error, false, now);
      } else throw new PostroomError('INTERNAL', `No read outcome for an attachment of row ${row.rowNumber}`);
      continue;
    }
    const bytesOf = (a: { id: string }) => (loaded.get(a.id) as Extract<LoadOutcome, { ok: true }>).file.bytes;
    try {
      const base = toMessageInput(planned, { name: settings.senderName, address: sender }, messageIdOf(s, row), now, bytesOf, {
        'X-Postroom-Send-Id': row.sendId,
      });
      const input = s.deps.decorateMessage ? s.deps.decorateMessage(base, row) : base;
      built.push({ row, text: buildMessage(input) });
    } catch (error) {
      if (error instanceof PostroomError && error.code === 'INVALID_INPUT') {
        markFailed(s, row, error.message);
        continue;
      }
      throw error;
    }
  }
  // One platform call encodes the whole burst.
  const raws = s.deps.base64.encodeMessagesWebSafe(built.map((b) => b.text));
  return built.map((b, i): Prepared => ({ row: b.row, raw: raws[i] }));
}

/** A row whose files a wait already found (the adapter keeps them), their size, and whether it read them. */
export interface Warmed {
  files: readonly ResolvedAttachment[];
  bytes: number;
  read: boolean;
}

/**
 * Spends a wait for the pacer (until `until`) getting the next rows ready: their files found (the
 * adapter keeps what it found for the execution) and, for the first `readAhead` rows (those the next
 * group will send), read, PREFETCH_BATCH files at a time, as far as PREFETCH_BYTES from the first row,
 * so that their bursts read nothing (and a read that fails and is tried again costs the wait, not a
 * burst's slot). True when it did anything.
 */
export function warmUp(s: SendContext, rows: readonly SendRow[], until: number, warmed: Map<SendRow, Warmed>, readAhead = 0): boolean {
  const toRead: Warmed[] = [];
  const read = () => {
    const ids = toRead.flatMap((w) => w.files.map((file) => file.id));
    if (ids.length && s.deps.clock.now() < until) {
      s.deps.attachments.loadAll(ids);
      for (const w of toRead) w.read = true;
    }
    toRead.length = 0;
  };
  let bytes = 0;
  let worked = false;
  for (const [index, row] of rows.entries()) {
    if (s.deps.clock.now() >= until || bytes >= PREFETCH_BYTES) break;
    let known = warmed.get(row);
    if (!known) {
      const refs = parseAttachmentRefs(row.attachments);
      worked = true;
      let files: readonly ResolvedAttachment[] = [];
      try {
        if (refs.length) files = s.deps.attachments.resolve(row, refs, s.settings.attachmentsFolder).found;
      } catch (error) {
        // Only a head start: the burst looks the files up again (and handles the failure) when it is built.
        if (!isTransientFailure(error)) throw error;
        break;
      }
      known = { files, bytes: files.reduce((sum, file) => sum + file.size, 0), read: false };
      warmed.set(row, known);
    }
    if (index >= readAhead) continue;
    bytes += known.bytes;
    if (known.read || !known.files.length) continue;
    worked = true;
    toRead.push(known);
    if (toRead.length >= PREFETCH_BATCH) read();
  }
  read();
  return worked;
}
