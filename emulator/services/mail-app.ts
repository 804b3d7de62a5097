// MailApp: sendEmail in all its documented overloads and getRemainingDailyQuota. A MailApp send is a
// real message: it is composed by the same MIME builder as GmailApp.sendEmail (text, htmlBody,
// attachments, inline images, cc, bcc, name, replyTo, noReply), its recipients (To + Cc + Bcc) are taken
// from the daily recipients quota ("Service invoked too many times for one day: email."), and its exact
// RFC 5322 bytes land in the shared mailbox's SENT, where GmailApp, the Advanced service and the REST
// API see them. MailApp has no `from` option (no aliases): a `from` key is ignored, as MailApp ignores
// keys it does not document.
// https://developers.google.com/apps-script/reference/mail/mail-app

import type { Mailbox } from '../gmail/mailbox';
import { sendComposed, type SendScope } from '../gmail/gmail-app';
import type { Quotas } from '../runtime/quotas';
import type { ServiceContext, TransientFault } from '../runtime/execution';
import { withNotEmulated } from './fake-support';

/** The slice of the quotas MailApp needs. */
export interface RecipientQuota {
  remainingRecipients(): number;
}

/** What MailApp.sendEmail needs to send (without it, only the quota can be read). */
export interface MailAppSending {
  mailbox: Mailbox;
  quotas: Quotas;
}

/** The keys of MailApp's options and of the one-object form (sendEmail(message)). */
interface MailAppMessage {
  to?: string;
  cc?: string;
  bcc?: string;
  replyTo?: string;
  subject?: string;
  body?: string;
  htmlBody?: string;
  name?: string;
  noReply?: boolean;
  attachments?: unknown[];
  inlineImages?: Record<string, unknown>;
}

const SERVER_ERROR = "We're sorry, a server error occurred. Please wait a bit and try again.";

function mailAppFault(fault: TransientFault): never {
  if (fault === 'http429')
    throw new Error('Service invoked too many times in a short time: email. Try Utilities.sleep(1000) between calls.');
  throw new Error(SERVER_ERROR);
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** Reads the four documented call shapes into one message. */
export function mailAppArguments(args: unknown[]): Required<Pick<MailAppMessage, 'to' | 'subject' | 'body'>> & MailAppMessage {
  const [first, second, third, fourth] = args;
  if (args.length === 1 && first !== null && typeof first === 'object') {
    // sendEmail(message): to, subject, body/htmlBody and the options in one object.
    const message = first as MailAppMessage;
    if (message.to === undefined || message.to === null || text(message.to).trim() === '') throw new Error('Invalid argument: to');
    return { ...message, to: text(message.to), subject: text(message.subject), body: text(message.body) };
  }
  if (args.length < 3)
    throw new Error(
      'Invalid argument: the parameters (' +
        args.map((arg) => typeof arg).join(',') +
        ") don't match the method signature for MailApp.sendEmail.",
    );
  if (args.length === 4 && typeof fourth === 'string') {
    // sendEmail(to, replyTo, subject, body)
    return { to: text(first), replyTo: text(second), subject: text(third), body: fourth };
  }
  const options = (fourth !== undefined && fourth !== null && typeof fourth === 'object' ? fourth : {}) as MailAppMessage;
  return { ...options, to: text(first), subject: text(second), body: text(third) };
}

export class FakeMailApp implements Pick<GoogleAppsScript.Mail.MailApp, 'getRemainingDailyQuota' | 'sendEmail'> {
  constructor(
    private readonly quotas: RecipientQuota,
    private readonly ctx: ServiceContext,
    private readonly sending: MailAppSending | null = null,
  ) {}

  getRemainingDailyQuota(): number {
    return this.ctx.call('MailApp.getRemainingDailyQuota', () => Math.max(0, this.quotas.remainingRecipients()));
  }

  /**
   * sendEmail(message) | sendEmail(recipient, subject, body) | sendEmail(recipient, subject, body, options)
   * | sendEmail(to, replyTo, subject, body)
   */
  sendEmail(...args: unknown[]): void {
    const sending = this.sending;
    if (!sending) throw new Error('Not emulated: MailApp.sendEmail (no mailbox in this sandbox)');
    let recipients = 0;
    try {
      const message = mailAppArguments(args);
      recipients = countAddresses(message.to, message.cc, message.bcc);
    } catch {
      // The call itself reports the bad arguments below (counted like any refused call).
    }
    this.ctx.call(
      'MailApp.sendEmail',
      () => {
        const message = mailAppArguments(args);
        const scope: SendScope = { mailbox: sending.mailbox, ctx: this.ctx, quotas: sending.quotas };
        sendComposed(scope, message.to, message.subject, message.body, {
          cc: message.cc,
          bcc: message.bcc,
          replyTo: message.replyTo || undefined,
          htmlBody: message.htmlBody === undefined || message.htmlBody === null ? undefined : text(message.htmlBody),
          name: message.name,
          noReply: message.noReply === true,
          attachments: message.attachments as GoogleAppsScript.Base.BlobSource[] | undefined,
          inlineImages: message.inlineImages as Record<string, GoogleAppsScript.Base.BlobSource> | undefined,
        });
      },
      { faultable: true, recipients },
      mailAppFault,
    );
  }
}

function countAddresses(...lists: Array<string | undefined>): number {
  return lists.reduce((sum, list) => sum + (text(list).match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? []).length, 0);
}

/** MailApp for the sandbox; without `sending`, sendEmail throws "Not emulated". */
export function createMailApp(quotas: RecipientQuota, ctx: ServiceContext, sending?: MailAppSending): GoogleAppsScript.Mail.MailApp {
  return withNotEmulated(new FakeMailApp(quotas, ctx, sending ?? null), 'MailApp') as unknown as GoogleAppsScript.Mail.MailApp;
}
