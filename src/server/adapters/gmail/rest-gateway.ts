// The MailGateway over the Gmail REST API: each request an HTTP call through UrlFetchApp.fetchAll with
// the script's OAuth token, at most 50 per fetchAll (Gmail's advice for one batch), so a batch of
// reads or sends costs one service call's time. The default transport: the only way to reach the
// per-user quota ceiling from one execution. Answers are mapped once (domain/mail/error-mapping.ts);
// a fetchAll that fails at the network level fails every request of its batch (TransientError: some
// may have reached Gmail).
// https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#fetchAll(Object)
// https://developers.google.com/gmail/api/reference/rest

import { isExecutionOver } from '../../domain/errors';
import { mailErrorFromHttp } from '../../domain/mail/error-mapping';
import type { MailGateway } from '../../ports/mail-gateway';
import type { ApiAnswer, ApiRequest, GmailTransport } from './api-request';
import { createMailGateway, type GatewayDeps } from './gateway-core';
import { callGmail, type GmailCall } from './rest-client';

/** Largest fetchAll batch. */
export const FETCH_BATCH = 50;

const path = (...segments: string[]): string => segments.map(encodeURIComponent).join('/');

/** The REST call of one request (paths below users/me/). */
export function restCall(request: ApiRequest): GmailCall {
  switch (request.method) {
    case 'users.getProfile':
      return { method: 'get', path: 'profile' };
    case 'labels.list':
      return { method: 'get', path: 'labels' };
    case 'labels.create':
      return {
        method: 'post',
        path: 'labels',
        body: { name: request.name, labelListVisibility: 'labelShow', messageListVisibility: 'show' },
      };
    case 'messages.list':
      return {
        method: 'get',
        path: 'messages',
        query: {
          ...(request.q ? { q: request.q } : {}),
          ...(request.labelIds?.length ? { labelIds: request.labelIds } : {}),
          ...(request.maxResults ? { maxResults: request.maxResults } : {}),
          ...(request.pageToken ? { pageToken: request.pageToken } : {}),
        },
      };
    case 'messages.get':
      return {
        method: 'get',
        path: path('messages', request.id),
        query: { format: request.format, ...(request.metadataHeaders?.length ? { metadataHeaders: request.metadataHeaders } : {}) },
      };
    case 'messages.attachments.get':
      return { method: 'get', path: path('messages', request.messageId, 'attachments', request.id) };
    case 'messages.modify':
      return {
        method: 'post',
        path: `${path('messages', request.id)}/modify`,
        body: { addLabelIds: request.addLabelIds, removeLabelIds: request.removeLabelIds },
      };
    case 'messages.batchModify':
      return {
        method: 'post',
        path: 'messages/batchModify',
        body: { ids: request.ids, addLabelIds: request.addLabelIds, removeLabelIds: request.removeLabelIds },
      };
    case 'messages.trash':
      return { method: 'post', path: `${path('messages', request.id)}/trash` };
    case 'messages.send':
      return { method: 'post', path: 'messages/send', body: { raw: request.raw } };
    case 'history.list':
      return {
        method: 'get',
        path: 'history',
        query: {
          startHistoryId: request.startHistoryId,
          historyTypes: request.historyTypes,
          ...(request.labelId ? { labelId: request.labelId } : {}),
          ...(request.pageToken ? { pageToken: request.pageToken } : {}),
          ...(request.maxResults ? { maxResults: request.maxResults } : {}),
        },
      };
    case 'drafts.list':
      return {
        method: 'get',
        path: 'drafts',
        query: {
          ...(request.maxResults ? { maxResults: request.maxResults } : {}),
          ...(request.pageToken ? { pageToken: request.pageToken } : {}),
        },
      };
    case 'drafts.get':
      return { method: 'get', path: path('drafts', request.id), query: { format: request.format } };
    case 'settings.sendAs.list':
      return { method: 'get', path: 'settings/sendAs' };
  }
}

/** Gmail REST through UrlFetchApp.fetchAll, FETCH_BATCH requests at a time. */
export function restTransport(now: () => number = () => Date.now()): GmailTransport {
  return {
    kind: 'rest',
    run(requests, operation) {
      const answers: ApiAnswer[] = [];
      for (let i = 0; i < requests.length; i += FETCH_BATCH) {
        for (const reply of callGmail(requests.slice(i, i + FETCH_BATCH).map(restCall))) {
          // The execution's end (deadline, kill) is not Gmail's answer: it stops everything.
          if (reply.networkError && isExecutionOver({ message: reply.networkError })) throw new Error(reply.networkError);
          const error = mailErrorFromHttp(operation, reply, now());
          answers.push(error ? { ok: false, error } : { ok: true, json: reply.json });
        }
      }
      return answers;
    },
  };
}

export function restMailGateway(deps: Partial<GatewayDeps> & Pick<GatewayDeps, 'codecs'>): MailGateway {
  return createMailGateway(restTransport(), {
    codecs: deps.codecs,
    sleep: deps.sleep ?? ((ms) => Utilities.sleep(Math.max(0, Math.round(ms)))),
    random: deps.random ?? Math.random,
    ...(deps.policy ? { policy: deps.policy } : {}),
  });
}
