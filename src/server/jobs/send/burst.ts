// Building a burst: each row checked again (addresses, placeholders, attachments found), the
// attachments' bytes read in parallel (one loadAll per burst; a file shared by rows is read once), the
// MIME message built and encoded for Gmail's `raw` (base64 on the platform, not in the script). A row that cannot be built is not sent: it fails,
// or (a read that may work later) goes back to the queue with a delay. `warmUp` spends a wait for the
// pacer finding the next rows' files.

import { PostroomError } from '../../domain/errors';
import { buildMessage } from '../../domain/send/mime';
import { checkSendRow, describeRowProblems, toMessageInput, type PlannedSend } from '../../domain/send/plan';
import { recordRetry } from '../../domain/send/progress';
import { retryDelay } from '../../domain/send/retry';
import { formatSheetTime, parseAttachmentRefs, type SendRow } from '../../domain/send/send-list';
import type { LoadOutcome } from '../../ports/send';
import { markFailed, type SendContext } from './context';
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

/** A Drive failure that may pass (the listing could not be read after its retries). */
export function isTransientFailure(error: unknown): error is PostroomError {
  return error instanceof PostroomError && error.code === 'TRANSIENT';
}

/**
 * Rows checked again before their send; those with problems fail now. A row whose files could not be
 * looked up for a failure that may pass goes back to the queue with a delay (not sent, not failed).
 */
function recheckRows(s: SendContext, rows: readonly SendRow[]): Array<{ row: SendRow; planned: PlannedSend }> {
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
      failAttempt(s, row, error.message, true, s.deps.clock.now());
      continue;
    }
    if ('problems' in result) markFailed(s, row, describeRowProblems(result.problems, s.locale));
    else checked.push({ row, planned: result.planned });
  }
  return checked;
}

/** The messages of a burst, built; rows that could not be built are out of it (failed or queued). */
export function prepareBurst(s: SendContext, rows: readonly SendRow[]): Prepared[] {
  const settings = s.settings;
  const checked = recheckRows(s, rows);
  const ids = [...new Set(checked.flatMap((c) => c.planned.attachments.map((a) => a.id)))];
  const loaded = new Map<string, LoadOutcome>();
  if (ids.length) s.deps.attachments.loadAll(ids).forEach((outcome, i) => loaded.set(ids[i], outcome));
  const now = s.deps.clock.now();
  const sender = s.deps.sender.address;
  const built: Array<{ row: SendRow; text: string }> = [];
  for (const { row, planned } of checked) {
    const failed = planned.attachments.map((a) => loaded.get(a.id)).find((outcome) => !outcome || !outcome.ok);
    if (failed !== undefined) {
      if (failed && !failed.ok) failAttempt(s, row, failed.error, failed.retry, now);
      else throw new PostroomError('INTERNAL', `No read outcome for an attachment of row ${row.rowNumber}`);
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

/**
 * Finds the files of rows about to be sent (the adapter keeps what it found for the execution), until
 * `until`: a wait for the pacer is spent on the Drive listing instead of the next burst.
 */
export function warmUp(s: SendContext, rows: readonly SendRow[], until: number, warmed: Set<SendRow>): void {
  for (const row of rows) {
    if (s.deps.clock.now() >= until) return;
    if (warmed.has(row)) continue;
    warmed.add(row);
    const refs = parseAttachmentRefs(row.attachments);
    try {
      if (refs.length) s.deps.attachments.resolve(row, refs, s.settings.attachmentsFolder);
    } catch (error) {
      // Only a head start: the burst looks the files up again (and handles the failure) when it is built.
      if (!isTransientFailure(error)) throw error;
      return;
    }
  }
}
