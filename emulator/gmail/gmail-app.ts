// GmailApp over the shared mailbox: thread-level views (labels are added to and removed from every
// message of a thread; a thread is unread when any message is), messages read from their real bytes,
// attachments as Blobs (GmailAttachment adds getSize and getHash = SHA-1 hex), sendEmail / createDraft
// that BUILD a real MIME message and store its exact bytes in SENT / DRAFT (`sendComposed`, which
// MailApp.sendEmail shares), GmailDraft.send, and the thread moves (archive, inbox, trash). Every
// method is a `ctx.call('GmailApp…')`; sends count recipients against the daily quota with Apps Script's
// "Service invoked too many times for one day: email." Members we do not emulate throw
// "Not emulated: GmailApp.x".
// https://developers.google.com/apps-script/reference/gmail/gmail-app

import { createHash } from 'node:crypto';
import type { ServiceContext, TransientFault } from '../runtime/execution';
import { QuotaExceededError, type Quotas } from '../runtime/quotas';
import { asFakeBlob, FakeBlob } from '../services/blob';
import { countRecipients } from './api-core';
import type { Mailbox, StoredMessage } from './mailbox';
import { buildMimeMessage, type BuiltAttachment } from './mime-builder';
import { findHeader, decodeHeaderValue, htmlToText, isAttachmentPart, isInlineImage, type MimeNode } from './mime';
import { compileSearch, SearchSyntaxError } from './search';

/** The members of each Apps Script class (from @types/google-apps-script), to name what we do not emulate. */
const MEMBERS: Record<string, string[]> = {
  GmailApp:
    'createDraft createLabel deleteLabel getAliases getChatThreads getDraft getDraftMessages getDrafts getInboxThreads getInboxUnreadCount getMessageById getMessagesForThread getMessagesForThreads getPriorityInboxThreads getPriorityInboxUnreadCount getSpamThreads getSpamUnreadCount getStarredThreads getStarredUnreadCount getThreadById getTrashThreads getUserLabelByName getUserLabels markMessageRead markMessageUnread markMessagesRead markMessagesUnread markThreadImportant markThreadRead markThreadUnimportant markThreadUnread markThreadsImportant markThreadsRead markThreadsUnimportant markThreadsUnread moveMessageToTrash moveMessagesToTrash moveThreadToArchive moveThreadToInbox moveThreadToSpam moveThreadToTrash moveThreadsToArchive moveThreadsToInbox moveThreadsToSpam moveThreadsToTrash refreshMessage refreshMessages refreshThread refreshThreads search sendEmail setCurrentMessageAccessToken starMessage starMessages unstarMessage unstarMessages'.split(
      ' ',
    ),
  GmailThread:
    'addLabel createDraftReply createDraftReplyAll getFirstMessageSubject getId getLabels getLastMessageDate getMessageCount getMessages getPermalink hasStarredMessages isImportant isInChats isInInbox isInPriorityInbox isInSpam isInTrash isUnread markImportant markRead markUnimportant markUnread moveToArchive moveToInbox moveToSpam moveToTrash refresh removeLabel reply replyAll'.split(
      ' ',
    ),
  GmailMessage:
    'createDraftReply createDraftReplyAll forward getAttachments getBcc getBody getCc getDate getFrom getHeader getId getPlainBody getRawContent getReplyTo getSubject getThread getTo isDraft isInChats isInInbox isInPriorityInbox isInTrash isStarred isUnread markRead markUnread moveToTrash refresh reply replyAll star unstar'.split(
      ' ',
    ),
  GmailLabel: 'addToThread addToThreads deleteLabel getName getThreads getUnreadCount removeFromThread removeFromThreads'.split(' '),
  GmailDraft: 'deleteDraft getId getMessage getMessageId send update'.split(' '),
};

/** Wraps an object so that an Apps Script member it lacks throws "Not emulated: <Class>.<member>". */
function withNotEmulated<T extends object>(target: T, className: string): T {
  const members = new Set(MEMBERS[className]);
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'string' && !(property in object) && members.has(property)) {
        throw new Error(`Not emulated: ${className}.${property}`);
      }
      return Reflect.get(object, property, receiver);
    },
  });
}

const SERVER_ERROR = "We're sorry, a server error occurred. Please wait a bit and try again.";

function gmailAppFault(fault: TransientFault): never {
  if (fault === 'http429')
    throw new Error('Service invoked too many times in a short time: gmail. Try Utilities.sleep(1000) between calls.');
  throw new Error(SERVER_ERROR);
}

/** An attachment: a Blob with getSize and getHash (SHA-1 hex of the content). */
export class FakeGmailAttachment extends FakeBlob implements Pick<GoogleAppsScript.Gmail.GmailAttachment, 'getSize' | 'getHash'> {
  getSize(): number {
    return this.rawBytes().length;
  }

  getHash(): string {
    return createHash('sha1').update(this.rawBytes()).digest('hex');
  }
}

export interface GmailAppDeps {
  mailbox: Mailbox;
  ctx: ServiceContext;
  quotas: Quotas;
  /** IANA zone for search dates (the user's). */
  timeZone?: string;
}

type Scope = GmailAppDeps;

function call<T>(scope: Scope, method: string, fn: () => T, recipients = 0): T {
  return scope.ctx.call(`GmailApp.${method}`, fn, { faultable: true, recipients }, gmailAppFault);
}

export class FakeGmailMessage implements Pick<
  GoogleAppsScript.Gmail.GmailMessage,
  | 'getId'
  | 'getFrom'
  | 'getTo'
  | 'getCc'
  | 'getBcc'
  | 'getReplyTo'
  | 'getSubject'
  | 'getDate'
  | 'getPlainBody'
  | 'getBody'
  | 'getRawContent'
  | 'getHeader'
  | 'isUnread'
  | 'isStarred'
  | 'isInTrash'
  | 'isInInbox'
  | 'isDraft'
  | 'getThread'
  | 'markRead'
  | 'markUnread'
  | 'moveToTrash'
  | 'star'
  | 'unstar'
  | 'getAttachments'
> {
  constructor(
    private readonly scope: Scope,
    private readonly id: string,
  ) {}

  private stored(): StoredMessage {
    const message = this.scope.mailbox.getMessage(this.id);
    if (!message) throw new Error(`Invalid argument: id`);
    return message;
  }

  private read<T>(method: string, fn: (message: StoredMessage) => T): T {
    return call(this.scope, `Message.${method}`, () => fn(this.stored()));
  }

  getId(): string {
    return this.id;
  }

  getFrom(): string {
    return this.read('getFrom', (message) => message.view.from);
  }

  getTo(): string {
    return this.read('getTo', (message) => message.view.to);
  }

  getCc(): string {
    return this.read('getCc', (message) => message.view.cc);
  }

  getBcc(): string {
    return this.read('getBcc', (message) => message.view.bcc);
  }

  getReplyTo(): string {
    return this.read('getReplyTo', (message) => decodeHeaderValue(findHeader(message.tree.headers, 'Reply-To')?.raw ?? ''));
  }

  getSubject(): string {
    return this.read('getSubject', (message) => message.view.subject);
  }

  getDate(): GoogleAppsScript.Base.Date {
    return this.read('getDate', (message) => new Date(message.internalDate));
  }

  getPlainBody(): string {
    return this.read(
      'getPlainBody',
      (message) => message.view.plain ?? (message.view.html !== null ? htmlToText(message.view.html).trim() : ''),
    );
  }

  getBody(): string {
    return this.read('getBody', (message) => message.view.html ?? message.view.plain ?? '');
  }

  getRawContent(): string {
    return this.read('getRawContent', (message) => Buffer.from(message.raw).toString('utf8'));
  }

  getHeader(name: string): string {
    return this.read('getHeader', (message) => {
      const header = findHeader(message.tree.headers, name);
      return header ? decodeHeaderValue(header.raw) : '';
    });
  }

  isUnread(): boolean {
    return this.read('isUnread', (message) => message.labelIds.has('UNREAD'));
  }

  isStarred(): boolean {
    return this.read('isStarred', (message) => message.labelIds.has('STARRED'));
  }

  isInTrash(): boolean {
    return this.read('isInTrash', (message) => message.labelIds.has('TRASH'));
  }

  isInInbox(): boolean {
    return this.read('isInInbox', (message) => message.labelIds.has('INBOX'));
  }

  isDraft(): boolean {
    return this.read('isDraft', (message) => message.labelIds.has('DRAFT'));
  }

  getThread(): GoogleAppsScript.Gmail.GmailThread {
    return this.read('getThread', (message) => makeThread(this.scope, message.threadId));
  }

  private modify(method: string, add: string[], remove: string[]): GoogleAppsScript.Gmail.GmailMessage {
    call(this.scope, `Message.${method}`, () => this.scope.mailbox.modifyLabels(this.stored().id, add, remove));
    return this as unknown as GoogleAppsScript.Gmail.GmailMessage;
  }

  markRead(): GoogleAppsScript.Gmail.GmailMessage {
    return this.modify('markRead', [], ['UNREAD']);
  }

  markUnread(): GoogleAppsScript.Gmail.GmailMessage {
    return this.modify('markUnread', ['UNREAD'], []);
  }

  star(): GoogleAppsScript.Gmail.GmailMessage {
    return this.modify('star', ['STARRED'], []);
  }

  unstar(): GoogleAppsScript.Gmail.GmailMessage {
    return this.modify('unstar', [], ['STARRED']);
  }

  moveToTrash(): GoogleAppsScript.Gmail.GmailMessage {
    call(this.scope, 'Message.moveToTrash', () => this.scope.mailbox.trash(this.stored().id));
    return this as unknown as GoogleAppsScript.Gmail.GmailMessage;
  }

  /**
   * Attachments and inline images (both by default). A forwarded message/rfc822 part is one attachment
   * (its bytes), named by its file name or its subject + ".eml".
   */
  getAttachments(options?: GoogleAppsScript.Gmail.GmailAttachmentOptions): GoogleAppsScript.Gmail.GmailAttachment[] {
    const includeInline = options?.includeInlineImages ?? true;
    const includeAttachments = options?.includeAttachments ?? true;
    return this.read('getAttachments', (message) => {
      const out: FakeGmailAttachment[] = [];
      const walk = (node: MimeNode): void => {
        if (node.children.length > 0) return node.children.forEach(walk);
        if (node.embedded) {
          if (includeAttachments) {
            const subject = decodeHeaderValue(findHeader(node.embedded.headers, 'Subject')?.raw ?? '') || 'message';
            out.push(new FakeGmailAttachment(node.body, 'message/rfc822', node.filename || `${subject}.eml`));
          }
          return;
        }
        if (!isAttachmentPart(node)) return;
        const inline = isInlineImage(node);
        if ((inline && includeInline) || (!inline && includeAttachments)) {
          out.push(new FakeGmailAttachment(node.body, node.mimeType, node.filename || (node.contentId ?? 'noname')));
        }
      };
      walk(message.tree);
      return out as unknown as GoogleAppsScript.Gmail.GmailAttachment[];
    });
  }
}

export class FakeGmailThread implements Pick<
  GoogleAppsScript.Gmail.GmailThread,
  | 'getId'
  | 'getMessages'
  | 'getMessageCount'
  | 'getFirstMessageSubject'
  | 'getLastMessageDate'
  | 'getLabels'
  | 'addLabel'
  | 'removeLabel'
  | 'markRead'
  | 'markUnread'
  | 'moveToTrash'
  | 'moveToArchive'
  | 'moveToInbox'
  | 'refresh'
  | 'isUnread'
  | 'isInTrash'
  | 'isInInbox'
  | 'hasStarredMessages'
  | 'getPermalink'
> {
  constructor(
    private readonly scope: Scope,
    private readonly id: string,
  ) {}

  private messages(): StoredMessage[] {
    return this.scope.mailbox.threadMessages(this.id);
  }

  private read<T>(method: string, fn: (messages: StoredMessage[]) => T): T {
    return call(this.scope, `Thread.${method}`, () => fn(this.messages()));
  }

  private modifyAll(method: string, add: string[], remove: string[]): GoogleAppsScript.Gmail.GmailThread {
    call(this.scope, `Thread.${method}`, () => {
      for (const message of this.messages()) this.scope.mailbox.modifyLabels(message.id, add, remove);
    });
    return this as unknown as GoogleAppsScript.Gmail.GmailThread;
  }

  getId(): string {
    return this.id;
  }

  getMessages(): GoogleAppsScript.Gmail.GmailMessage[] {
    return this.read('getMessages', (messages) => messages.map((message) => makeMessage(this.scope, message.id)));
  }

  getMessageCount(): number {
    return this.read('getMessageCount', (messages) => messages.length);
  }

  getFirstMessageSubject(): string {
    return this.read('getFirstMessageSubject', (messages) => messages[0]?.view.subject ?? '');
  }

  getLastMessageDate(): GoogleAppsScript.Base.Date {
    return this.read('getLastMessageDate', (messages) => new Date(messages[messages.length - 1]?.internalDate ?? 0));
  }

  /** The user labels on any message of the thread. */
  getLabels(): GoogleAppsScript.Gmail.GmailLabel[] {
    return this.read('getLabels', (messages) => {
      const ids = new Set(messages.flatMap((message) => [...message.labelIds]));
      return this.scope.mailbox
        .labels()
        .filter((label) => label.type === 'user' && ids.has(label.id))
        .map((label) => makeLabel(this.scope, label.id));
    });
  }

  addLabel(label: GoogleAppsScript.Gmail.GmailLabel): GoogleAppsScript.Gmail.GmailThread {
    return this.modifyAll('addLabel', [labelIdOf(this.scope, label)], []);
  }

  removeLabel(label: GoogleAppsScript.Gmail.GmailLabel): GoogleAppsScript.Gmail.GmailThread {
    return this.modifyAll('removeLabel', [], [labelIdOf(this.scope, label)]);
  }

  markRead(): GoogleAppsScript.Gmail.GmailThread {
    return this.modifyAll('markRead', [], ['UNREAD']);
  }

  markUnread(): GoogleAppsScript.Gmail.GmailThread {
    return this.modifyAll('markUnread', ['UNREAD'], []);
  }

  moveToTrash(): GoogleAppsScript.Gmail.GmailThread {
    call(this.scope, 'Thread.moveToTrash', () => {
      for (const message of this.messages()) this.scope.mailbox.trash(message.id);
    });
    return this as unknown as GoogleAppsScript.Gmail.GmailThread;
  }

  /** Reloads the thread's state: here every read is live, so it only returns the thread. */
  refresh(): GoogleAppsScript.Gmail.GmailThread {
    return call(this.scope, 'Thread.refresh', () => this as unknown as GoogleAppsScript.Gmail.GmailThread);
  }

  /** Archive: INBOX leaves every message of the thread (TRASH and user labels stay as they are). */
  moveToArchive(): GoogleAppsScript.Gmail.GmailThread {
    return this.modifyAll('moveToArchive', [], ['INBOX']);
  }

  /** Back to the inbox: INBOX on every message, out of TRASH and SPAM (Gmail's "Move to Inbox"). */
  moveToInbox(): GoogleAppsScript.Gmail.GmailThread {
    return this.modifyAll('moveToInbox', ['INBOX'], ['TRASH', 'SPAM']);
  }

  isUnread(): boolean {
    return this.read('isUnread', (messages) => messages.some((message) => message.labelIds.has('UNREAD')));
  }

  isInTrash(): boolean {
    return this.read('isInTrash', (messages) => messages.some((message) => message.labelIds.has('TRASH')));
  }

  isInInbox(): boolean {
    return this.read('isInInbox', (messages) => messages.some((message) => message.labelIds.has('INBOX')));
  }

  hasStarredMessages(): boolean {
    return this.read('hasStarredMessages', (messages) => messages.some((message) => message.labelIds.has('STARRED')));
  }

  getPermalink(): string {
    return `https://mail.google.com/mail/u/0/#inbox/${this.id}`;
  }
}

export class FakeGmailLabel implements Pick<
  GoogleAppsScript.Gmail.GmailLabel,
  'getName' | 'getThreads' | 'getUnreadCount' | 'addToThread' | 'addToThreads' | 'removeFromThread' | 'removeFromThreads'
> {
  constructor(
    private readonly scope: Scope,
    readonly labelId: string,
  ) {}

  getName(): string {
    return call(this.scope, 'Label.getName', () => this.scope.mailbox.labelById(this.labelId)?.name ?? '');
  }

  private threadIds(): string[] {
    return threadsNewestFirst(this.scope.mailbox.allMessages().filter((message) => message.labelIds.has(this.labelId)));
  }

  getThreads(start = 0, max = 500): GoogleAppsScript.Gmail.GmailThread[] {
    return call(this.scope, 'Label.getThreads', () =>
      this.threadIds()
        .slice(start, start + max)
        .map((id) => makeThread(this.scope, id)),
    );
  }

  getUnreadCount(): number {
    return call(
      this.scope,
      'Label.getUnreadCount',
      () => this.threadIds().filter((id) => this.scope.mailbox.threadMessages(id).some((message) => message.labelIds.has('UNREAD'))).length,
    );
  }

  addToThread(thread: GoogleAppsScript.Gmail.GmailThread): GoogleAppsScript.Gmail.GmailLabel {
    return this.addToThreads([thread]);
  }

  addToThreads(threads: GoogleAppsScript.Gmail.GmailThread[]): GoogleAppsScript.Gmail.GmailLabel {
    call(this.scope, 'Label.addToThreads', () => {
      for (const thread of threads)
        for (const message of this.scope.mailbox.threadMessages(thread.getId()))
          this.scope.mailbox.modifyLabels(message.id, [this.labelId], []);
    });
    return this as unknown as GoogleAppsScript.Gmail.GmailLabel;
  }

  removeFromThread(thread: GoogleAppsScript.Gmail.GmailThread): GoogleAppsScript.Gmail.GmailLabel {
    return this.removeFromThreads([thread]);
  }

  removeFromThreads(threads: GoogleAppsScript.Gmail.GmailThread[]): GoogleAppsScript.Gmail.GmailLabel {
    call(this.scope, 'Label.removeFromThreads', () => {
      for (const thread of threads)
        for (const message of this.scope.mailbox.threadMessages(thread.getId()))
          this.scope.mailbox.modifyLabels(message.id, [], [this.labelId]);
    });
    return this as unknown as GoogleAppsScript.Gmail.GmailLabel;
  }
}

export class FakeGmailDraft implements Pick<
  GoogleAppsScript.Gmail.GmailDraft,
  'getId' | 'getMessageId' | 'getMessage' | 'send' | 'deleteDraft'
> {
  constructor(
    private readonly scope: Scope,
    private readonly id: string,
  ) {}

  private message(): StoredMessage {
    const message = this.scope.mailbox.draftMessage(this.id);
    if (!message) throw new Error('Draft not found');
    return message;
  }

  getId(): string {
    return this.id;
  }

  getMessageId(): string {
    return call(this.scope, 'Draft.getMessageId', () => this.message().id);
  }

  getMessage(): GoogleAppsScript.Gmail.GmailMessage {
    return call(this.scope, 'Draft.getMessage', () => makeMessage(this.scope, this.message().id));
  }

  /** Sends the draft's bytes (recipients count against the daily quota) and returns the sent message. */
  send(): GoogleAppsScript.Gmail.GmailMessage {
    const draft = this.scope.mailbox.draftMessage(this.id);
    const recipients = draft ? countRecipients(draft.view.to, draft.view.cc, draft.view.bcc) : 0;
    return call(
      this.scope,
      'Draft.send',
      () => {
        this.message();
        consumeRecipients(this.scope, recipients);
        const sent = this.scope.mailbox.sendDraft(this.id);
        return makeMessage(this.scope, sent.id);
      },
      recipients,
    );
  }

  deleteDraft(): void {
    call(this.scope, 'Draft.deleteDraft', () => {
      if (!this.scope.mailbox.deleteDraft(this.id)) throw new Error('Draft not found');
    });
  }
}

function makeMessage(scope: Scope, id: string): GoogleAppsScript.Gmail.GmailMessage {
  return withNotEmulated(new FakeGmailMessage(scope, id), 'GmailMessage') as unknown as GoogleAppsScript.Gmail.GmailMessage;
}

function makeThread(scope: Scope, id: string): GoogleAppsScript.Gmail.GmailThread {
  return withNotEmulated(new FakeGmailThread(scope, id), 'GmailThread') as unknown as GoogleAppsScript.Gmail.GmailThread;
}

function makeLabel(scope: Scope, id: string): GoogleAppsScript.Gmail.GmailLabel {
  return withNotEmulated(new FakeGmailLabel(scope, id), 'GmailLabel') as unknown as GoogleAppsScript.Gmail.GmailLabel;
}

function makeDraft(scope: Scope, id: string): GoogleAppsScript.Gmail.GmailDraft {
  return withNotEmulated(new FakeGmailDraft(scope, id), 'GmailDraft') as unknown as GoogleAppsScript.Gmail.GmailDraft;
}

function labelIdOf(scope: Scope, label: GoogleAppsScript.Gmail.GmailLabel): string {
  const id = (label as unknown as { labelId?: unknown }).labelId;
  if (typeof id !== 'string' || !scope.mailbox.labelById(id)) throw new Error('Invalid argument: label');
  return id;
}

/** Thread ids of these messages, newest thread (by its latest message) first. */
function threadsNewestFirst(messages: StoredMessage[]): string[] {
  const latest = new Map<string, number>();
  for (const message of messages) latest.set(message.threadId, Math.max(latest.get(message.threadId) ?? -Infinity, message.internalDate));
  return [...latest.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1)).map(([id]) => id);
}

function consumeRecipients(scope: Scope, count: number): void {
  try {
    scope.quotas.consumeRecipients(count);
  } catch (error) {
    if (error instanceof QuotaExceededError) throw new Error(error.message);
    throw error;
  }
}

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/** Checks a comma-separated address list as Apps Script does ("Invalid email: x"). */
function checkAddresses(list: string | undefined): void {
  for (const entry of (list ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const address = /<([^>]+)>\s*$/.exec(entry)?.[1] ?? entry;
    if (!EMAIL.test(address)) throw new Error(`Invalid email: ${entry}`);
  }
}

const MAX_ATTACHMENTS_BYTES = 25 * 1024 * 1024;

function attachmentsOf(value: unknown): BuiltAttachment[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error('Invalid argument: attachments');
  return value.map((item) => {
    const blob = asFakeBlob(item);
    if (!blob) throw new Error('Invalid argument: attachments');
    return {
      name: blob.getName() ?? 'attachment',
      contentType: blob.getContentType() ?? 'application/octet-stream',
      bytes: blob.rawBytes(),
    };
  });
}

function inlineImagesOf(value: unknown): BuiltAttachment[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object') throw new Error('Invalid argument: inlineImages');
  return Object.entries(value as Record<string, unknown>).map(([cid, item]) => {
    const blob = asFakeBlob(item);
    if (!blob) throw new Error('Invalid argument: inlineImages');
    return {
      name: blob.getName() ?? cid,
      contentType: blob.getContentType() ?? 'application/octet-stream',
      bytes: blob.rawBytes(),
      contentId: cid,
    };
  });
}

/** GmailApp's own message: what sendEmail / createDraft put on the wire. */
function composeMessage(
  scope: Scope,
  recipient: string,
  subject: string,
  body: string,
  options: GoogleAppsScript.Gmail.GmailAdvancedOptions = {},
): Uint8Array {
  checkAddresses(recipient);
  checkAddresses(options.cc);
  checkAddresses(options.bcc);
  checkAddresses(options.replyTo);
  const user = scope.mailbox.userEmail;
  if (options.from !== undefined && options.from.toLowerCase() !== user.toLowerCase()) {
    // Only aliases may be used; the emulated account has none (GmailApp.getAliases).
    throw new Error(`Invalid argument: from`);
  }
  const address = options.noReply ? `noreply@${user.split('@')[1]}` : user;
  const attachments = attachmentsOf(options.attachments);
  const inlineImages = inlineImagesOf(options.inlineImages);
  const total = [...attachments, ...inlineImages].reduce((sum, file) => sum + file.bytes.length, 0);
  if (total > MAX_ATTACHMENTS_BYTES) throw new Error('Limit Exceeded: Email Total Attachments Size.');
  const id = scope.mailbox.newId();
  return buildMimeMessage({
    from: options.name ? `${options.name} <${address}>` : address,
    to: recipient,
    cc: options.cc,
    bcc: options.bcc,
    replyTo: options.replyTo,
    subject,
    textBody: body,
    htmlBody: options.htmlBody,
    attachments,
    inlineImages,
    date: new Date(scope.ctx.clock.now()),
    messageId: `CA${createHash('sha256').update(id).digest('hex').slice(0, 32)}@mail.gmail.com`,
    seed: id,
  });
}

export function createGmailApp(deps: GmailAppDeps) {
  const scope: Scope = deps;

  const searchThreads = (query: string): string[] => {
    let compiled;
    try {
      compiled = compileSearch(String(query ?? ''), {
        now: scope.ctx.clock.now(),
        userEmail: scope.mailbox.userEmail,
        timeZone: scope.timeZone,
        labelName: (id) => scope.mailbox.labelById(id)?.name,
      });
    } catch (error) {
      if (error instanceof SearchSyntaxError) throw new Error(`Invalid argument: query (${error.message})`);
      throw error;
    }
    return threadsNewestFirst(scope.mailbox.allMessages().filter((message) => compiled.matches(message)));
  };

  const app = {
    search(query: string, start?: number, max?: number): GoogleAppsScript.Gmail.GmailThread[] {
      return call(scope, 'search', () => {
        const from = start ?? 0;
        const count = max ?? 500;
        if (from < 0 || count < 0) throw new Error('Invalid argument: start/max');
        if (count > 500) throw new Error('Argument max cannot exceed 500.');
        return searchThreads(query)
          .slice(from, from + count)
          .map((id) => makeThread(scope, id));
      });
    },

    getInboxThreads(start?: number, max?: number): GoogleAppsScript.Gmail.GmailThread[] {
      return call(scope, 'getInboxThreads', () =>
        searchThreads('in:inbox')
          .slice(start ?? 0, (start ?? 0) + (max ?? 500))
          .map((id) => makeThread(scope, id)),
      );
    },

    getUserLabelByName(name: string): GoogleAppsScript.Gmail.GmailLabel | null {
      return call(scope, 'getUserLabelByName', () => {
        const label = scope.mailbox.labelByName(String(name));
        return label && label.type === 'user' ? makeLabel(scope, label.id) : null;
      });
    },

    getUserLabels(): GoogleAppsScript.Gmail.GmailLabel[] {
      return call(scope, 'getUserLabels', () =>
        scope.mailbox
          .labels()
          .filter((label) => label.type === 'user')
          .map((label) => makeLabel(scope, label.id)),
      );
    },

    /** Creates a user label (nested names like "Postroom/imported" are plain names with a slash). */
    createLabel(name: string): GoogleAppsScript.Gmail.GmailLabel {
      return call(scope, 'createLabel', () => {
        const existing = scope.mailbox.labelByName(String(name));
        if (existing && existing.type === 'user') return makeLabel(scope, existing.id);
        if (existing) throw new Error(`Invalid argument: name`);
        return makeLabel(scope, scope.mailbox.createLabel(String(name)).id);
      });
    },

    getInboxUnreadCount(): number {
      return call(scope, 'getInboxUnreadCount', () => {
        const inbox = scope.mailbox.allMessages().filter((message) => message.labelIds.has('INBOX'));
        return threadsNewestFirst(inbox.filter((message) => message.labelIds.has('UNREAD'))).length;
      });
    },

    getMessageById(id: string): GoogleAppsScript.Gmail.GmailMessage | null {
      return call(scope, 'getMessageById', () => (scope.mailbox.getMessage(String(id)) ? makeMessage(scope, String(id)) : null));
    },

    getThreadById(id: string): GoogleAppsScript.Gmail.GmailThread | null {
      return call(scope, 'getThreadById', () =>
        scope.mailbox.threadMessages(String(id)).length > 0 ? makeThread(scope, String(id)) : null,
      );
    },

    getDrafts(): GoogleAppsScript.Gmail.GmailDraft[] {
      return call(scope, 'getDrafts', () => scope.mailbox.drafts().map((draft) => makeDraft(scope, draft.draftId)));
    },

    getDraft(draftId: string): GoogleAppsScript.Gmail.GmailDraft {
      return call(scope, 'getDraft', () => {
        if (!scope.mailbox.draftMessage(String(draftId))) throw new Error('Invalid argument: draftId');
        return makeDraft(scope, String(draftId));
      });
    },

    /** Builds a real MIME message and sends it: its exact bytes land in SENT. */
    sendEmail(
      recipient: string,
      subject: string,
      body: string,
      options?: GoogleAppsScript.Gmail.GmailAdvancedOptions,
    ): GoogleAppsScript.Gmail.GmailApp {
      const recipients = countRecipients(String(recipient ?? ''), options?.cc ?? '', options?.bcc ?? '');
      call(
        scope,
        'sendEmail',
        () => sendComposed(scope, String(recipient ?? ''), String(subject ?? ''), String(body ?? ''), options),
        recipients,
      );
      return proxied;
    },

    moveThreadToArchive(thread: GoogleAppsScript.Gmail.GmailThread): GoogleAppsScript.Gmail.GmailApp {
      return moveThreads('moveThreadToArchive', [thread], [], ['INBOX']);
    },

    moveThreadsToArchive(threads: GoogleAppsScript.Gmail.GmailThread[]): GoogleAppsScript.Gmail.GmailApp {
      return moveThreads('moveThreadsToArchive', threads, [], ['INBOX']);
    },

    moveThreadToInbox(thread: GoogleAppsScript.Gmail.GmailThread): GoogleAppsScript.Gmail.GmailApp {
      return moveThreads('moveThreadToInbox', [thread], ['INBOX'], ['TRASH', 'SPAM']);
    },

    moveThreadsToInbox(threads: GoogleAppsScript.Gmail.GmailThread[]): GoogleAppsScript.Gmail.GmailApp {
      return moveThreads('moveThreadsToInbox', threads, ['INBOX'], ['TRASH', 'SPAM']);
    },

    moveThreadToTrash(thread: GoogleAppsScript.Gmail.GmailThread): GoogleAppsScript.Gmail.GmailApp {
      return trashThreads('moveThreadToTrash', [thread]);
    },

    moveThreadsToTrash(threads: GoogleAppsScript.Gmail.GmailThread[]): GoogleAppsScript.Gmail.GmailApp {
      return trashThreads('moveThreadsToTrash', threads);
    },

    moveMessageToTrash(message: GoogleAppsScript.Gmail.GmailMessage): GoogleAppsScript.Gmail.GmailApp {
      call(scope, 'moveMessageToTrash', () => scope.mailbox.trash(messageIdOf(scope, message)));
      return proxied;
    },

    moveMessagesToTrash(messages: GoogleAppsScript.Gmail.GmailMessage[]): GoogleAppsScript.Gmail.GmailApp {
      call(scope, 'moveMessagesToTrash', () => {
        for (const id of listOf(messages, 'messages').map((message) => messageIdOf(scope, message))) scope.mailbox.trash(id);
      });
      return proxied;
    },

    createDraft(
      recipient: string,
      subject: string,
      body: string,
      options?: GoogleAppsScript.Gmail.GmailAdvancedOptions,
    ): GoogleAppsScript.Gmail.GmailDraft {
      return call(scope, 'createDraft', () => {
        const bytes = composeMessage(scope, String(recipient ?? ''), String(subject ?? ''), String(body ?? ''), options);
        return makeDraft(scope, scope.mailbox.createDraft(bytes).draftId);
      });
    },
  };

  /** Label moves on whole threads (the ids are checked before anything changes). */
  function moveThreads(
    method: string,
    threads: GoogleAppsScript.Gmail.GmailThread[],
    add: string[],
    remove: string[],
  ): GoogleAppsScript.Gmail.GmailApp {
    call(scope, method, () => {
      const ids = listOf(threads, 'threads').map((thread) => threadIdOf(scope, thread));
      for (const id of ids) for (const message of scope.mailbox.threadMessages(id)) scope.mailbox.modifyLabels(message.id, add, remove);
    });
    return proxied;
  }

  function trashThreads(method: string, threads: GoogleAppsScript.Gmail.GmailThread[]): GoogleAppsScript.Gmail.GmailApp {
    call(scope, method, () => {
      const ids = listOf(threads, 'threads').map((thread) => threadIdOf(scope, thread));
      for (const id of ids) for (const message of scope.mailbox.threadMessages(id)) scope.mailbox.trash(message.id);
    });
    return proxied;
  }

  const proxied = withNotEmulated(app, 'GmailApp') as unknown as GoogleAppsScript.Gmail.GmailApp;
  return proxied;
}

function listOf<T>(value: T[], name: string): T[] {
  if (!Array.isArray(value)) throw new Error(`Invalid argument: ${name}`);
  // Apps Script limits the batch variants to 100 items per call.
  if (value.length > 100) throw new Error(`Invalid argument: ${name}`);
  return value;
}

function threadIdOf(scope: Scope, thread: GoogleAppsScript.Gmail.GmailThread): string {
  const id = typeof (thread as { getId?: unknown } | null)?.getId === 'function' ? String(thread.getId()) : '';
  if (!id || scope.mailbox.threadMessages(id).length === 0) throw new Error('Invalid argument: thread');
  return id;
}

function messageIdOf(scope: Scope, message: GoogleAppsScript.Gmail.GmailMessage): string {
  const id = typeof (message as { getId?: unknown } | null)?.getId === 'function' ? String(message.getId()) : '';
  if (!id || !scope.mailbox.getMessage(id)) throw new Error('Invalid argument: message');
  return id;
}

/** What sending needs: the mailbox, the recipients quota and the clock (GmailApp's scope, or MailApp's). */
export type SendScope = Pick<GmailAppDeps, 'mailbox' | 'ctx' | 'quotas'>;

/**
 * Composes the message GmailApp / MailApp put on the wire, takes its recipients from the daily quota
 * and stores its exact bytes in SENT. Runs inside the caller's `ctx.call`. Returns the stored message.
 */
export function sendComposed(
  scope: SendScope,
  recipient: string,
  subject: string,
  body: string,
  options?: GoogleAppsScript.Gmail.GmailAdvancedOptions,
): StoredMessage {
  const bytes = composeMessage(scope as Scope, recipient, subject, body, options);
  const recipients = countRecipients(recipient, options?.cc ?? '', options?.bcc ?? '');
  if (recipients === 0) throw new Error('Invalid argument: recipient');
  consumeRecipients(scope as Scope, recipients);
  return scope.mailbox.insertSent(bytes);
}
