// Adapter: the collect job's mailbox (CollectMailbox) over the Gmail REST API helpers of
// gmail-mailbox.ts: paginated search, messages.get and attachments.get in parallel (fetchAll), labels
// created once, batchModify per label set on MESSAGES (never threads). It also reports how many Gmail
// API requests the execution sent (retries included), for the JobRun's gmail_api_calls.
// https://developers.google.com/gmail/api/reference/rest/v1/users.messages/batchModify

import type { GmailMessage } from '../domain/collect';
import type { CollectMailbox } from '../ports/collect-mailbox';
import { ensureLabels, getAttachments, getMessages, listMessageIds, modifyMessages } from './gmail-mailbox';
import { gmailRequestsSent } from './gmail-rest';

export function gmailCollectMailbox(): CollectMailbox {
  return {
    listMessageIds: (query, pageToken, maxResults) => listMessageIds(query, pageToken, maxResults),
    getMessages: (ids) => getMessages(ids, 'full').map((reply) => (reply.ok ? { ok: true, value: reply.value as GmailMessage } : reply)),
    getAttachments: (refs) => getAttachments(refs),
    ensureLabels: (names) => ensureLabels(names),
    modifyMessages: (ids, add, remove) => modifyMessages(ids, add, remove),
    requestsSent: () => gmailRequestsSent(),
  };
}
