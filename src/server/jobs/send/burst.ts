// Building a burst: each row checked again (addresses, placeholders, attachments found), the
// attachments' bytes read in parallel (one loadAll per burst; a file shared by rows is read once), the
// MIME message built and encoded for Gmail's `raw`. A row that cannot be built is not sent: it fails,
// or (a read that may work later) goes back to the queue with a delay. `warmUp` spends a wait for the
// pacer finding the next rows' files.

import { base64UrlEncode, utf8Encode } from '../../domain/encoding';
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

/** Rows checked again before their send; those with problems fail now. */
function recheckRows(s: SendContext, rows: readonly SendRow[]): Array<{ row: SendRow; planned: PlannedSend }> {
  const settings = s.settings;
  const checked: Array<{ row: SendRow; planned: PlannedSend }> = [];
  for (const row of rows) {
    const result = checkSendRow(row, {
      settings,
      resolveAttachments: (r, refs) => s.deps.attachments.resolve(r, refs, settings.attachmentsFolder),
    });
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
  const prepared: Prepared[] = [];
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
      prepared.push({ row, raw: base64UrlEncode(utf8Encode(buildMessage(input)), { pad: true }) });
    } catch (error) {
      if (error instanceof PostroomError && error.code === 'INVALID_INPUT') {
        markFailed(s, row, error.message);
        continue;
      }
      throw error;
    }
  }
  return prepared;
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
    if (refs.length) s.deps.attachments.resolve(row, refs, s.settings.attachmentsFolder);
  }
}
