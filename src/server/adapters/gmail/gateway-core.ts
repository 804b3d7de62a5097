// The MailGateway over any Gmail transport (REST through UrlFetchApp.fetchAll, or the Advanced Gmail
// service): builds the Gmail API requests of each operation, retries the idempotent ones within the
// call (transient errors and rate limits, backoff with jitter, never sooner than Retry-After), never
// retries a send, parses Gmail's JSON into the port's plain data and counts calls and quota units.
// Both transports share this file, so they give the same answers; they differ only in how a request
// travels (transport.run). Bytes (attachments, raw messages) are decoded by the platform (the Codecs
// port, Utilities.base64DecodeWebSafe), never in the script's JavaScript; an answer whose bytes are not
// base64 is that item's TransientError, not a crash of the batch.
// https://developers.google.com/gmail/api/reference/rest

import { toUint8Array } from '../../domain/encoding';
import { errorMessage } from '../../domain/errors';
import { TransientError, type MailError } from '../../domain/mail-errors';
import { headerValue, type GmailMessage } from '../../domain/collect/mime-walk';
import { decodeHeaders, headersOfRaw, readMessageView, type MessageView } from '../../domain/mail/message-view';
import { QuotaMeter } from '../../domain/mail/quota-units';
import { IDEMPOTENT_RETRY, isRetryable, retryWaitMs, type RetryPolicy } from '../../domain/mail/retry-policy';
import type {
  AttachmentRef,
  HistoryPage,
  MailGateway,
  MailLabel,
  MailMessage,
  MailOutcome,
  MailProfile,
  MailDraft,
  SendAsAddress,
  MessageFormat,
  SearchPage,
  SentMessage,
  SentReceipt,
} from '../../ports/mail-gateway';
import type { Codecs } from '../../ports/codecs';
import type { ApiAnswer, ApiRequest, GmailTransport } from './api-request';

export const SEND_ID_HEADER = 'X-Postroom-Send-Id';
/** Requests per call when idempotent requests are tried again (see `idempotent`). */
export const RETRY_BATCH = 10;
/** batchModify takes at most 1,000 ids. */
export const MODIFY_BATCH = 1000;

export interface GatewayDeps {
  sleep(ms: number): void;
  random(): number;
  /** Decodes the base64url bytes of Gmail's answers (the platform's, not JavaScript). */
  codecs: Pick<Codecs, 'base64DecodeEach'>;
  policy?: RetryPolicy;
}

/** The reason a TransientError carries when an answer's bytes could not be decoded. */
export const MALFORMED_ANSWER = 'malformedAnswer';

type Json = Record<string, unknown>;

const asJson = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
const num = (value: unknown): number => (Number.isFinite(Number(value)) ? Number(value) : 0);
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(asJson) : []);

function outcome<T>(answer: ApiAnswer, parse: (json: Json) => T): MailOutcome<T> {
  return answer.ok ? { ok: true, value: parse(asJson(answer.json)) } : { ok: false, error: answer.error };
}

/** A byte field of an answer: base64url text (REST), or the byte array the Advanced service hands over. */
type ByteField = string | readonly number[] | null;

function byteField(value: unknown): ByteField {
  if (Array.isArray(value)) return value as number[];
  return value === undefined || value === null ? null : str(value);
}

/**
 * The outcomes of answers carrying bytes in `field`: every base64 text of the batch decoded by the
 * platform at once (codecs.base64DecodeEach, one Utilities call for a whole fetchAll), a byte array
 * taken as it is. Bytes that are not base64 make that item a TransientError (the answer was garbled on
 * its way; a read may be tried again), the others go on.
 */
function withBytes<T>(
  answers: readonly ApiAnswer[],
  operation: string,
  codecs: Pick<Codecs, 'base64DecodeEach'>,
  field: (json: Json) => unknown,
  build: (json: Json, bytes: Uint8Array | undefined) => T,
): Array<MailOutcome<T>> {
  const fields = answers.map((answer) => (answer.ok ? byteField(field(asJson(answer.json))) : null));
  const texts: string[] = [];
  const textAt = fields.map((value) => (typeof value === 'string' ? texts.push(value) - 1 : -1));
  const decoded = texts.length ? codecs.base64DecodeEach(texts) : [];
  return answers.map((answer, i): MailOutcome<T> => {
    if (!answer.ok) return { ok: false, error: answer.error };
    const value = fields[i];
    const bytes = textAt[i] >= 0 ? decoded[textAt[i]] : Array.isArray(value) ? toUint8Array(value as number[]) : undefined;
    if (bytes instanceof Error) {
      const detail = `the answer's bytes are not base64 (${errorMessage(bytes)})`;
      return {
        ok: false,
        error: new TransientError({ operation, status: 200, detail, reasons: [MALFORMED_ANSWER], mayHaveHappened: false }),
      };
    }
    return { ok: true, value: build(asJson(answer.json), bytes) };
  });
}

function toMessage(json: Json, format: MessageFormat, raw?: Uint8Array): MailMessage {
  const { raw: _rawField, ...resource } = json;
  const payload = asJson(resource.payload);
  const message: MailMessage = {
    id: str(json.id),
    threadId: str(json.threadId),
    labelIds: Array.isArray(json.labelIds) ? json.labelIds.map(str) : [],
    snippet: str(json.snippet),
    historyId: str(json.historyId),
    internalDate: num(json.internalDate),
    sizeEstimate: num(json.sizeEstimate),
    headers: raw ? headersOfRaw(raw) : decodeHeaders(Array.isArray(payload.headers) ? (payload.headers as never) : []),
    resource: resource as unknown as GmailMessage,
  };
  if (raw) message.raw = raw;
  if (format === 'full') {
    // Decoded on first read: a job that only walks attachments (collect) never pays for the bodies.
    let view: MessageView | undefined;
    Object.defineProperty(message, 'view', {
      enumerable: true,
      configurable: true,
      get: () => (view ??= readMessageView(message.resource)),
    });
  }
  return message;
}

function toSent(json: Json): SentMessage {
  const headers = Array.isArray(asJson(json.payload).headers)
    ? (asJson(json.payload).headers as Array<{ name: string; value: string }>)
    : [];
  return {
    id: str(json.id),
    threadId: str(json.threadId),
    internalDate: num(json.internalDate),
    sendId: headerValue(headers, SEND_ID_HEADER).trim(),
    messageId: headerValue(headers, 'Message-ID').trim(),
  };
}

/** Label names with their parents ("A/B" → "A", "A/B"), parents first, each once. */
function withParents(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const parts = name.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (prefix && !out.includes(prefix)) out.push(prefix);
    }
  }
  return out;
}

export function createMailGateway(transport: GmailTransport, deps: GatewayDeps): MailGateway {
  const meter = new QuotaMeter();
  const policy = deps.policy ?? IDEMPOTENT_RETRY;

  /** Each request once: for sends, which are never repeated (a send with no answer may have gone out). */
  function once(requests: readonly ApiRequest[], operation: string): ApiAnswer[] {
    if (!requests.length) return [];
    const answers = transport.run(requests, operation);
    if (answers.length !== requests.length)
      throw new Error(`${transport.kind} transport answered ${answers.length} of ${requests.length} requests`);
    requests.forEach((request, i) => {
      const answer = answers[i];
      if (answer.ok || !answer.notSent) meter.charge(request.method);
    });
    return answers;
  }

  /**
   * Idempotent requests: the retryable failures are tried again, after a wait, a few times. `batch`
   * sends the first attempt that many at a time too (see listSent).
   */
  function idempotent(requests: readonly ApiRequest[], operation: string, batch = Number.POSITIVE_INFINITY): ApiAnswer[] {
    const answers: ApiAnswer[] = [];
    for (let start = 0; start < requests.length; start += batch) answers.push(...once(requests.slice(start, start + batch), operation));
    for (let attempt = 1; attempt < policy.maxAttempts; attempt++) {
      const pending = answers
        .map((answer, index) => index)
        .filter((index) => {
          const answer = answers[index];
          return !answer.ok && isRetryable(answer.error, policy);
        });
      if (!pending.length) break;
      const errors = pending.map((index) => (answers[index] as { error: MailError }).error);
      deps.sleep(retryWaitMs(attempt - 1, errors, policy, deps.random));
      // Tried again RETRY_BATCH at a time: a fetchAll fails whole at the network level, so one bad
      // request in a large retry would fail (and, as reads are performed, charge) all the others again.
      for (let start = 0; start < pending.length; start += RETRY_BATCH) {
        const part = pending.slice(start, start + RETRY_BATCH);
        once(
          part.map((index) => requests[index]),
          operation,
        ).forEach((answer, k) => {
          answers[part[k]] = answer;
        });
      }
    }
    return answers;
  }

  const single = <T>(request: ApiRequest, operation: string, parse: (json: Json) => T): MailOutcome<T> =>
    outcome(idempotent([request], operation)[0], parse);

  function listLabels(operation: string): MailOutcome<MailLabel[]> {
    return single({ method: 'labels.list' }, operation, (json) =>
      list(json.labels).map((label) => ({ id: str(label.id), name: str(label.name), type: label.type === 'system' ? 'system' : 'user' })),
    );
  }

  /** Per-message label changes: batchModify by 1,000; a rejected chunk is redone message by message. */
  function changeLabels(
    ids: readonly string[],
    add: readonly string[],
    remove: readonly string[],
    operation: string,
  ): Array<MailOutcome<true>> {
    if (!add.length && !remove.length) return ids.map(() => ({ ok: true, value: true }));
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += MODIFY_BATCH) chunks.push(ids.slice(i, i + MODIFY_BATCH));
    const answers = idempotent(
      chunks.map((chunk): ApiRequest => ({ method: 'messages.batchModify', ids: chunk, addLabelIds: add, removeLabelIds: remove })),
      operation,
    );
    return chunks.flatMap((chunk, c): Array<MailOutcome<true>> => {
      const answer = answers[c];
      if (answer.ok) return chunk.map(() => ({ ok: true, value: true }));
      // One bad id must fail only itself: a rejected chunk is redone per message (5 units each) —
      // unless Gmail rejected a label ("Invalid label: …"), which would fail every message alike.
      const perMessageCanHelp = answer.error.kind === 'invalid_request' && chunk.length > 1 && !/\blabel\b/i.test(answer.error.detail);
      if (!perMessageCanHelp) return chunk.map(() => ({ ok: false, error: answer.error }));
      return idempotent(
        chunk.map((id): ApiRequest => ({ method: 'messages.modify', id, addLabelIds: add, removeLabelIds: remove })),
        operation,
      ).map((each) => outcome(each, (): true => true));
    });
  }

  return {
    kind: transport.kind,

    profile(): MailOutcome<MailProfile> {
      return single({ method: 'users.getProfile' }, 'profile', (json) => ({
        emailAddress: str(json.emailAddress),
        messagesTotal: num(json.messagesTotal),
        threadsTotal: num(json.threadsTotal),
        historyId: str(json.historyId),
      }));
    },

    listLabels: () => listLabels('listLabels'),

    ensureLabels(names) {
      const wanted = [...new Set(names.filter(Boolean))];
      if (!wanted.length) return { ok: true, value: {} };
      let labels = listLabels('ensureLabels');
      if (!labels.ok) return labels;
      const byName = new Map(labels.value.map((label) => [label.name, label.id]));
      let listedAgain = false;
      for (const name of withParents(wanted)) {
        if (byName.has(name)) continue;
        const [created] = idempotent([{ method: 'labels.create', name }], 'ensureLabels');
        if (created.ok) {
          byName.set(name, str(asJson(created.json).id));
          continue;
        }
        // 409: created meanwhile by another execution (or a retried create that did land): list again.
        if (created.error.status !== 409 || listedAgain) return { ok: false, error: created.error };
        listedAgain = true;
        labels = listLabels('ensureLabels');
        if (!labels.ok) return labels;
        for (const label of labels.value) byName.set(label.name, label.id);
        if (!byName.has(name)) return { ok: false, error: created.error };
      }
      return { ok: true, value: Object.fromEntries(wanted.map((name) => [name, byName.get(name) as string])) };
    },

    search(query, options = {}): MailOutcome<SearchPage> {
      const max = Math.min(500, Math.max(1, Math.floor(options.max ?? 100)));
      return single(
        {
          method: 'messages.list',
          ...(query ? { q: query } : {}),
          ...(options.labelIds?.length ? { labelIds: options.labelIds } : {}),
          maxResults: max,
          ...(options.pageToken ? { pageToken: options.pageToken } : {}),
        },
        'search',
        (json) => ({
          ids: list(json.messages).map((m) => str(m.id)),
          nextPageToken: json.nextPageToken ? str(json.nextPageToken) : null,
          resultSizeEstimate: num(json.resultSizeEstimate),
        }),
      );
    },

    getMessages(ids, format, options = {}) {
      const requests = ids.map((id): ApiRequest => ({
        method: 'messages.get',
        id,
        format,
        ...(format === 'metadata' && options.metadataHeaders?.length ? { metadataHeaders: options.metadataHeaders } : {}),
      }));
      const answers = idempotent(requests, 'getMessages');
      if (format !== 'raw') return answers.map((answer) => outcome(answer, (json) => toMessage(json, format)));
      return withBytes(
        answers,
        'getMessages',
        deps.codecs,
        (json) => json.raw,
        (json, raw) => toMessage(json, format, raw),
      );
    },

    getAttachments(refs: readonly AttachmentRef[]) {
      const requests = refs.map((ref): ApiRequest => ({
        method: 'messages.attachments.get',
        messageId: ref.messageId,
        id: ref.attachmentId,
      }));
      return withBytes(
        idempotent(requests, 'getAttachments'),
        'getAttachments',
        deps.codecs,
        (json) => json.data,
        (_json, bytes) => bytes ?? new Uint8Array(0),
      );
    },

    markRead: (ids) => changeLabels(ids, [], ['UNREAD'], 'markRead'),

    modifyLabels: (ids, add, remove) => changeLabels(ids, add, remove, 'modifyLabels'),

    trash(ids) {
      return idempotent(
        ids.map((id): ApiRequest => ({ method: 'messages.trash', id })),
        'trash',
      ).map((answer) => outcome(answer, (): true => true));
    },

    send(raws): Array<MailOutcome<SentReceipt>> {
      return once(
        raws.map((raw): ApiRequest => ({ method: 'messages.send', raw })),
        'send',
      ).map((answer) => outcome(answer, (json) => ({ id: str(json.id), threadId: str(json.threadId) })));
    },

    listSent(options = {}) {
      const page = single(
        {
          method: 'messages.list',
          labelIds: ['SENT'],
          maxResults: Math.min(500, Math.max(1, options.max ?? 100)),
          ...(options.pageToken ? { pageToken: options.pageToken } : {}),
        },
        'listSent',
        (json) => ({ ids: list(json.messages).map((m) => str(m.id)), nextPageToken: json.nextPageToken ? str(json.nextPageToken) : null }),
      );
      if (!page.ok) return page;
      const toRead = page.value.ids.filter((id) => !options.skipIds?.has(id));
      // RETRY_BATCH reads per call from the first attempt: Gmail charges each read even when a network
      // failure loses its answer with its whole fetchAll, and the check's units are taken from the
      // minute of the sends it runs between.
      const answers = idempotent(
        toRead.map((id): ApiRequest => ({
          method: 'messages.get',
          id,
          format: 'metadata',
          metadataHeaders: [SEND_ID_HEADER, 'Message-ID'],
        })),
        'listSent',
        RETRY_BATCH,
      );
      const messages: SentMessage[] = [];
      for (const answer of answers) {
        if (answer.ok) messages.push(toSent(asJson(answer.json)));
        // Deleted since it was listed: not ours to find any more. Anything else leaves the page unread.
        else if (answer.error.kind !== 'not_found') return { ok: false, error: answer.error };
      }
      return { ok: true, value: { messages, ids: page.value.ids, nextPageToken: page.value.nextPageToken } };
    },

    history(startHistoryId, options = {}): MailOutcome<HistoryPage> {
      return single(
        {
          method: 'history.list',
          startHistoryId,
          historyTypes: ['messageAdded'],
          ...(options.labelId ? { labelId: options.labelId } : {}),
          ...(options.pageToken ? { pageToken: options.pageToken } : {}),
        },
        'history',
        (json) => {
          const added = new Set<string>();
          for (const record of list(json.history)) {
            for (const entry of list(record.messagesAdded)) {
              const id = str(asJson(entry.message).id);
              if (id) added.add(id);
            }
          }
          return {
            addedIds: [...added],
            historyId: str(json.historyId),
            nextPageToken: json.nextPageToken ? str(json.nextPageToken) : null,
          };
        },
      );
    },

    listDrafts(options = {}) {
      return single(
        {
          method: 'drafts.list',
          maxResults: Math.min(500, Math.max(1, options.max ?? 100)),
          ...(options.pageToken ? { pageToken: options.pageToken } : {}),
        },
        'listDrafts',
        (json) => ({ ids: list(json.drafts).map((d) => str(d.id)), nextPageToken: json.nextPageToken ? str(json.nextPageToken) : null }),
      );
    },

    getDrafts(ids): Array<MailOutcome<MailDraft>> {
      return withBytes(
        idempotent(
          ids.map((id): ApiRequest => ({ method: 'drafts.get', id, format: 'raw' })),
          'getDrafts',
        ),
        'getDrafts',
        deps.codecs,
        (json) => asJson(json.message).raw,
        (json, raw) => {
          const message = asJson(json.message);
          return { id: str(json.id), messageId: str(message.id), internalDate: num(message.internalDate), raw: raw ?? new Uint8Array(0) };
        },
      );
    },

    listSendAs(): MailOutcome<SendAsAddress[]> {
      return single({ method: 'settings.sendAs.list' }, 'listSendAs', (json) =>
        list(json.sendAs).map((alias) => ({
          email: str(alias.sendAsEmail),
          displayName: str(alias.displayName),
          isPrimary: alias.isPrimary === true,
          isDefault: alias.isDefault === true,
          // Gmail gives the primary address no verificationStatus: it is always usable.
          verificationStatus: alias.isPrimary === true ? 'accepted' : str(alias.verificationStatus) || 'pending',
        })),
      );
    },

    usage: () => meter.usage(),
  };
}
