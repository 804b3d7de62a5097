// Adapter: reading and labelling the user's mailbox through the Gmail REST API (collect; the export reads through the MailGateway port).
// Messages are fetched in parallel batches (fetchAll), labels are changed per MESSAGE with
// batchModify (labelling whole threads is what makes other tools re-import or miss mail), and
// attachments are fetched with the attachmentId of the same messages.get, because attachment ids are
// not stable between calls.
// https://developers.google.com/gmail/api/reference/rest/v1/users.messages

import { localizedError } from '../domain/errors';
import { base64Decode } from '../domain/encoding';
import { callGmailIdempotent, gmailErrorMessage, type GmailCall, type GmailReply } from './gmail-rest';
import { translateServer } from '../domain/server-messages';
import { userLocale } from './session';

/** A Gmail API message resource, as much of it as Postroom reads. */
export interface GmailMessageResource {
  id: string;
  threadId: string;
  labelIds?: string[];
  internalDate?: string;
  sizeEstimate?: number;
  snippet?: string;
  payload?: GmailPart;
}

export interface GmailPart {
  partId?: string;
  mimeType?: string;
  filename?: string;
  headers?: Array<{ name: string; value: string }>;
  body?: { size?: number; data?: string; attachmentId?: string };
  parts?: GmailPart[];
}

/** Largest fetchAll batch: Gmail advises at most 50 calls per batch. */
export const FETCH_BATCH = 50;
/** batchModify takes at most 1,000 ids. */
export const MODIFY_BATCH = 1000;

export type Fetched<T> = { ok: true; value: T } | { ok: false; error: string; status: number };

function toFetched<T>(reply: GmailReply, map: (json: unknown) => T): Fetched<T> {
  if (reply.status >= 200 && reply.status < 300) return { ok: true, value: map(reply.json) };
  return { ok: false, error: gmailErrorMessage(reply), status: reply.status };
}

function inBatches<T, R>(items: readonly T[], size: number, run: (batch: T[]) => R[]): R[] {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...run(items.slice(i, i + size)));
  return out;
}

function mustSucceed(reply: GmailReply, what: string): unknown {
  if (reply.status >= 200 && reply.status < 300) return reply.json;
  const code = reply.status === 0 || reply.status === 429 || reply.status >= 500 ? 'TRANSIENT' : 'PERMANENT';
  throw localizedError(code, translateServer, 'gmail.failed', { operation: what, detail: gmailErrorMessage(reply) }, { locale: userLocale() });
}

export interface MessagePage {
  ids: string[];
  nextPageToken: string | null;
}

/** One page of message ids matching a Gmail search, newest first (5 quota units). */
export function listMessageIds(query: string, pageToken: string | null, maxResults = 100): MessagePage {
  const [reply] = callGmailIdempotent([
    { method: 'get', path: 'messages', query: { q: query, maxResults, ...(pageToken ? { pageToken } : {}) } },
  ]);
  const json = mustSucceed(reply, `Gmail search "${query}"`) as { messages?: Array<{ id: string }>; nextPageToken?: string };
  return { ids: (json.messages ?? []).map((m) => m.id), nextPageToken: json.nextPageToken ?? null };
}

/** Full message resources, in parallel batches (5 units each); one failure does not hide the others. */
export function getMessages(ids: readonly string[], format: 'full' | 'metadata' = 'full'): Array<Fetched<GmailMessageResource>> {
  return inBatches(ids, FETCH_BATCH, (batch) =>
    callGmailIdempotent(batch.map((id): GmailCall => ({ method: 'get', path: `messages/${encodeURIComponent(id)}`, query: { format } }))).map(
      (reply) => toFetched(reply, (json) => json as GmailMessageResource),
    ),
  );
}

export interface AttachmentRef {
  messageId: string;
  attachmentId: string;
}

/** Attachment bytes, in parallel batches (5 units each). */
export function getAttachments(refs: readonly AttachmentRef[]): Array<Fetched<Uint8Array>> {
  return inBatches(refs, FETCH_BATCH, (batch) =>
    callGmailIdempotent(
      batch.map((ref): GmailCall => ({
        method: 'get',
        path: `messages/${encodeURIComponent(ref.messageId)}/attachments/${encodeURIComponent(ref.attachmentId)}`,
      })),
    ).map((reply) => toFetched(reply, (json) => base64Decode((json as { data?: string }).data ?? ''))),
  );
}

/** Label ids by name, creating the missing ones (labels.list 1 unit, labels.create 5 units). */
export function ensureLabels(names: readonly string[]): Record<string, string> {
  const wanted = [...new Set(names.filter(Boolean))];
  if (!wanted.length) return {};
  const [reply] = callGmailIdempotent([{ method: 'get', path: 'labels' }]);
  const labels = ((mustSucceed(reply, 'Gmail labels') as { labels?: Array<{ id: string; name: string }> }).labels ?? []);
  const byName: Record<string, string> = {};
  for (const label of labels) byName[label.name] = label.id;
  const missing = wanted.filter((name) => !(name in byName));
  // Nested labels ("Postroom/imported") need their parents to show as a tree in Gmail.
  const toCreate = [...new Set(missing.flatMap((name) => name.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))))].filter(
    (name) => !(name in byName),
  );
  for (const name of toCreate) {
    const [created] = callGmailIdempotent([
      { method: 'post', path: 'labels', body: { name, labelListVisibility: 'labelShow', messageListVisibility: 'show' } },
    ]);
    // 409: created meanwhile by another execution; list again to learn its id.
    if (created.status === 409) return ensureLabels(wanted);
    byName[name] = (mustSucceed(created, `Creating Gmail label "${name}"`) as { id: string }).id;
  }
  const out: Record<string, string> = {};
  for (const name of wanted) out[name] = byName[name];
  return out;
}

/** Adds and removes labels on messages (not threads), 1,000 ids per call (50 units each). */
export function modifyMessages(ids: readonly string[], addLabelIds: readonly string[], removeLabelIds: readonly string[]): void {
  if (!ids.length || (!addLabelIds.length && !removeLabelIds.length)) return;
  const calls = [];
  for (let i = 0; i < ids.length; i += MODIFY_BATCH) {
    calls.push({
      method: 'post' as const,
      path: 'messages/batchModify',
      body: { ids: ids.slice(i, i + MODIFY_BATCH), addLabelIds, removeLabelIds },
    });
  }
  callGmailIdempotent(calls).forEach((reply) => mustSucceed(reply, 'Gmail batchModify'));
}
