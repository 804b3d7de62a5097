// The emulated Gmail mailbox: ONE store behind the three views (GmailApp, the Advanced Gmail service and
// the Gmail REST API through UrlFetchApp). Messages are kept as their exact RFC 5322 bytes with Gmail's
// metadata: a 16-hex-digit id, a threadId, message-level labelIds, internalDate (ms), historyId,
// sizeEstimate and snippet. Threads are grouped as Gmail does: a message joins the thread of a message it
// references (References / In-Reply-To) when their normalised subjects match. Labels are Gmail's system
// labels plus user labels ("Label_N" ids, nested names like "Postroom/imported"); drafts map a draft id
// to a message carrying the DRAFT label.
// https://developers.google.com/workspace/gmail/api/guides/threads
// https://developers.google.com/workspace/gmail/api/guides/labels

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { composeDsn, type DsnStyle } from './dsn';
import {
  binaryToBytes,
  bytesToBinary,
  decodeHeaderValue,
  findHeader,
  headerValue,
  htmlToText,
  isAttachmentPart,
  messageBodies,
  parseMime,
  snippetOf,
  visitLeaves,
  type MimeNode,
} from './mime';

export const SYSTEM_LABELS = [
  'INBOX',
  'SPAM',
  'TRASH',
  'UNREAD',
  'STARRED',
  'IMPORTANT',
  'SENT',
  'DRAFT',
  'CHAT',
  'CATEGORY_PERSONAL',
  'CATEGORY_SOCIAL',
  'CATEGORY_PROMOTIONS',
  'CATEGORY_UPDATES',
  'CATEGORY_FORUMS',
] as const;

export interface GmailLabelRecord {
  id: string;
  name: string;
  type: 'system' | 'user';
}

/** What search and the views read of a message; computed once from the immutable bytes. */
export interface MessageView {
  from: string;
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  messageIdHeader: string;
  dateHeader: string;
  plain: string | null;
  html: string | null;
  /** Body text for word search (plain, else HTML without tags). */
  text: string;
  filenames: string[];
  hasAttachment: boolean;
  snippet: string;
}

export class StoredMessage {
  private parsedTree: MimeNode | null = null;
  private viewCache: MessageView | null = null;

  constructor(
    readonly id: string,
    public threadId: string,
    readonly raw: Uint8Array,
    readonly internalDate: number,
    readonly labelIds: Set<string>,
    public historyId: number,
  ) {
    this.addedHistoryId = historyId;
  }

  /** The history id at which the message entered the mailbox (history.list messageAdded records). */
  readonly addedHistoryId: number;

  get tree(): MimeNode {
    if (!this.parsedTree) this.parsedTree = parseMime(this.raw);
    return this.parsedTree;
  }

  get sizeEstimate(): number {
    return this.raw.length;
  }

  get view(): MessageView {
    if (!this.viewCache) this.viewCache = buildView(this.tree);
    return this.viewCache;
  }

  get unread(): boolean {
    return this.labelIds.has('UNREAD');
  }
}

/** The view of bytes that are not (yet) stored: recipients of a send, subject of a draft. */
export function viewOfBytes(bytes: Uint8Array): MessageView {
  return buildView(parseMime(bytes));
}

function buildView(tree: MimeNode): MessageView {
  const { plain, html } = messageBodies(tree);
  const attachments = visitLeaves(tree).filter(({ node }) => isAttachmentPart(node));
  return {
    from: headerValue(tree, 'From'),
    to: headerValue(tree, 'To'),
    cc: headerValue(tree, 'Cc'),
    bcc: headerValue(tree, 'Bcc'),
    subject: headerValue(tree, 'Subject'),
    messageIdHeader: headerValue(tree, 'Message-ID').trim(),
    dateHeader: headerValue(tree, 'Date'),
    plain,
    html,
    text: plain ?? (html !== null ? htmlToText(html) : ''),
    filenames: attachments.map(({ node }) => node.filename).filter((name) => name !== ''),
    hasAttachment: attachments.some(({ node }) => node.filename !== ''),
    snippet: snippetOf(tree),
  };
}

/** The subject Gmail threads on: "Re:", "Fwd:", "TR:", "AW:"... prefixes and whitespace dropped. */
export function normaliseSubject(subject: string): string {
  let current = subject.trim();
  for (;;) {
    const next = current.replace(/^(re|fw|fwd|tr|aw|wg|sv|vs|rif|réf|ref)\s*(\[\d+\])?\s*:\s*/i, '').trim();
    if (next === current) return current.replace(/\s+/g, ' ').toLowerCase();
    current = next;
  }
}

/** Message-IDs ("<a@b>") referenced by a message: In-Reply-To and References. */
export function referencedIds(tree: MimeNode): string[] {
  const raw = `${headerValue(tree, 'In-Reply-To')} ${headerValue(tree, 'References')}`;
  return raw.match(/<[^<>\s]+>/g) ?? [];
}

export interface ImportOptions {
  labelIds?: string[];
  internalDate?: number;
  /** Ask to join this thread (messages.send / drafts): honoured only when Gmail's rules allow it. */
  threadId?: string;
  /**
   * Thread by References/In-Reply-To without a requested threadId (received mail). API sends and
   * drafts pass false: the API joins a thread only when threadId is given.
   */
  autoThread?: boolean;
}

export interface MailboxOptions {
  userEmail: string;
  /** Virtual time (ms); the mailbox stamps sends and imports without a Date header with it. */
  now: () => number;
}

export interface MailboxStateEntry {
  id: string;
  threadId: string;
  messageIdHeader: string;
  labels: string[];
  unread: boolean;
}

export interface SentEntry {
  id: string;
  threadId: string;
  to: string;
  subject: string;
  raw: Uint8Array;
}

/** A send-as alias in Gmail's `users.settings.sendAs` shape. */
export interface SendAsRecord {
  sendAsEmail: string;
  displayName: string;
  replyToAddress: string;
  signature: string;
  isPrimary: boolean;
  isDefault: boolean;
  treatAsAlias: boolean;
  /** Gmail: "accepted" once the owner of the address confirmed it, "pending" until then. */
  verificationStatus: 'accepted' | 'pending';
}

/** How an address set to bounce answers a message sent to it. */
export interface BounceRule {
  style: DsnStyle;
  status?: string;
  diagnostic?: string;
  /** Delay before the notice arrives (default 0: it is in the mailbox when the send returns). */
  delayMs?: number;
}

/** Gmail labels named in an `X-Gmail-Labels` header (Google Takeout's export) that map to system labels. */
const TAKEOUT_LABELS: Record<string, string> = {
  draft: 'DRAFT',
  drafts: 'DRAFT',
  brouillon: 'DRAFT',
  brouillons: 'DRAFT',
  sent: 'SENT',
  envoyés: 'SENT',
  inbox: 'INBOX',
  'boîte de réception': 'INBOX',
  unread: 'UNREAD',
  'non lus': 'UNREAD',
  starred: 'STARRED',
  important: 'IMPORTANT',
};

export class Mailbox {
  readonly userEmail: string;
  private readonly now: () => number;
  private readonly messagesById = new Map<string, StoredMessage>();
  private readonly labelsById = new Map<string, GmailLabelRecord>();
  private readonly draftsById = new Map<string, string>();
  private readonly sendAsById = new Map<string, SendAsRecord>();
  private readonly bounceRules = new Map<string, BounceRule>();
  private readonly pendingNotices: Array<{ at: number; bytes: Uint8Array }> = [];
  private sequence = 0;
  private labelSequence = 0;
  private history = 1000;

  constructor(options: MailboxOptions) {
    this.userEmail = options.userEmail;
    this.now = options.now;
    for (const id of SYSTEM_LABELS) this.labelsById.set(id, { id, name: id, type: 'system' });
  }

  get historyId(): number {
    return this.history;
  }

  private nextHistory(): number {
    this.history += 1;
    return this.history;
  }

  /** A new 16-hex-digit id that grows with time, like Gmail's. */
  newId(): string {
    this.sequence += 1;
    const value = (BigInt(Math.max(0, Math.floor(this.now()))) << 20n) + BigInt(this.sequence);
    return value.toString(16).padStart(16, '0').slice(-16);
  }

  // ---- import ---------------------------------------------------------------------------------

  /** Stores raw bytes as a message. Imported mail defaults to unread in INBOX. */
  importRaw(bytes: Uint8Array, options: ImportOptions = {}): StoredMessage {
    const raw = new Uint8Array(bytes);
    const tree = parseMime(raw);
    const dateHeader = headerValue(tree, 'Date');
    const parsedDate = dateHeader ? Date.parse(dateHeader) : NaN;
    const internalDate = options.internalDate ?? (Number.isFinite(parsedDate) ? parsedDate : this.now());
    const labelIds = options.labelIds ?? ['INBOX', 'UNREAD'];
    for (const labelId of labelIds) {
      if (!this.labelsById.has(labelId)) throw new Error(`Mailbox.importRaw: unknown label id ${labelId}`);
    }
    const id = this.newId();
    const threadId = this.threadFor(tree, options.threadId, options.autoThread ?? true) ?? id;
    const message = new StoredMessage(id, threadId, raw, internalDate, new Set(labelIds), this.nextHistory());
    this.messagesById.set(id, message);
    return message;
  }

  importEml(path: string, options: ImportOptions = {}): StoredMessage {
    return this.importExported(new Uint8Array(readFileSync(path)), options);
  }

  /**
   * Imports a message exported from Gmail: an `X-Gmail-Labels` header (Google Takeout) naming Draft /
   * Drafts / Brouillons makes it a draft (drafts.list and drafts.get find it); Sent, Inbox, Unread,
   * Starred and Important become those labels. Without the header (or with explicit labelIds), the
   * message is imported as received mail.
   */
  importExported(bytes: Uint8Array, options: ImportOptions = {}): StoredMessage {
    const header = options.labelIds ? '' : headerValue(parseMime(bytes), 'X-Gmail-Labels');
    if (!header) return this.importRaw(bytes, options);
    const labels = new Set(
      header
        .split(',')
        .map((name) => TAKEOUT_LABELS[name.trim().toLowerCase()])
        .filter((label): label is string => label !== undefined),
    );
    if (labels.has('DRAFT')) return this.createDraft(bytes).message;
    if (!labels.size) return this.importRaw(bytes, options);
    return this.importRaw(bytes, { ...options, labelIds: [...labels] });
  }

  /** Imports every *.eml of a directory, in file-name order. */
  importEmlDir(dir: string, options: ImportOptions = {}): StoredMessage[] {
    return readdirSync(dir)
      .filter((name) => name.toLowerCase().endsWith('.eml') && statSync(join(dir, name)).isFile())
      .sort()
      .map((name) => this.importEml(join(dir, name), options));
  }

  /** Imports an mbox file (mboxrd/mboxo: "From " separator lines, ">From " unescaped). */
  importMbox(path: string, options: ImportOptions = {}): StoredMessage[] {
    const binary = bytesToBinary(new Uint8Array(readFileSync(path)));
    const chunks = binary.split(/^From [^\r\n]*\r?\n/m).filter((chunk) => chunk.trim() !== '');
    return chunks.map((chunk) => {
      // The blank line a writer puts after each message is the separator's, not the message's.
      const unescaped = chunk.replace(/^>(>*From )/gm, '$1').replace(/(\r?\n)\r?\n$/, '$1');
      const crlf = unescaped.replace(/\r?\n/g, '\r\n');
      return this.importExported(binaryToBytes(crlf), options);
    });
  }

  /**
   * The thread a new message joins. Gmail: a message joins the thread of a message it references
   * (In-Reply-To / References) when the subjects match; a requested threadId is honoured under the same
   * rules (https://developers.google.com/workspace/gmail/api/guides/threads#adding_drafts_and_messages_to_threads).
   */
  private threadFor(tree: MimeNode, requested: string | undefined, auto: boolean): string | null {
    if (requested === undefined && !auto) return null;
    const references = new Set(referencedIds(tree));
    if (references.size === 0) return null;
    const subject = normaliseSubject(headerValue(tree, 'Subject'));
    const candidates = [...this.messagesById.values()].filter(
      (message) => references.has(message.view.messageIdHeader) && normaliseSubject(message.view.subject) === subject,
    );
    if (requested !== undefined) {
      return candidates.some((message) => message.threadId === requested) ? requested : null;
    }
    candidates.sort((a, b) => b.internalDate - a.internalDate);
    return candidates[0]?.threadId ?? null;
  }

  // ---- read -----------------------------------------------------------------------------------

  getMessage(id: string): StoredMessage | undefined {
    return this.messagesById.get(id);
  }

  /** All messages, newest first (internalDate, then id). */
  allMessages(): StoredMessage[] {
    if (this.pendingNotices.length) this.deliverDueNotices();
    return [...this.messagesById.values()].sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : -1));
  }

  /** The messages of a thread, oldest first (as GmailThread.getMessages). */
  threadMessages(threadId: string): StoredMessage[] {
    return [...this.messagesById.values()]
      .filter((message) => message.threadId === threadId)
      .sort((a, b) => a.internalDate - b.internalDate || (a.id < b.id ? -1 : 1));
  }

  /** Message with this Message-ID header (rfc822msgid), if any. */
  findByMessageIdHeader(messageId: string): StoredMessage[] {
    const wanted = messageId.trim().replace(/^<|>$/g, '').toLowerCase();
    return this.allMessages().filter((message) => message.view.messageIdHeader.replace(/^<|>$/g, '').toLowerCase() === wanted);
  }

  // ---- labels ---------------------------------------------------------------------------------

  labels(): GmailLabelRecord[] {
    return [...this.labelsById.values()];
  }

  labelById(id: string): GmailLabelRecord | undefined {
    return this.labelsById.get(id);
  }

  /** Label names are case-insensitive in Gmail. */
  labelByName(name: string): GmailLabelRecord | undefined {
    const lower = name.toLowerCase();
    return this.labels().find((label) => label.name.toLowerCase() === lower);
  }

  /** Creates a user label; throws if the name exists (case-insensitively) or is a system name. */
  createLabel(name: string): GmailLabelRecord {
    const trimmed = name.trim();
    if (trimmed === '') throw new Error('Invalid label name');
    if (this.labelByName(trimmed)) throw new Error('Label name exists or conflicts');
    this.labelSequence += 1;
    const label: GmailLabelRecord = { id: `Label_${this.labelSequence}`, name: trimmed, type: 'user' };
    this.labelsById.set(label.id, label);
    return label;
  }

  /** Adds and removes labels on one message; unknown label ids throw. */
  modifyLabels(id: string, add: string[], remove: string[]): StoredMessage {
    const message = this.messagesById.get(id);
    if (!message) throw new Error(`Mailbox.modifyLabels: no message ${id}`);
    for (const labelId of [...add, ...remove]) {
      if (!this.labelsById.has(labelId)) throw new Error(`Invalid label: ${labelId}`);
    }
    for (const labelId of add) message.labelIds.add(labelId);
    for (const labelId of remove) message.labelIds.delete(labelId);
    message.historyId = this.nextHistory();
    return message;
  }

  /** messages.trash: TRASH added, INBOX and SPAM removed (Gmail keeps the other labels). */
  trash(id: string): StoredMessage {
    return this.modifyLabels(
      id,
      ['TRASH'],
      ['INBOX', 'SPAM'].filter((label) => this.messagesById.get(id)?.labelIds.has(label)),
    );
  }

  // ---- sending and drafts ---------------------------------------------------------------------

  /** Whether an address list (a header value) names the mailbox owner. */
  addressesUser(addresses: string): boolean {
    const user = this.userEmail.toLowerCase();
    return (addresses.toLowerCase().match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? []).some((address) => address === user);
  }

  /**
   * Stores a sent message: the exact bytes labelled SENT. Mail to the user themself is the same
   * message, also in INBOX and unread (Gmail keeps one message with both labels).
   */
  insertSent(bytes: Uint8Array, threadId?: string): StoredMessage {
    this.deliverDueNotices();
    const message = this.importRaw(this.withAllowedFrom(bytes), {
      labelIds: ['SENT'],
      internalDate: this.now(),
      threadId,
      autoThread: false,
    });
    const view = message.view;
    if (this.addressesUser(`${view.to}, ${view.cc}, ${view.bcc}`)) {
      message.labelIds.add('INBOX');
      message.labelIds.add('UNREAD');
    }
    this.bounceIfSet(message);
    return message;
  }

  // ---- send-as aliases ------------------------------------------------------------------------

  /** The account's send-as addresses (users.settings.sendAs.list): the primary first, then the aliases. */
  sendAs(): SendAsRecord[] {
    const primary: SendAsRecord = {
      sendAsEmail: this.userEmail,
      displayName: '',
      replyToAddress: '',
      signature: '',
      isPrimary: true,
      isDefault: ![...this.sendAsById.values()].some((alias) => alias.isDefault),
      treatAsAlias: false,
      verificationStatus: 'accepted',
    };
    return [primary, ...this.sendAsById.values()];
  }

  /** Adds (or replaces) a send-as alias; `verified: false` leaves it pending as Gmail does until confirmed. */
  addSendAs(alias: { email: string; displayName?: string; verified?: boolean; replyTo?: string; isDefault?: boolean }): SendAsRecord {
    const record: SendAsRecord = {
      sendAsEmail: alias.email,
      displayName: alias.displayName ?? '',
      replyToAddress: alias.replyTo ?? '',
      signature: '',
      isPrimary: false,
      isDefault: alias.isDefault ?? false,
      treatAsAlias: true,
      verificationStatus: alias.verified === false ? 'pending' : 'accepted',
    };
    this.sendAsById.set(alias.email.toLowerCase(), record);
    return record;
  }

  /**
   * Gmail sends only from the primary address or an accepted alias: any other From address is
   * replaced by the primary one (the display name is kept), as the Gmail API does. The one exception is
   * noreply@<the account's domain>, which MailApp / GmailApp use for `noReply` (Workspace accounts).
   */
  private withAllowedFrom(bytes: Uint8Array): Uint8Array {
    const binary = bytesToBinary(bytes);
    const end = binary.search(/\r?\n\r?\n/);
    const head = end >= 0 ? binary.slice(0, end) : binary;
    const match = /^From:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*/im.exec(head);
    if (!match) return bytes;
    const address = (match[0].match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? []).pop()?.toLowerCase() ?? '';
    const noReply = `noreply@${this.userEmail.split('@')[1] ?? ''}`.toLowerCase();
    const allowed =
      address === noReply ||
      this.sendAs().some((alias) => alias.verificationStatus === 'accepted' && alias.sendAsEmail.toLowerCase() === address);
    if (allowed || !address) return bytes;
    const rewritten = match[0].replace(new RegExp(address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), this.userEmail);
    return binaryToBytes(binary.slice(0, match.index) + rewritten + binary.slice(match.index + match[0].length));
  }

  // ---- bounces --------------------------------------------------------------------------------

  /** Mail sent to `address` comes back as a delivery-failure notice written in `rule.style`. */
  setBounce(address: string, rule: BounceRule): void {
    this.bounceRules.set(address.toLowerCase(), rule);
  }

  private bounceIfSet(message: StoredMessage): void {
    if (!this.bounceRules.size) return;
    const view = message.view;
    const recipients = `${view.to}, ${view.cc}, ${view.bcc}`.toLowerCase().match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? [];
    for (const recipient of new Set(recipients)) {
      const rule = this.bounceRules.get(recipient);
      if (!rule) continue;
      const bytes = composeDsn({
        style: rule.style,
        to: this.userEmail,
        recipient,
        original: message.raw,
        date: this.now() + (rule.delayMs ?? 0),
        status: rule.status,
        diagnostic: rule.diagnostic,
        token: `${message.id}${recipient.length}`,
      });
      this.pendingNotices.push({ at: this.now() + (rule.delayMs ?? 0), bytes });
    }
    this.deliverDueNotices();
  }

  /** Delivers the notices whose time has come (called on every send and by the views before reading). */
  deliverDueNotices(): void {
    const now = this.now();
    for (let i = 0; i < this.pendingNotices.length;) {
      const notice = this.pendingNotices[i];
      if (notice.at > now) {
        i++;
        continue;
      }
      this.pendingNotices.splice(i, 1);
      this.importRaw(notice.bytes, { labelIds: ['INBOX', 'UNREAD'], internalDate: notice.at, autoThread: false });
    }
  }

  /** A new draft (DRAFT label) for these bytes; returns the draft id ("r" + digits, like Gmail). */
  createDraft(bytes: Uint8Array, threadId?: string): { draftId: string; message: StoredMessage } {
    const message = this.importRaw(bytes, { labelIds: ['DRAFT'], internalDate: this.now(), threadId, autoThread: false });
    const draftId = `r${BigInt('0x' + message.id)
      .toString()
      .slice(-19)}`;
    this.draftsById.set(draftId, message.id);
    return { draftId, message };
  }

  draftMessage(draftId: string): StoredMessage | undefined {
    const messageId = this.draftsById.get(draftId);
    return messageId ? this.messagesById.get(messageId) : undefined;
  }

  drafts(): Array<{ draftId: string; message: StoredMessage }> {
    return [...this.draftsById.entries()]
      .map(([draftId, messageId]) => ({ draftId, message: this.messagesById.get(messageId) }))
      .filter((entry): entry is { draftId: string; message: StoredMessage } => entry.message !== undefined)
      .sort((a, b) => b.message.internalDate - a.message.internalDate);
  }

  /** Deletes a draft and its message permanently (drafts.delete). */
  deleteDraft(draftId: string): boolean {
    const messageId = this.draftsById.get(draftId);
    if (messageId === undefined) return false;
    this.draftsById.delete(draftId);
    this.messagesById.delete(messageId);
    this.nextHistory();
    return true;
  }

  /** Sends a draft: the draft disappears and a SENT message with its bytes appears in its thread. */
  sendDraft(draftId: string, prepare: (bytes: Uint8Array) => Uint8Array = (bytes) => bytes): StoredMessage {
    const draft = this.draftMessage(draftId);
    if (!draft) throw new Error(`Mailbox.sendDraft: no draft ${draftId}`);
    const threadId = draft.threadId !== draft.id ? draft.threadId : undefined;
    this.deleteDraft(draftId);
    return this.insertSent(prepare(draft.raw), threadId);
  }

  // ---- state dump -----------------------------------------------------------------------------

  /** Every message for the CLI's --state-out "gmail" section. */
  dumpState(): MailboxStateEntry[] {
    return this.allMessages().map((message) => ({
      id: message.id,
      threadId: message.threadId,
      messageIdHeader: message.view.messageIdHeader,
      labels: [...message.labelIds].map((labelId) => this.labelsById.get(labelId)?.name ?? labelId).sort(),
      unread: message.unread,
    }));
  }

  /** The SENT messages with their exact bytes, oldest first (for --state-out "sent"). */
  sentMessages(): SentEntry[] {
    return this.allMessages()
      .filter((message) => message.labelIds.has('SENT'))
      .reverse()
      .map((message) => ({
        id: message.id,
        threadId: message.threadId,
        to: message.view.to,
        subject: message.view.subject,
        raw: message.raw,
      }));
  }
}

/** Adds a Message-ID header in front of bytes that have none (what Gmail does on send). */
export function ensureMessageId(bytes: Uint8Array, makeId: () => string): Uint8Array {
  const tree = parseMime(bytes);
  if (findHeader(tree.headers, 'Message-ID') && decodeHeaderValue(findHeader(tree.headers, 'Message-ID')!.raw).trim() !== '') {
    return bytes;
  }
  const prefix = binaryToBytes(`Message-ID: <${makeId()}>\r\n`);
  const out = new Uint8Array(prefix.length + bytes.length);
  out.set(prefix, 0);
  out.set(bytes, prefix.length);
  return out;
}
