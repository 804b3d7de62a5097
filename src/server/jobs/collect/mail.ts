// The collect job's use of the MailGateway, and what its typed errors mean here. Reads are idempotent:
// the gateway retries transient errors and rate limits within the call (backoff, Retry-After); the job
// then reads what still failed again, in small groups (a network failure fails a whole fetchAll), a
// few passes later in the run; only what fails all of them is an error of that message, met again by
// the next run. An AuthError or a
// PermissionError cannot get better by trying again: it stops the run, with the user's-language
// message (MailError.userMessage).

import { walkMessage } from '../../domain/collect';
import { isMailError, type MailError } from '../../domain/mail-errors';
import type { MailGateway, MailMessage, MailOutcome } from '../../ports/mail-gateway';
import type { MessagePlan } from './execution';

/** An attachment's bytes, or the typed error that stopped its download. */
export type Download = MailOutcome<Uint8Array>;

/** True for the mail errors that stop the run (the user must act: re-authorise, grant a scope). */
export function stopsTheRun(error: unknown): error is MailError {
  return isMailError(error) && (error.kind === 'auth' || error.kind === 'permission');
}

/** The value of an outcome, or its error thrown (for calls whose failure fails the step). */
export function valueOf<T>(outcome: MailOutcome<T>): T {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Throws the first error of a batch that stops the run; the others stay per-item outcomes. */
function throwIfStopping(outcomes: ReadonlyArray<MailOutcome<unknown>>): void {
  for (const outcome of outcomes) if (!outcome.ok && stopsTheRun(outcome.error)) throw outcome.error;
}

/** One page of ids matching the run's query (newest first). */
export function searchPage(
  mail: MailGateway,
  query: string,
  pageToken: string | null,
  max: number,
): { ids: string[]; nextPageToken: string | null } {
  const page = valueOf(mail.search(query, { pageToken, max }));
  return { ids: page.ids, nextPageToken: page.nextPageToken };
}

/** Passes over the reads still failing after the gateway's own retries, the group size, and the pause before each. */
export const EXTRA_READ_PASSES = 3;
export const READ_RETRY_GROUP = 5;
export const READ_RETRY_PAUSE_MS = 2000;

/** Reads that may work later (transient, rate limit) are read again, in small groups, after a pause. */
function readPatiently<T>(
  items: readonly T[],
  read: (items: readonly T[]) => Array<MailOutcome<unknown>>,
  pause: (ms: number) => void,
): Array<MailOutcome<unknown>> {
  const outcomes = read(items);
  throwIfStopping(outcomes);
  for (let pass = 1; pass <= EXTRA_READ_PASSES; pass++) {
    const failed = outcomes
      .map((_, index) => index)
      .filter((index) => {
        const outcome = outcomes[index];
        return !outcome.ok && mayPass(outcome.error);
      });
    if (!failed.length) break;
    pause(READ_RETRY_PAUSE_MS * pass);
    for (let start = 0; start < failed.length; start += READ_RETRY_GROUP) {
      const group = failed.slice(start, start + READ_RETRY_GROUP);
      const again = read(group.map((index) => items[index]));
      throwIfStopping(again);
      group.forEach((index, k) => (outcomes[index] = again[k]));
    }
  }
  return outcomes;
}

/** A read error that may pass if tried again later: no answer, a 5xx, a rate limit (not the daily quota). */
export function mayPass(error: Pick<MailError, 'kind' | 'quotaScope'>): boolean {
  return error.kind === 'transient' || (error.kind === 'quota' && error.quotaScope !== 'daily');
}

/** The batch's messages in full, walked; a message that could not be read carries its error. */
export function fetchMessages(mail: MailGateway, ids: readonly string[], pause: (ms: number) => void): MessagePlan[] {
  const outcomes = readPatiently(ids, (some) => mail.getMessages(some, 'full'), pause) as Array<MailOutcome<MailMessage>>;
  return ids.map((id, i) => {
    const outcome = outcomes[i];
    if (!outcome.ok) return { id, fetchError: outcome.error.message, fetchMayPass: mayPass(outcome.error), walk: null };
    return { id, fetchError: null, walk: walkMessage(outcome.value.resource) };
  });
}

/** Attachment bytes by the ids of the same messages.get; one outcome per ref, in order. */
export function fetchAttachments(
  mail: MailGateway,
  refs: ReadonlyArray<{ messageId: string; attachmentId: string }>,
  pause: (ms: number) => void,
): Download[] {
  return readPatiently(refs, (some) => mail.getAttachments(some), pause) as Download[];
}

/** Label ids by name, created when missing. */
export function labelIds(mail: MailGateway, names: readonly string[]): Record<string, string> {
  return valueOf(mail.ensureLabels(names));
}

/** Adds / removes labels on messages; returns the ids that failed, with the first error. */
export function modifyMessages(
  mail: MailGateway,
  ids: readonly string[],
  add: readonly string[],
  remove: readonly string[],
): { failed: string[]; error: MailError | null } {
  const outcomes = mail.modifyLabels(ids, add, remove);
  throwIfStopping(outcomes);
  const failed: string[] = [];
  let error: MailError | null = null;
  outcomes.forEach((outcome, i) => {
    if (outcome.ok) return;
    failed.push(ids[i]);
    error ??= outcome.error;
  });
  return { failed, error };
}

/** Gmail API requests this execution sent through the gateway (retries included). */
export function requestsSent(mail: MailGateway): number {
  return mail.usage().calls;
}
