// Adapter: the Gmail operations of the send extras over the Gmail REST API (UrlFetchApp, the script's
// token, reads retried on 429 / 5xx): drafts (list, then every draft's raw bytes in one parallel call),
// send-as aliases (users.settings.sendAs.list, scope gmail.modify is not enough for settings writes but
// reads them, https://developers.google.com/gmail/api/reference/rest/v1/users.settings.sendAs/list),
// searches and raw reads for the bounce check. Quota units: drafts.list 5, drafts.get 5 each,
// settings.sendAs.list 1, messages.list 5, messages.get 5 each.

import { base64Decode } from '../domain/encoding';
import { PostroomError } from '../domain/errors';
import type { DraftRaw, SendAsAlias, SendExtrasMail } from '../ports/send-extras';
import { callGmailIdempotent, gmailErrorMessage, type GmailReply } from './gmail-rest';

function ok(reply: GmailReply, what: string): unknown {
  if (reply.status >= 200 && reply.status < 300) return reply.json;
  throw new PostroomError(reply.status === 401 || reply.status === 403 ? 'PERMANENT' : 'TRANSIENT', `Gmail ${what}: ${gmailErrorMessage(reply)}`);
}

const GET_BATCH = 25;

export function restSendExtrasMail(): SendExtrasMail {
  function draftsRaw(ids: readonly string[]): Array<DraftRaw | null> {
    const out: Array<DraftRaw | null> = [];
    for (let i = 0; i < ids.length; i += GET_BATCH) {
      const batch = ids.slice(i, i + GET_BATCH);
      const replies = callGmailIdempotent(batch.map((id) => ({ method: 'get' as const, path: `drafts/${encodeURIComponent(id)}`, query: { format: 'raw' } })));
      replies.forEach((reply, k) => {
        if (reply.status === 404) {
          out.push(null);
          return;
        }
        const json = ok(reply, 'drafts.get') as { id: string; message: { raw: string; internalDate?: string } };
        out.push({ draftId: batch[k], updatedAt: Number(json.message.internalDate ?? 0), raw: base64Decode(json.message.raw) });
      });
    }
    return out;
  }

  return {
    listDrafts() {
      const ids: string[] = [];
      let pageToken: string | null = null;
      do {
        const [reply] = callGmailIdempotent([{ method: 'get', path: 'drafts', query: { maxResults: 100, ...(pageToken ? { pageToken } : {}) } }]);
        const json = ok(reply, 'drafts.list') as { drafts?: Array<{ id: string }>; nextPageToken?: string };
        ids.push(...(json.drafts ?? []).map((d) => d.id));
        pageToken = json.nextPageToken ?? null;
      } while (pageToken && ids.length < 500);
      return draftsRaw(ids).filter((d): d is DraftRaw => d !== null);
    },
    getDraft(draftId) {
      return draftsRaw([draftId])[0];
    },
    listSendAs(): SendAsAlias[] {
      const [reply] = callGmailIdempotent([{ method: 'get', path: 'settings/sendAs' }]);
      const json = ok(reply, 'settings.sendAs.list') as { sendAs?: Array<{ sendAsEmail: string; displayName?: string; isPrimary?: boolean; verificationStatus?: string }> };
      return (json.sendAs ?? []).map((a) => ({
        email: a.sendAsEmail,
        displayName: a.displayName ?? '',
        isPrimary: Boolean(a.isPrimary),
        // The primary address has no verificationStatus in Gmail's answer: it is always usable.
        verificationStatus: a.isPrimary ? 'accepted' : (a.verificationStatus ?? 'pending'),
      }));
    },
    search(query, max) {
      const ids: string[] = [];
      let pageToken: string | null = null;
      do {
        const [reply] = callGmailIdempotent([{ method: 'get', path: 'messages', query: { q: query, maxResults: Math.min(500, max - ids.length), ...(pageToken ? { pageToken } : {}) } }]);
        const json = ok(reply, 'messages.list') as { messages?: Array<{ id: string }>; nextPageToken?: string };
        ids.push(...(json.messages ?? []).map((m) => m.id));
        pageToken = json.nextPageToken ?? null;
      } while (pageToken && ids.length < max);
      return ids;
    },
    getRaw(ids) {
      const out: Array<Uint8Array | null> = [];
      for (let i = 0; i < ids.length; i += GET_BATCH) {
        const replies = callGmailIdempotent(ids.slice(i, i + GET_BATCH).map((id) => ({ method: 'get' as const, path: `messages/${encodeURIComponent(id)}`, query: { format: 'raw' } })));
        for (const reply of replies) {
          const json = reply.status === 200 ? (reply.json as { raw?: string }) : null;
          out.push(json?.raw ? base64Decode(json.raw) : null);
        }
      }
      return out;
    },
  };
}
