// Adapter: the Send job's MailTransport, two ways behind one port (setting `transport`):
//   'rest'      the Gmail REST API through UrlFetchApp.fetchAll with the script's OAuth token: a batch
//               of messages.send in parallel, one service call (gmail-rest.ts). The default: it is the
//               only way to reach the 150 sends / min of the per-user quota from one execution.
//   'advanced'  the Advanced Gmail service (Gmail.Users.Messages.send), one call at a time, same
//               gmail.modify scope. GmailApp is not used: it needs the full https://mail.google.com/
//               scope (README, OAuth scopes).
// Reading back the Sent mailbox (for rows in doubt) lists the SENT label (messages.list labelIds=SENT,
// newest first) and reads the X-Postroom-Send-Id / Message-ID headers with format=metadata.
// https://developers.google.com/gmail/api/reference/rest/v1/users.messages/send
// https://developers.google.com/apps-script/advanced/gmail

import { PostroomError, errorMessage } from '../domain/errors';
import type { HttpOutcome } from '../domain/send/retry';
import type { MailTransport, SentMessageFacts } from '../ports/send';
import { callGmail, callGmailIdempotent, type GmailCall } from './gmail-rest';

export const SEND_ID_HEADER = 'X-Postroom-Send-Id';
const METADATA_HEADERS = [SEND_ID_HEADER, 'Message-ID'];
const UNITS = { send: 100, list: 5, get: 5 } as const;
const READ_BATCH = 50;

interface MessageResource {
  id?: string;
  threadId?: string;
  internalDate?: string;
  payload?: { headers?: Array<{ name?: string; value?: string }> };
}

function factsOf(resource: MessageResource): SentMessageFacts | null {
  if (!resource || typeof resource.id !== 'string') return null;
  const header = (name: string) => resource.payload?.headers?.find((h) => (h.name ?? '').toLowerCase() === name.toLowerCase())?.value ?? '';
  return {
    id: resource.id,
    threadId: String(resource.threadId ?? ''),
    internalDate: Number(resource.internalDate ?? 0),
    sendId: header(SEND_ID_HEADER).trim(),
    messageId: header('Message-ID').trim(),
  };
}

/** MailTransport over the Gmail REST API and UrlFetchApp.fetchAll. */
export function restMailTransport(): MailTransport {
  const usage = { calls: 0, units: 0 };
  const spend = (calls: number, units: number) => {
    usage.calls += calls;
    usage.units += calls * units;
  };
  return {
    kind: 'rest',
    send(raws) {
      if (!raws.length) return [];
      if (raws.length > 100) throw new PostroomError('INTERNAL', `A fetchAll batch holds at most 100 sends, got ${raws.length}`);
      spend(raws.length, UNITS.send);
      // Never retried here: a send without an answer may have gone out (the job checks Sent first).
      return callGmail(raws.map((raw): GmailCall => ({ method: 'post', path: 'messages/send', body: { raw } }))).map(
        (reply): HttpOutcome => ({ status: reply.status, json: reply.json, text: reply.text, retryAfterMs: reply.retryAfterMs, networkError: reply.networkError }),
      );
    },
    listSent(pageToken, maxResults) {
      spend(1, UNITS.list);
      const [reply] = callGmailIdempotent([
        { method: 'get', path: 'messages', query: { labelIds: 'SENT', maxResults, ...(pageToken ? { pageToken } : {}) } },
      ]);
      if (reply.status < 200 || reply.status >= 300) return null;
      const json = (reply.json ?? {}) as { messages?: Array<{ id: string }>; nextPageToken?: string };
      return { ids: (json.messages ?? []).map((m) => m.id), nextPageToken: json.nextPageToken ?? null };
    },
    getSentFacts(ids) {
      const out: Array<SentMessageFacts | null> = [];
      for (let i = 0; i < ids.length; i += READ_BATCH) {
        const batch = ids.slice(i, i + READ_BATCH);
        spend(batch.length, UNITS.get);
        const replies = callGmailIdempotent(
          batch.map((id): GmailCall => ({ method: 'get', path: `messages/${encodeURIComponent(id)}`, query: { format: 'metadata', metadataHeaders: METADATA_HEADERS } })),
        );
        for (const reply of replies) out.push(reply.status >= 200 && reply.status < 300 ? factsOf(reply.json as MessageResource) : null);
      }
      return out;
    },
    usage: () => ({ ...usage }),
  };
}

/** The HTTP status an Advanced-service exception carries (GoogleJsonResponseException.details.code), or 0. */
function statusOfException(error: unknown): number {
  const details = (error as { details?: { code?: unknown } } | null)?.details;
  return typeof details?.code === 'number' ? details.code : 0;
}

function advancedGmail(): GoogleAppsScript.Gmail {
  if (typeof Gmail === 'undefined' || !Gmail) {
    throw new PostroomError('SETUP_INCOMPLETE', 'The Advanced Gmail service is not enabled (appsscript.json enabledAdvancedServices).');
  }
  return Gmail;
}

/** MailTransport over the Advanced Gmail service: one request at a time. */
export function advancedMailTransport(): MailTransport {
  const usage = { calls: 0, units: 0 };
  const spend = (units: number) => {
    usage.calls += 1;
    usage.units += units;
  };
  return {
    kind: 'advanced',
    send(raws) {
      const gmail = advancedGmail();
      return raws.map((raw): HttpOutcome => {
        spend(UNITS.send);
        try {
          const sent = gmail.Users!.Messages!.send({ raw }, 'me');
          return { status: 200, json: { id: sent.id, threadId: sent.threadId } };
        } catch (error) {
          // Mapped, not swallowed: the status decides retry / fail / in doubt; no status (a network
          // or unknown error) is "no answer", so the job checks Sent before any new attempt.
          const status = statusOfException(error);
          const message = errorMessage(error);
          return status
            ? { status, json: { error: { code: status, message: message.replace(/^API call to [\w.]+ failed with error: /, '') } } }
            : { status: 0, networkError: message };
        }
      });
    },
    listSent(pageToken, maxResults) {
      const gmail = advancedGmail();
      spend(UNITS.list);
      try {
        const page = gmail.Users!.Messages!.list('me', { labelIds: ['SENT'], maxResults, ...(pageToken ? { pageToken } : {}) });
        return { ids: (page.messages ?? []).map((m) => String(m.id)), nextPageToken: page.nextPageToken ?? null };
      } catch (error) {
        console.warn(`Listing SENT failed: ${errorMessage(error)}`);
        return null;
      }
    },
    getSentFacts(ids) {
      const gmail = advancedGmail();
      return ids.map((id) => {
        spend(UNITS.get);
        try {
          return factsOf(gmail.Users!.Messages!.get('me', id, { format: 'metadata', metadataHeaders: METADATA_HEADERS }) as MessageResource);
        } catch (error) {
          console.warn(`Reading message ${id} failed: ${errorMessage(error)}`);
          return null;
        }
      });
    },
    usage: () => ({ ...usage }),
  };
}
