// MailApp: only the remaining daily recipients quota, read from the workspace's quotas (the Gmail
// helper's emulator/runtime/quotas.ts provides `remainingRecipients()`). Sending goes through GmailApp
// or the Gmail API in Postroom, so MailApp.sendEmail is not emulated.
// https://developers.google.com/apps-script/reference/mail/mail-app#getRemainingDailyQuota()

import type { ServiceContext } from '../runtime/execution';
import { withNotEmulated } from './fake-support';

/** The slice of the quotas MailApp needs. */
export interface RecipientQuota {
  remainingRecipients(): number;
}

export class FakeMailApp implements Pick<GoogleAppsScript.Mail.MailApp, 'getRemainingDailyQuota'> {
  constructor(
    private readonly quotas: RecipientQuota,
    private readonly ctx: ServiceContext,
  ) {}

  getRemainingDailyQuota(): number {
    return this.ctx.call('MailApp.getRemainingDailyQuota', () => Math.max(0, this.quotas.remainingRecipients()));
  }
}

/** MailApp for the sandbox. */
export function createMailApp(quotas: RecipientQuota, ctx: ServiceContext): GoogleAppsScript.Mail.MailApp {
  return withNotEmulated(new FakeMailApp(quotas, ctx), 'MailApp') as unknown as GoogleAppsScript.Mail.MailApp;
}
