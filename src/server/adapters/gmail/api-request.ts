// One Gmail API request as both transports understand it (REST through UrlFetchApp, the Advanced
// Gmail service), and the contract of a transport: run a batch of requests once and answer each with
// Gmail's JSON resource (REST shape: base64url strings for bytes) or the typed error it failed with.
// The gateway (gateway-core.ts) builds requests, retries, parses; a transport only carries them.

import type { MailError } from '../../domain/mail-errors';
import type { GmailApiMethod } from '../../domain/mail/quota-units';

export type ApiRequest =
  | { method: 'users.getProfile' }
  | { method: 'labels.list' }
  | { method: 'labels.create'; name: string }
  | { method: 'messages.list'; q?: string; labelIds?: readonly string[]; maxResults?: number; pageToken?: string }
  | { method: 'messages.get'; id: string; format: string; metadataHeaders?: readonly string[] }
  | { method: 'messages.attachments.get'; messageId: string; id: string }
  | { method: 'messages.modify'; id: string; addLabelIds: readonly string[]; removeLabelIds: readonly string[] }
  | { method: 'messages.batchModify'; ids: readonly string[]; addLabelIds: readonly string[]; removeLabelIds: readonly string[] }
  | { method: 'messages.trash'; id: string }
  | { method: 'messages.send'; raw: string }
  | {
      method: 'history.list';
      startHistoryId: string;
      historyTypes: readonly string[];
      labelId?: string;
      pageToken?: string;
      maxResults?: number;
    }
  | { method: 'drafts.list'; maxResults?: number; pageToken?: string }
  | { method: 'drafts.get'; id: string; format: string }
  | { method: 'settings.sendAs.list' };

// Every method of the union is a quota-priced Gmail method.
type AssertMethods<T extends GmailApiMethod> = T;
export type RequestMethod = AssertMethods<ApiRequest['method']>;

/**
 * One request's answer: Gmail's JSON (null for an empty 204), or the typed error; `notSent` when the
 * request never left the script (then it costs no call and no quota).
 */
export type ApiAnswer = { ok: true; json: unknown } | { ok: false; error: MailError; notSent?: true };

export interface GmailTransport {
  readonly kind: 'rest' | 'advanced';
  /**
   * Runs the requests once each (in parallel where the transport can) and answers each, in order.
   * `operation` names the gateway operation in the errors.
   */
  run(requests: readonly ApiRequest[], operation: string): ApiAnswer[];
}
