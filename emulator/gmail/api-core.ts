// The Gmail API's behaviour, shared by its two views (the Advanced `Gmail` service and the REST API
// reached through UrlFetchApp): per-method quota units taken from the user's 15,000 units / minute,
// request validation with Google's error codes, reasons and messages, messages.list with q / labelIds /
// paging, messages.get in every format, ephemeral attachment ids, sends that store the exact bytes in
// SENT, labels and drafts. Operations return plain JSON-able objects and throw GmailApiError, which each
// view renders in its own way (JSON error body, or "API call to gmail.users.x failed with error: ...").
// https://developers.google.com/workspace/gmail/api/reference/rest
// https://developers.google.com/workspace/gmail/api/reference/quota
// https://developers.google.com/workspace/gmail/api/guides/handle-errors

import { createHash } from 'node:crypto';
import { QuotaExceededError, type Quotas } from '../runtime/quotas';
import { ensureMessageId, viewOfBytes, type Mailbox, type SendAsRecord, type StoredMessage } from './mailbox';
import { findPart, toBase64Url, toGmailPayload, type GmailPayload } from './mime';
import { compileSearch, SearchSyntaxError } from './search';

/** Quota units per method (Gmail API quota page). */
export const GMAIL_UNITS = {
  'messages.list': 5,
  'messages.get': 5,
  'messages.modify': 5,
  'messages.batchModify': 50,
  'messages.send': 100,
  'messages.trash': 5,
  'messages.attachments.get': 5,
  'drafts.create': 10,
  'drafts.get': 5,
  'drafts.list': 5,
  'drafts.send': 100,
  'drafts.delete': 10,
  'labels.list': 1,
  'labels.create': 5,
  getProfile: 1,
  'history.list': 2,
  'settings.sendAs.list': 1,
  'settings.sendAs.get': 1,
} as const;

export type GmailMethod = keyof typeof GMAIL_UNITS;

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    errors: Array<{ message: string; domain: string; reason: string; location?: string; locationType?: string }>;
    status: string;
  };
}

/** An error as the Gmail API returns it: HTTP code, message, reason, domain and status. */
export class GmailApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
    readonly status: string,
    readonly domain = 'global',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GmailApiError';
  }

  toJson(): GoogleErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        errors: [{ message: this.message, domain: this.domain, reason: this.reason }],
        status: this.status,
      },
    };
  }
}

export const notFound = (): GmailApiError => new GmailApiError(404, 'Requested entity was not found.', 'notFound', 'NOT_FOUND');
export const invalidArgument = (message: string): GmailApiError => new GmailApiError(400, message, 'invalidArgument', 'INVALID_ARGUMENT');
export const badRequest = (message: string): GmailApiError => new GmailApiError(400, message, 'failedPrecondition', 'FAILED_PRECONDITION');

/** The transient errors Google's front ends return (fault injection). */
export function transientGmailError(kind: 'http429' | 'http500' | 'http503'): GmailApiError {
  if (kind === 'http429') {
    return new GmailApiError(429, 'Rate Limit Exceeded', 'rateLimitExceeded', 'RESOURCE_EXHAUSTED', 'usageLimits', { 'Retry-After': '1' });
  }
  if (kind === 'http500') return new GmailApiError(500, 'Backend Error', 'backendError', 'INTERNAL');
  return new GmailApiError(503, 'The service is currently unavailable.', 'backendError', 'UNAVAILABLE');
}

export type MessageFormat = 'full' | 'metadata' | 'minimal' | 'raw';

/**
 * A scripted fault: the next `times` calls (default every call) of the given methods (default any),
 * optionally only for one message id, fail with a chosen Gmail error, identically in the REST route
 * and the Advanced service. Tests use it to hold each transport to the same typed errors.
 */
export type GmailFaultKind = 'auth' | 'scope' | 'rate' | 'daily' | 'backend' | 'unavailable' | 'invalid' | 'notFound' | 'network';

export interface GmailFaultRule {
  kind: GmailFaultKind;
  methods?: GmailMethod[];
  /** Only requests about this message id (messages.get/modify/trash, attachments.get's message). */
  id?: string;
  times?: number;
}

/** No HTTP answer at all: the REST route lets it escape UrlFetchApp (the whole fetchAll throws). */
export class GmailNetworkFault extends Error {
  constructor(detail = 'Address unavailable: https://gmail.googleapis.com') {
    super(detail);
    this.name = 'Exception';
  }
}

/** The error Gmail answers for a scripted fault (`now` dates the daily limit's reset). */
export function scriptedGmailError(kind: Exclude<GmailFaultKind, 'network'>, now: number): GmailApiError {
  switch (kind) {
    case 'auth':
      return new GmailApiError(
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        'authError',
        'UNAUTHENTICATED',
        'global',
        { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' },
      );
    case 'scope':
      return new GmailApiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', 'PERMISSION_DENIED');
    case 'rate':
      return new GmailApiError(429, 'User-rate limit exceeded', 'userRateLimitExceeded', 'RESOURCE_EXHAUSTED', 'usageLimits', {
        'Retry-After': '2',
      });
    case 'daily': {
      const reset = new Date(now + 24 * 60 * 60_000).toISOString();
      return new GmailApiError(
        429,
        `User-rate limit exceeded.  Retry after ${reset} (Mail sending)`,
        'rateLimitExceeded',
        'RESOURCE_EXHAUSTED',
        'usageLimits',
      );
    }
    case 'backend':
      return new GmailApiError(500, 'Backend Error', 'backendError', 'INTERNAL');
    case 'unavailable':
      return new GmailApiError(503, 'The service is currently unavailable.', 'backendError', 'UNAVAILABLE');
    case 'invalid':
      return invalidArgument('Invalid argument');
    case 'notFound':
      return notFound();
  }
}

export interface ListHistoryParams {
  startHistoryId?: string;
  historyTypes?: string[];
  labelId?: string;
  maxResults?: number;
  pageToken?: string;
}

export interface ListMessagesParams {
  q?: string;
  labelIds?: string[];
  maxResults?: number;
  pageToken?: string;
  includeSpamTrash?: boolean;
}

export interface GetMessageParams {
  format?: string;
  metadataHeaders?: string[];
}

export interface MessageResource {
  id: string;
  threadId: string;
  labelIds: string[];
  snippet?: string;
  raw?: string;
  payload?: GmailPayload;
  sizeEstimate?: number;
  historyId?: string;
  internalDate?: string;
}

export interface ApiCoreOptions {
  mailbox: Mailbox;
  quotas: Quotas;
  now: () => number;
  /** IANA zone of the user (after:/before: dates). */
  timeZone?: string;
  /** An attachment id is refused this long after it was issued (virtual ms). Default 5 minutes. */
  attachmentIdTtlMs?: number;
  /** An attachment id is refused once this many newer messages.get of its message happened. Default 3. */
  attachmentIdGenerations?: number;
}

interface IssuedAttachment {
  messageId: string;
  partId: string;
  issuedAt: number;
  generation: number;
}

/** Counts the addresses of To + Cc + Bcc header values. */
export function countRecipients(...headerValues: string[]): number {
  return headerValues.reduce((sum, value) => sum + (value.match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? []).length, 0);
}

export class GmailApiCore {
  readonly mailbox: Mailbox;
  private readonly quotas: Quotas;
  private readonly now: () => number;
  private readonly timeZone: string;
  private readonly ttlMs: number;
  private readonly generations: number;
  private readonly issued = new Map<string, IssuedAttachment>();
  private readonly getCount = new Map<string, number>();
  private tokenCounter = 0;
  private readonly faultRules: Array<GmailFaultRule & { left: number }> = [];
  /** history.list refuses a startHistoryId below this (404, as Gmail does once history has expired). */
  historyFloor = 0;

  constructor(options: ApiCoreOptions) {
    this.mailbox = options.mailbox;
    this.quotas = options.quotas;
    this.now = options.now;
    this.timeZone = options.timeZone ?? 'UTC';
    this.ttlMs = options.attachmentIdTtlMs ?? 5 * 60_000;
    this.generations = options.attachmentIdGenerations ?? 3;
  }

  /** Takes the method's units from the per-user minute quota, or throws 429 userRateLimitExceeded. */
  charge(method: GmailMethod): void {
    try {
      this.quotas.consumeGmailUnits(GMAIL_UNITS[method]);
    } catch (error) {
      if (error instanceof QuotaExceededError) {
        throw new GmailApiError(429, 'User-rate limit exceeded', 'userRateLimitExceeded', 'RESOURCE_EXHAUSTED', 'usageLimits', {
          'Retry-After': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))),
        });
      }
      throw error;
    }
  }

  /** Scripts a fault (see GmailFaultRule). */
  injectFault(rule: GmailFaultRule): void {
    this.faultRules.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clearFaults(): void {
    this.faultRules.length = 0;
  }

  /** Throws the scripted fault of the first rule matching this call, if any (both views call it first). */
  checkFault(method: GmailMethod, id?: string): void {
    const rule = this.faultRules.find(
      (r) => r.left > 0 && (!r.methods || r.methods.includes(method)) && (r.id === undefined || r.id === id),
    );
    if (!rule) return;
    rule.left -= 1;
    if (rule.kind === 'network') throw new GmailNetworkFault();
    throw scriptedGmailError(rule.kind, this.now());
  }

  private checkUser(userId: string): void {
    if (userId === 'me' || userId.toLowerCase() === this.mailbox.userEmail.toLowerCase()) return;
    throw new GmailApiError(403, `Delegation denied for ${this.mailbox.userEmail}`, 'forbidden', 'PERMISSION_DENIED');
  }

  private message(id: string): StoredMessage {
    if (!/^[0-9a-f]{1,16}$/i.test(id)) throw invalidArgument('Invalid id value');
    const message = this.mailbox.getMessage(id.toLowerCase());
    if (!message) throw notFound();
    return message;
  }

  private checkLabels(ids: string[] | undefined): string[] {
    for (const id of ids ?? []) if (!this.mailbox.labelById(id)) throw invalidArgument(`Invalid label: ${id}`);
    return ids ?? [];
  }

  // ---- profile and messages -------------------------------------------------------------------

  getProfile(userId: string): { emailAddress: string; messagesTotal: number; threadsTotal: number; historyId: string } {
    this.charge('getProfile');
    this.checkUser(userId);
    const messages = this.mailbox.allMessages();
    return {
      emailAddress: this.mailbox.userEmail,
      messagesTotal: messages.length,
      threadsTotal: new Set(messages.map((message) => message.threadId)).size,
      historyId: String(this.mailbox.historyId),
    };
  }

  /** Messages matching q and labelIds, newest first, `maxResults` (default 100, at most 500) per page. */
  listMessages(
    userId: string,
    params: ListMessagesParams = {},
  ): { messages?: Array<{ id: string; threadId: string }>; nextPageToken?: string; resultSizeEstimate: number } {
    this.charge('messages.list');
    this.checkUser(userId);
    const matches = this.search(params.q ?? '', params.labelIds, Boolean(params.includeSpamTrash), this.mailbox.allMessages());
    return this.page(
      matches.map((message) => ({ id: message.id, threadId: message.threadId })),
      params.maxResults,
      params.pageToken,
      'messages',
    );
  }

  private search(q: string, labelIds: string[] | undefined, includeSpamTrash: boolean, candidates: StoredMessage[]): StoredMessage[] {
    const labels = this.checkLabels(labelIds);
    let compiled;
    try {
      compiled = compileSearch(q, {
        now: this.now(),
        userEmail: this.mailbox.userEmail,
        timeZone: this.timeZone,
        labelName: (id) => this.mailbox.labelById(id)?.name,
      });
    } catch (error) {
      if (error instanceof SearchSyntaxError) throw invalidArgument(`Invalid search query: ${error.message}`);
      throw error;
    }
    const explicitSpamTrash = labels.includes('TRASH') || labels.includes('SPAM');
    return candidates.filter(
      (message) => labels.every((id) => message.labelIds.has(id)) && compiled.matches(message, includeSpamTrash || explicitSpamTrash),
    );
  }

  private page<T, K extends string>(
    items: T[],
    maxResults: number | undefined,
    pageToken: string | undefined,
    key: K,
  ): { [P in K]?: T[] } & { nextPageToken?: string; resultSizeEstimate: number } {
    const size = Math.min(500, Math.max(1, Math.floor(Number(maxResults ?? 100)) || 100));
    let start = 0;
    if (pageToken !== undefined && pageToken !== '') {
      if (!/^\d{20}$/.test(pageToken)) throw invalidArgument('Invalid pageToken');
      start = Number(pageToken);
    }
    const slice = items.slice(start, start + size);
    const result = { resultSizeEstimate: items.length } as { [P in K]?: T[] } & { nextPageToken?: string; resultSizeEstimate: number };
    if (slice.length > 0) (result as Record<string, unknown>)[key] = slice;
    if (start + size < items.length) result.nextPageToken = String(start + size).padStart(20, '0');
    return result;
  }

  /** messages.get: a NEW attachment id for every attachment part on every call. */
  getMessage(userId: string, id: string, params: GetMessageParams = {}): MessageResource {
    this.charge('messages.get');
    this.checkUser(userId);
    return this.render(this.message(id), params);
  }

  private render(message: StoredMessage, params: GetMessageParams): MessageResource {
    const format = (params.format ?? 'full').toLowerCase();
    if (!['full', 'metadata', 'minimal', 'raw'].includes(format)) throw invalidArgument(`Invalid value at 'format' (${params.format})`);
    const resource: MessageResource = {
      id: message.id,
      threadId: message.threadId,
      labelIds: [...message.labelIds],
      snippet: message.view.snippet,
    };
    if (format === 'raw') resource.raw = toBase64Url(message.raw);
    if (format === 'full') resource.payload = this.payloadWithFreshIds(message);
    if (format === 'metadata') {
      const wanted = (params.metadataHeaders ?? []).map((name) => name.toLowerCase());
      const full = toGmailPayload(message.tree, () => '');
      resource.payload = {
        partId: '',
        mimeType: full.mimeType,
        filename: '',
        headers: wanted.length === 0 ? full.headers : full.headers.filter((header) => wanted.includes(header.name.toLowerCase())),
        body: { size: 0 },
      };
    }
    resource.sizeEstimate = message.sizeEstimate;
    resource.historyId = String(message.historyId);
    resource.internalDate = String(message.internalDate);
    return resource;
  }

  private payloadWithFreshIds(message: StoredMessage): GmailPayload {
    const generation = (this.getCount.get(message.id) ?? 0) + 1;
    this.getCount.set(message.id, generation);
    const issuedAt = this.now();
    return toGmailPayload(message.tree, (partId) => {
      this.tokenCounter += 1;
      const digest = createHash('sha256').update(`${message.id}/${partId}/${this.tokenCounter}`).digest();
      const token = `ANGjdJ${toBase64Url(new Uint8Array(Buffer.concat([digest, createHash('sha256').update(digest).digest()]))).replace(/=+$/, '')}`;
      this.issued.set(token, { messageId: message.id, partId, issuedAt, generation });
      return token;
    });
  }

  /** attachments.get: the part's bytes, if the id is one we issued for this message and still valid. */
  getAttachment(userId: string, messageId: string, attachmentId: string): { attachmentId: string; size: number; data: string } {
    this.charge('messages.attachments.get');
    this.checkUser(userId);
    const message = this.message(messageId);
    const issued = this.issued.get(attachmentId);
    const latest = this.getCount.get(message.id) ?? 0;
    if (
      !issued ||
      issued.messageId !== message.id ||
      this.now() - issued.issuedAt > this.ttlMs ||
      latest - issued.generation >= this.generations
    ) {
      throw invalidArgument('Invalid attachment token');
    }
    const part = findPart(message.tree, issued.partId);
    if (!part) throw notFound();
    return { attachmentId, size: part.body.length, data: toBase64Url(part.body) };
  }

  modifyMessage(userId: string, id: string, request: { addLabelIds?: string[]; removeLabelIds?: string[] }): MessageResource {
    this.charge('messages.modify');
    this.checkUser(userId);
    const message = this.message(id);
    const add = this.checkLabels(request.addLabelIds);
    const remove = this.checkLabels(request.removeLabelIds);
    this.mailbox.modifyLabels(message.id, add, remove);
    return { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] };
  }

  batchModify(userId: string, request: { ids?: string[]; addLabelIds?: string[]; removeLabelIds?: string[] }): void {
    this.charge('messages.batchModify');
    this.checkUser(userId);
    const ids = request.ids ?? [];
    if (ids.length === 0) throw invalidArgument('ids must be specified');
    if (ids.length > 1000) throw invalidArgument('Too many ids: at most 1000');
    const add = this.checkLabels(request.addLabelIds);
    const remove = this.checkLabels(request.removeLabelIds);
    // Like Gmail, ids that do not exist are skipped; the batch is not atomic per message.
    for (const id of ids) if (this.mailbox.getMessage(id)) this.mailbox.modifyLabels(id, add, remove);
  }

  trashMessage(userId: string, id: string): MessageResource {
    this.charge('messages.trash');
    this.checkUser(userId);
    const message = this.mailbox.trash(this.message(id).id);
    return { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] };
  }

  /** The bytes as they go out: Gmail adds a Message-ID when the message has none. */
  private prepareOutgoing(raw: Uint8Array): Uint8Array {
    return ensureMessageId(raw, () => {
      const digest = createHash('sha256').update(`${this.mailbox.newId()}/${this.now()}`).digest('base64');
      return `CA${digest.replace(/[^A-Za-z0-9]/g, '').slice(0, 40)}@mail.gmail.com`;
    });
  }

  private checkSendable(raw: Uint8Array | null): Uint8Array {
    if (!raw || raw.length === 0) {
      throw invalidArgument("'raw' RFC822 payload message string or uploading message via /upload/* URL required");
    }
    return raw;
  }

  /** messages.send: the exact bytes (plus a Message-ID if missing) stored with SENT. */
  sendMessage(userId: string, raw: Uint8Array | null, threadId?: string): MessageResource {
    this.charge('messages.send');
    this.checkUser(userId);
    const bytes = this.prepareOutgoing(this.checkSendable(raw));
    this.checkRecipients(bytes);
    this.consumeSend();
    const message = this.mailbox.insertSent(bytes, threadId);
    return { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] };
  }

  private checkRecipients(bytes: Uint8Array): number {
    const probe = viewOfBytes(bytes);
    const recipients = countRecipients(probe.to, probe.cc, probe.bcc);
    if (recipients === 0) throw invalidArgument('Recipient address required');
    return recipients;
  }

  /** Recipients of raw bytes (To + Cc + Bcc), for the views' accounting. */
  recipientsOf(raw: Uint8Array): number {
    const probe = viewOfBytes(raw);
    return countRecipients(probe.to, probe.cc, probe.bcc);
  }

  private consumeSend(): void {
    try {
      this.quotas.consumeGmailMessage();
    } catch (error) {
      if (error instanceof QuotaExceededError) {
        throw new GmailApiError(429, error.message, 'userRateLimitExceeded', 'RESOURCE_EXHAUSTED', 'usageLimits');
      }
      throw error;
    }
  }

  // ---- history --------------------------------------------------------------------------------

  /**
   * history.list, messageAdded records only: every message that entered the mailbox after
   * startHistoryId, oldest first (label changes and deletions are not recorded here).
   */
  listHistory(
    userId: string,
    params: ListHistoryParams,
  ): {
    history?: Array<{
      id: string;
      messages: Array<{ id: string; threadId: string }>;
      messagesAdded: Array<{ message: { id: string; threadId: string; labelIds: string[] } }>;
    }>;
    nextPageToken?: string;
    historyId: string;
  } {
    this.charge('history.list');
    this.checkUser(userId);
    const start = params.startHistoryId ?? '';
    if (start === '') throw invalidArgument('Required parameter: startHistoryId');
    if (!/^\d{1,20}$/.test(start)) throw invalidArgument(`Invalid value at 'start_history_id' (TYPE_UINT64), "${start}"`);
    if (Number(start) < this.historyFloor) throw notFound();
    if (params.labelId) this.checkLabels([params.labelId]);
    const types = params.historyTypes ?? [];
    const wanted = types.length === 0 || types.includes('messageAdded');
    const added = wanted
      ? this.mailbox
          .allMessages()
          .filter((message) => message.addedHistoryId > Number(start) && (!params.labelId || message.labelIds.has(params.labelId)))
          .sort((a, b) => a.addedHistoryId - b.addedHistoryId)
      : [];
    const records = added.map((message) => ({
      id: String(message.addedHistoryId),
      messages: [{ id: message.id, threadId: message.threadId }],
      messagesAdded: [{ message: { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] } }],
    }));
    const { resultSizeEstimate: _estimate, ...paged } = this.page(records, params.maxResults, params.pageToken, 'history');
    return { ...paged, historyId: String(this.mailbox.historyId) };
  }

  // ---- labels ---------------------------------------------------------------------------------

  listLabels(userId: string): {
    labels: Array<{ id: string; name: string; type: string; messageListVisibility?: string; labelListVisibility?: string }>;
  } {
    this.charge('labels.list');
    this.checkUser(userId);
    return {
      labels: this.mailbox
        .labels()
        .map((label) =>
          label.type === 'user'
            ? { id: label.id, name: label.name, messageListVisibility: 'show', labelListVisibility: 'labelShow', type: 'user' }
            : { id: label.id, name: label.name, type: 'system' },
        ),
    };
  }

  createLabel(
    userId: string,
    resource: { name?: string; messageListVisibility?: string; labelListVisibility?: string },
  ): { id: string; name: string; type: string; messageListVisibility: string; labelListVisibility: string } {
    this.charge('labels.create');
    this.checkUser(userId);
    const name = (resource.name ?? '').trim();
    if (name === '') throw invalidArgument('Invalid label name');
    if (this.mailbox.labelByName(name)) throw new GmailApiError(409, 'Label name exists or conflicts', 'duplicate', 'ALREADY_EXISTS');
    const label = this.mailbox.createLabel(name);
    return {
      id: label.id,
      name: label.name,
      messageListVisibility: resource.messageListVisibility ?? 'show',
      labelListVisibility: resource.labelListVisibility ?? 'labelShow',
      type: 'user',
    };
  }

  // ---- drafts ---------------------------------------------------------------------------------

  createDraft(userId: string, raw: Uint8Array | null, threadId?: string): { id: string; message: MessageResource } {
    this.charge('drafts.create');
    this.checkUser(userId);
    const { draftId, message } = this.mailbox.createDraft(this.checkSendable(raw), threadId);
    return { id: draftId, message: { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] } };
  }

  getDraft(userId: string, id: string, params: GetMessageParams = {}): { id: string; message: MessageResource } {
    this.charge('drafts.get');
    this.checkUser(userId);
    const message = this.mailbox.draftMessage(id);
    if (!message) throw notFound();
    return { id, message: this.render(message, params) };
  }

  listDrafts(
    userId: string,
    params: { q?: string; maxResults?: number; pageToken?: string; includeSpamTrash?: boolean } = {},
  ): { drafts?: Array<{ id: string; message: { id: string; threadId: string } }>; nextPageToken?: string; resultSizeEstimate: number } {
    this.charge('drafts.list');
    this.checkUser(userId);
    const drafts = this.mailbox.drafts();
    const matching = new Set(
      this.search(
        params.q ?? '',
        undefined,
        Boolean(params.includeSpamTrash),
        drafts.map((draft) => draft.message),
      ),
    );
    const items = drafts
      .filter((draft) => matching.has(draft.message))
      .map((draft) => ({ id: draft.draftId, message: { id: draft.message.id, threadId: draft.message.threadId } }));
    return this.page(items, params.maxResults, params.pageToken, 'drafts');
  }

  /** drafts.send: the draft is removed and its bytes sent (404 if the draft is gone: e.g. already sent). */
  sendDraft(userId: string, resource: { id?: string }): MessageResource {
    this.charge('drafts.send');
    this.checkUser(userId);
    if (!resource.id) throw invalidArgument('Draft id required');
    const draft = this.mailbox.draftMessage(resource.id);
    if (!draft) throw notFound();
    this.checkRecipients(draft.raw);
    this.consumeSend();
    const message = this.mailbox.sendDraft(resource.id, (bytes) => this.prepareOutgoing(bytes));
    return { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] };
  }

  deleteDraft(userId: string, id: string): void {
    this.charge('drafts.delete');
    this.checkUser(userId);
    if (!this.mailbox.deleteDraft(id)) throw notFound();
  }

  // ---- settings: send-as aliases (the send extras' From) ---------------------------------------

  /** users.settings.sendAs.list: the primary address and the aliases, verified or pending. */
  listSendAs(userId: string): { sendAs: SendAsRecord[] } {
    this.charge('settings.sendAs.list');
    this.checkUser(userId);
    return { sendAs: this.mailbox.sendAs().map((alias) => ({ ...alias })) };
  }

  /** users.settings.sendAs.get: one alias by address (404 when the account has none of that name). */
  getSendAs(userId: string, sendAsEmail: string): SendAsRecord {
    this.charge('settings.sendAs.get');
    this.checkUser(userId);
    const alias = this.mailbox.sendAs().find((a) => a.sendAsEmail.toLowerCase() === sendAsEmail.toLowerCase());
    if (!alias) throw notFound();
    return { ...alias };
  }
}
