// The MailGateway over the Advanced Gmail service (`Gmail.Users…`, enabled in appsscript.json): one
// request at a time, same gmail.modify scope as REST, no token handling. Its answers are normalised to
// the REST shape (the service hands bytes — body.data, raw, attachment data — to scripts as byte
// arrays; a part's body.data becomes base64url, a raw message or an attachment stays bytes), and its
// exceptions (GoogleJsonResponseException with details.code, or a bare Error) go through the same mapping as REST's statuses, so both gateways give
// the same answers and the same typed errors.
// https://developers.google.com/apps-script/advanced/gmail

import { base64UrlEncode } from '../../domain/encoding';
import { ADVANCED_SERVICE_OFF, PermissionError } from '../../domain/mail-errors';
import { mailErrorFromException } from '../../domain/mail/error-mapping';
import type { MailGateway } from '../../ports/mail-gateway';
import type { ApiAnswer, ApiRequest, GmailTransport } from './api-request';
import { createMailGateway, type GatewayDeps } from './gateway-core';

const ME = 'me';

/**
 * The Advanced service's answer in the REST shape. Its byte arrays (signed, as Apps Script gives them)
 * stay arrays where they are a whole message (`raw`) or an attachment (`data` of attachments.get): the
 * gateway core takes their bytes as they are, with no base64 round trip. A payload part's `body.data`
 * becomes padded base64url like Gmail's JSON: only small inline parts carry data in a `full` message
 * (Gmail gives larger ones an attachmentId), so encoding them here costs less than a platform call each.
 */
export function restShaped(value: unknown, key = '', parent = ''): unknown {
  if (Array.isArray(value)) {
    if ((key === 'data' || key === 'raw') && value.every((item) => typeof item === 'number'))
      return key === 'data' && parent === 'body' ? base64UrlEncode(value as number[], { pad: true }) : value;
    return value.map((item) => restShaped(item));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) if (item !== undefined && item !== null) out[name] = restShaped(item, name, key);
    return out;
  }
  return value;
}

/** The Advanced Gmail service, or null when the project does not enable it. */
function service(): GoogleAppsScript.Gmail | null {
  return typeof Gmail === 'undefined' || !Gmail || !Gmail.Users ? null : Gmail;
}

/** Every request fails alike when the service is missing: a setup problem, not Gmail's answer. */
function notEnabled(operation: string): PermissionError {
  return new PermissionError({
    operation,
    status: 0,
    detail: 'the Advanced Gmail service is not enabled in this project (appsscript.json enabledAdvancedServices)',
    reasons: [ADVANCED_SERVICE_OFF],
    mayHaveHappened: false,
  });
}

/** One request through the Advanced service; its answer as Gmail's JSON would be. */
function call(gmail: GoogleAppsScript.Gmail, request: ApiRequest): unknown {
  const users = gmail.Users!;
  const messages = users.Messages!;
  switch (request.method) {
    case 'users.getProfile':
      return users.getProfile(ME);
    case 'labels.list':
      return users.Labels!.list(ME);
    case 'labels.create':
      return users.Labels!.create({ name: request.name, labelListVisibility: 'labelShow', messageListVisibility: 'show' }, ME);
    case 'messages.list':
      return messages.list(ME, {
        ...(request.q ? { q: request.q } : {}),
        ...(request.labelIds?.length ? { labelIds: [...request.labelIds] } : {}),
        ...(request.maxResults ? { maxResults: request.maxResults } : {}),
        ...(request.pageToken ? { pageToken: request.pageToken } : {}),
      });
    case 'messages.get':
      return messages.get(ME, request.id, {
        format: request.format,
        ...(request.metadataHeaders?.length ? { metadataHeaders: [...request.metadataHeaders] } : {}),
      });
    case 'messages.attachments.get':
      return messages.Attachments!.get(ME, request.messageId, request.id);
    case 'messages.modify':
      return messages.modify({ addLabelIds: [...request.addLabelIds], removeLabelIds: [...request.removeLabelIds] }, ME, request.id);
    case 'messages.batchModify':
      messages.batchModify(
        { ids: [...request.ids], addLabelIds: [...request.addLabelIds], removeLabelIds: [...request.removeLabelIds] },
        ME,
      );
      return null;
    case 'messages.trash':
      return messages.trash(ME, request.id);
    case 'messages.send':
      return messages.send({ raw: request.raw }, ME);
    case 'history.list':
      return users.History!.list(ME, {
        startHistoryId: request.startHistoryId,
        historyTypes: [...request.historyTypes],
        ...(request.labelId ? { labelId: request.labelId } : {}),
        ...(request.pageToken ? { pageToken: request.pageToken } : {}),
        ...(request.maxResults ? { maxResults: request.maxResults } : {}),
      });
    case 'drafts.list':
      return users.Drafts!.list(ME, {
        ...(request.maxResults ? { maxResults: request.maxResults } : {}),
        ...(request.pageToken ? { pageToken: request.pageToken } : {}),
      });
    case 'drafts.get':
      return users.Drafts!.get(ME, request.id, { format: request.format });
    case 'settings.sendAs.list':
      return users.Settings!.SendAs!.list(ME);
  }
}

/** The Advanced Gmail service, one request after the other. */
export function advancedTransport(now: () => number = () => Date.now()): GmailTransport {
  return {
    kind: 'advanced',
    run(requests, operation) {
      const gmail = service();
      if (!gmail) return requests.map((): ApiAnswer => ({ ok: false, error: notEnabled(operation), notSent: true }));
      return requests.map((request): ApiAnswer => {
        try {
          return { ok: true, json: restShaped(call(gmail, request)) ?? null };
        } catch (error) {
          return { ok: false, error: mailErrorFromException(operation, error, now()) };
        }
      });
    },
  };
}

export function advancedMailGateway(deps: Partial<GatewayDeps> & Pick<GatewayDeps, 'codecs'>): MailGateway {
  return createMailGateway(advancedTransport(), {
    codecs: deps.codecs,
    sleep: deps.sleep ?? ((ms) => Utilities.sleep(Math.max(0, Math.round(ms)))),
    random: deps.random ?? Math.random,
    ...(deps.policy ? { policy: deps.policy } : {}),
  });
}
