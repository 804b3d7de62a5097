// The send extras' mail operations over the one MailGateway: drafts (listed, then read raw in one
// batch), send-as addresses, and the search and raw reads of the bounce check. A gateway failure
// becomes a PostroomError in the user's words (the typed mail error's own message), so the api
// answers with the reason; a draft deleted meanwhile is simply absent.
// Quota units: drafts.list 5, drafts.get 5 each, settings.sendAs.list 1, messages.list 5,
// messages.get 5 each.

import { PostroomError } from '../../domain/errors';
import type { MailError } from '../../domain/mail-errors';
import type { MailGateway, MailOutcome } from '../../ports/mail-gateway';
import type { DraftRaw, SendAsAlias, SendExtrasMail } from '../../ports/send-extras';

/** Drafts read at most (a mailbox with more drafts lists the newest). */
const MAX_DRAFTS = 300;

function fail(error: MailError): never {
  throw new PostroomError(error.kind === 'auth' || error.kind === 'permission' ? 'PERMANENT' : 'TRANSIENT', error.message, {
    mail: error.kind,
  });
}

function value<T>(outcome: MailOutcome<T>): T {
  if (!outcome.ok) fail(outcome.error);
  return outcome.value;
}

export function gatewaySendExtrasMail(gateway: MailGateway): SendExtrasMail {
  const read = (ids: readonly string[]): Array<DraftRaw | null> =>
    gateway.getDrafts(ids).map((outcome) => {
      if (outcome.ok) return { draftId: outcome.value.id, updatedAt: outcome.value.internalDate, raw: outcome.value.raw };
      if (outcome.error.kind === 'not_found') return null;
      return fail(outcome.error);
    });
  return {
    listDrafts() {
      const ids: string[] = [];
      let pageToken: string | null = null;
      do {
        const page: { ids: string[]; nextPageToken: string | null } = value(gateway.listDrafts({ pageToken, max: 100 }));
        ids.push(...page.ids);
        pageToken = page.nextPageToken;
      } while (pageToken && ids.length < MAX_DRAFTS);
      return read(ids.slice(0, MAX_DRAFTS)).filter((d): d is DraftRaw => d !== null);
    },
    getDraft: (draftId) => read([draftId])[0],
    listSendAs(): SendAsAlias[] {
      return value(gateway.listSendAs()).map((a) => ({
        email: a.email,
        displayName: a.displayName,
        isPrimary: a.isPrimary,
        verificationStatus: a.verificationStatus,
      }));
    },
    search(query, max) {
      const ids: string[] = [];
      let pageToken: string | null = null;
      do {
        const page: { ids: string[]; nextPageToken: string | null } = value(
          gateway.search(query, { pageToken, max: Math.min(500, max - ids.length) }),
        );
        ids.push(...page.ids);
        pageToken = page.nextPageToken;
      } while (pageToken && ids.length < max);
      return ids;
    },
    getRaw(ids) {
      return gateway.getMessages(ids, 'raw').map((outcome) => (outcome.ok && outcome.value.raw ? outcome.value.raw : null));
    },
  };
}
