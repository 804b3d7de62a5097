// What each Gmail API method costs in quota units (the per-user budget is 15,000 units a minute),
// as Google's quota page lists them. The gateways add these up in usage(); the README quotes them.
// https://developers.google.com/gmail/api/reference/quota

export const GMAIL_QUOTA_UNITS = {
  'users.getProfile': 1,
  'labels.list': 1,
  'labels.create': 5,
  'messages.list': 5,
  'messages.get': 5,
  'messages.attachments.get': 5,
  'messages.modify': 5,
  'messages.batchModify': 50,
  'messages.trash': 5,
  'messages.send': 100,
  'history.list': 2,
  'drafts.list': 5,
  'drafts.get': 5,
  'settings.sendAs.list': 1,
} as const;

export type GmailApiMethod = keyof typeof GMAIL_QUOTA_UNITS;

/** Gmail calls made and quota units spent, retries included (every attempt is charged). */
export class QuotaMeter {
  private calls = 0;
  private units = 0;

  charge(method: GmailApiMethod, count = 1): void {
    this.calls += count;
    this.units += count * GMAIL_QUOTA_UNITS[method];
  }

  usage(): { calls: number; units: number } {
    return { calls: this.calls, units: this.units };
  }
}
