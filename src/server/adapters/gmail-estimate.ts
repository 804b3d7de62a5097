// Adapter: Gmail's estimate of how many messages match a search (messages.list resultSizeEstimate,
// one request of 5 quota units, maxResults=1), for the sidebar's "about N unread messages to collect".
// https://developers.google.com/gmail/api/reference/rest/v1/users.messages/list

import { PostroomError } from '../domain/errors';
import { callGmailIdempotent, gmailErrorMessage } from './gmail-rest';

export function estimateMatchingMessages(query: string): number {
  const [reply] = callGmailIdempotent([{ method: 'get', path: 'messages', query: { q: query, maxResults: 1 } }]);
  if (reply.status < 200 || reply.status >= 300) {
    throw new PostroomError(reply.status === 0 || reply.status === 429 || reply.status >= 500 ? 'TRANSIENT' : 'PERMANENT', `Gmail search "${query}": ${gmailErrorMessage(reply)}`);
  }
  const estimate = (reply.json as { resultSizeEstimate?: unknown } | null)?.resultSizeEstimate;
  return typeof estimate === 'number' && Number.isFinite(estimate) ? estimate : 0;
}
