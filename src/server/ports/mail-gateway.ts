// Port: the one mail gateway every job uses (collect, send, export). One interface for every mail
// operation, the same calls whatever sits behind it: the Gmail REST API through UrlFetchApp.fetchAll
// (parallel, the default) or the Advanced Gmail service (one call at a time). Batched operations take
// arrays and return one outcome per item, in order, so a fault fails that item, not the batch's
// meaning. Failures are the typed errors of domain/mail-errors.ts, never a bare status code.
// Everything here is plain data: no Apps Script object crosses this line.

import type { GmailMessage } from '../domain/collect/mime-walk';
import type { MailError } from '../domain/mail-errors';
import type { MessageView } from '../domain/mail/message-view';

/** One item's outcome: its value, or the typed error that stopped it. */
export type MailOutcome<T> = { ok: true; value: T } | { ok: false; error: MailError };

export type MessageFormat = 'minimal' | 'metadata' | 'full' | 'raw';

export interface MailProfile {
  emailAddress: string;
  messagesTotal: number;
  threadsTotal: number;
  /** The mailbox's current history id (the starting point of later `history` calls). */
  historyId: string;
}

export interface MailLabel {
  id: string;
  name: string;
  type: 'system' | 'user';
}

export interface SearchPage {
  /** Message ids, newest first, as Gmail lists them. */
  ids: string[];
  nextPageToken: string | null;
  /** Gmail's estimate of the total matching messages (messages.list resultSizeEstimate). */
  resultSizeEstimate: number;
}

export interface SearchOptions {
  pageToken?: string | null;
  /** Page size, 1–500 (Gmail's maximum). */
  max?: number;
  /** Label ids to filter on (e.g. ["SENT"]: the label listing, which does not lag like the search index). */
  labelIds?: readonly string[];
}

/**
 * A message as the gateway returns it. `resource` is the Gmail API message resource (payload tree with
 * base64url bodies for 'full' / 'metadata'); `headers` are the top-level headers, RFC 2047-decoded, by
 * lower-case name (first occurrence, read from the bytes for 'raw'); `raw` holds the RFC 5322 bytes for
 * format 'raw'; `view` the decoded bodies and attachment list for 'full' (domain/mail/message-view.ts).
 */
export interface MailMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  snippet: string;
  historyId: string;
  /** Epoch ms (Gmail internalDate). */
  internalDate: number;
  sizeEstimate: number;
  headers: Record<string, string>;
  resource: GmailMessage;
  raw?: Uint8Array;
  view?: MessageView;
}

export interface GetMessagesOptions {
  /** With 'metadata': only these headers (Gmail's metadataHeaders). */
  metadataHeaders?: readonly string[];
}

/** An attachment to fetch, by the attachment id of the SAME messages.get (ids are not stable across calls). */
export interface AttachmentRef {
  messageId: string;
  attachmentId: string;
}

/** A sent message as the in-doubt check reads it (format=metadata). */
export interface SentMessage {
  id: string;
  threadId: string;
  /** Epoch ms. */
  internalDate: number;
  /** The X-Postroom-Send-Id header, '' when absent. */
  sendId: string;
  /** The Message-ID header, '' when absent. */
  messageId: string;
}

export interface SentPage {
  messages: SentMessage[];
  nextPageToken: string | null;
}

export interface HistoryPage {
  /** Ids of messages added since the start id (messageAdded records), oldest first. */
  addedIds: string[];
  /** The history id reached. */
  historyId: string;
  nextPageToken: string | null;
}

export interface SentReceipt {
  id: string;
  threadId: string;
}

/** A Gmail draft with its message's raw bytes (drafts.get format=raw). */
export interface MailDraft {
  id: string;
  messageId: string;
  /** Epoch ms (the draft message's internalDate: its last change). */
  internalDate: number;
  raw: Uint8Array;
}

/** A send-as address of the account (users.settings.sendAs). */
export interface SendAsAddress {
  email: string;
  displayName: string;
  isPrimary: boolean;
  isDefault: boolean;
  /** "accepted" once the address's owner confirmed it; the primary address is always "accepted". */
  verificationStatus: string;
}

export interface MailGateway {
  readonly kind: 'rest' | 'advanced';
  profile(): MailOutcome<MailProfile>;
  listLabels(): MailOutcome<MailLabel[]>;
  /** Label ids by name, creating the missing ones (parents of nested labels too). */
  ensureLabels(names: readonly string[]): MailOutcome<Record<string, string>>;
  /** One page of message ids matching a Gmail search query, newest first. */
  search(query: string, options?: SearchOptions): MailOutcome<SearchPage>;
  /** Messages in the given format, in parallel where the transport can; one outcome per id, in order. */
  getMessages(ids: readonly string[], format: MessageFormat, options?: GetMessagesOptions): Array<MailOutcome<MailMessage>>;
  /** Attachment bytes; one outcome per ref, in order. */
  getAttachments(refs: readonly AttachmentRef[]): Array<MailOutcome<Uint8Array>>;
  /** Removes UNREAD from messages (not threads). One outcome per id. */
  markRead(ids: readonly string[]): Array<MailOutcome<true>>;
  /** Adds / removes label ids on messages (not threads): the seed's "move". One outcome per id. */
  modifyLabels(ids: readonly string[], add: readonly string[], remove: readonly string[]): Array<MailOutcome<true>>;
  /** Moves messages to the trash (recoverable for 30 days). One outcome per id. */
  trash(ids: readonly string[]): Array<MailOutcome<true>>;
  /**
   * Sends raw messages (base64url of the RFC 5322 text, headers such as X-Postroom-Send-Id included by
   * the caller), each once, in parallel where the transport can. NEVER retried here: a send with no
   * answer may have gone out (TransientError with mayHaveHappened = true).
   */
  send(raws: readonly string[]): Array<MailOutcome<SentReceipt>>;
  /** One page of the SENT label, newest first, with the exactly-once headers of each message. */
  listSent(options?: { pageToken?: string | null; max?: number; skipIds?: ReadonlySet<string> }): MailOutcome<SentPage>;
  /** Messages added since `startHistoryId` (users.history.list); NotFoundError when the id is too old. */
  history(startHistoryId: string, options?: { pageToken?: string | null; labelId?: string }): MailOutcome<HistoryPage>;
  /** One page of draft ids (drafts.list). */
  listDrafts(options?: { pageToken?: string | null; max?: number }): MailOutcome<{ ids: string[]; nextPageToken: string | null }>;
  /** Drafts with their raw bytes, in parallel where the transport can; a deleted draft is NotFoundError. */
  getDrafts(ids: readonly string[]): Array<MailOutcome<MailDraft>>;
  /** The account's send-as addresses, the primary one included (users.settings.sendAs.list). */
  listSendAs(): MailOutcome<SendAsAddress[]>;
  /** Gmail calls made and quota units spent through this gateway since it was created. */
  usage(): { calls: number; units: number };
}
