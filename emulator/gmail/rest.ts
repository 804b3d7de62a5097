// The Gmail REST API (https://gmail.googleapis.com/gmail/v1/users/{userId}/..., also on the
// www.googleapis.com host) as a UrlFetchApp route over the shared mailbox: same paths, query parameters,
// JSON bodies and Google's JSON error bodies {error:{code,message,errors:[{message,domain,reason}],status}}.
// The bearer token must be the script's OAuth token (401 otherwise). messages/send takes {raw, threadId}
// (base64url, padded or not) or, on the /upload/ path with uploadType=media, the message/rfc822 bytes.
// Each request is counted in the accounting as "Gmail.REST.<method>" with its quota units; the
// UrlFetchApp call that carried it is counted by UrlFetchApp itself.
// https://developers.google.com/workspace/gmail/api/reference/rest
// https://developers.google.com/workspace/gmail/api/guides/handle-errors

import type { ServiceContext } from '../runtime/execution';
import { latencyOf } from '../latency';
import { GMAIL_UNITS, GmailApiError, invalidArgument, type GmailApiCore, type GmailMethod } from './api-core';
import { fromBase64Url } from './mime';
import type { Route, RouteRequest, RouteResponse } from '../services/url-fetch';
import { checkBearer, jsonResponse } from '../services/google-api';

/** URL prefixes served by the Gmail REST route (the www host also carries other APIs). */
export const GMAIL_REST_PREFIXES = [
  'https://gmail.googleapis.com/',
  'https://www.googleapis.com/gmail/',
  'https://www.googleapis.com/upload/gmail/',
];

/** The Advanced-service method whose latency a REST method shares (emulator/latency.ts). */
const LATENCY_KEYS: Record<GmailMethod, string> = {
  'messages.list': 'Gmail.Users.Messages.list',
  'messages.get': 'Gmail.Users.Messages.get',
  'messages.modify': 'Gmail.Users.Messages.modify',
  'messages.batchModify': 'Gmail.Users.Messages.batchModify',
  'messages.send': 'Gmail.Users.Messages.send',
  'messages.trash': 'Gmail.Users.Messages.trash',
  'messages.attachments.get': 'Gmail.Users.Messages.Attachments.get',
  'drafts.create': 'Gmail.Users.Drafts.create',
  'drafts.get': 'Gmail.Users.Drafts.get',
  'drafts.list': 'Gmail.Users.Drafts.list',
  'drafts.send': 'Gmail.Users.Drafts.send',
  'drafts.delete': 'Gmail.Users.Drafts.remove',
  'labels.list': 'Gmail.Users.Labels.list',
  'labels.create': 'Gmail.Users.Labels.create',
  getProfile: 'Gmail.Users.getProfile',
  'history.list': 'Gmail.Users.History.list',
  'settings.sendAs.list': 'Gmail.Users.Settings.SendAs.list',
  'settings.sendAs.get': 'Gmail.Users.Settings.SendAs.get',
};

export function errorResponse(error: GmailApiError): RouteResponse {
  return jsonResponse(error.code, error.toJson(), error.headers);
}

function parseJsonBody(request: RouteRequest): Record<string, unknown> {
  const text = Buffer.from(request.payload).toString('utf8').trim();
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to Google's parse error below
  }
  throw new GmailApiError(400, `Invalid JSON payload received. Unexpected token.\n${text.slice(0, 40)}`, 'parseError', 'INVALID_ARGUMENT');
}

function rawFromJson(value: unknown): Uint8Array | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw invalidArgument("Invalid value at 'message.raw' (TYPE_BYTES)");
  try {
    return fromBase64Url(value);
  } catch {
    throw invalidArgument("Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed");
  }
}

function numberParam(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  return value === null ? undefined : Number(value);
}

interface Routed {
  method: GmailMethod;
  /** The message the request is about (scripted faults may target one id). */
  id?: string;
  run: () => { status?: number; body: unknown; recipientsOf?: () => number };
}

export interface GmailRestDeps {
  core: GmailApiCore;
  ctx: ServiceContext;
  oauthToken: string;
}

/** The UrlFetchApp route: one Gmail REST request in, one HTTP response out. */
export function createGmailRestRoute(deps: GmailRestDeps): Route {
  const { core, ctx } = deps;

  function route(request: RouteRequest, url: URL): Routed | null {
    const upload = url.pathname.startsWith('/upload/');
    const path = url.pathname.replace(/^\/upload/, '');
    const match = /^\/gmail\/v1\/users\/([^/]+)(\/.*)?$/.exec(path);
    if (!match) return null;
    const userId = decodeURIComponent(match[1]);
    const rest = match[2] ?? '';
    const method = request.method.toUpperCase();
    const params = url.searchParams;
    const mediaBody = (): Uint8Array | null => {
      const uploadType = params.get('uploadType');
      if (uploadType !== 'media') throw invalidArgument(`Not emulated: uploadType=${uploadType ?? '(none)'}; use uploadType=media`);
      return request.payload.length > 0 ? request.payload : null;
    };
    const segments = rest.split('/').filter(Boolean).map(decodeURIComponent);
    const [collection, id, sub, subId] = segments;

    if (segments.length === 1 && collection === 'profile' && method === 'GET') {
      return { method: 'getProfile', run: () => ({ body: core.getProfile(userId) }) };
    }
    if (collection === 'messages') {
      if (segments.length === 1 && method === 'GET') {
        return {
          method: 'messages.list',
          run: () => ({
            body: core.listMessages(userId, {
              q: params.get('q') ?? undefined,
              labelIds: params.getAll('labelIds').length > 0 ? params.getAll('labelIds') : undefined,
              maxResults: numberParam(params, 'maxResults'),
              pageToken: params.get('pageToken') ?? undefined,
              includeSpamTrash: params.get('includeSpamTrash') === 'true',
            }),
          }),
        };
      }
      if (segments.length === 2 && id === 'send' && method === 'POST') {
        return {
          method: 'messages.send',
          run: () => {
            let raw: Uint8Array | null;
            let threadId: string | undefined;
            if (upload) {
              raw = mediaBody();
              threadId = params.get('threadId') ?? undefined;
            } else {
              const body = parseJsonBody(request);
              raw = rawFromJson(body.raw);
              threadId = typeof body.threadId === 'string' ? body.threadId : undefined;
            }
            const sent = core.sendMessage(userId, raw, threadId);
            return { body: sent, recipientsOf: () => core.recipientsOf(core.mailbox.getMessage(sent.id)!.raw) };
          },
        };
      }
      if (segments.length === 2 && id === 'batchModify' && method === 'POST') {
        return {
          method: 'messages.batchModify',
          run: () => {
            core.batchModify(userId, parseJsonBody(request) as { ids?: string[]; addLabelIds?: string[]; removeLabelIds?: string[] });
            return { status: 204, body: undefined };
          },
        };
      }
      if (segments.length === 2 && method === 'GET') {
        return {
          method: 'messages.get',
          id,
          run: () => ({
            body: core.getMessage(userId, id, {
              format: params.get('format') ?? undefined,
              metadataHeaders: params.getAll('metadataHeaders'),
            }),
          }),
        };
      }
      if (segments.length === 3 && sub === 'modify' && method === 'POST') {
        return {
          method: 'messages.modify',
          id,
          run: () => ({
            body: core.modifyMessage(userId, id, parseJsonBody(request) as { addLabelIds?: string[]; removeLabelIds?: string[] }),
          }),
        };
      }
      if (segments.length === 3 && sub === 'trash' && method === 'POST') {
        return { method: 'messages.trash', id, run: () => ({ body: core.trashMessage(userId, id) }) };
      }
      if (segments.length === 4 && sub === 'attachments' && method === 'GET') {
        return { method: 'messages.attachments.get', id, run: () => ({ body: core.getAttachment(userId, id, subId) }) };
      }
    }
    if (collection === 'history' && segments.length === 1 && method === 'GET') {
      return {
        method: 'history.list',
        run: () => ({
          body: core.listHistory(userId, {
            startHistoryId: params.get('startHistoryId') ?? undefined,
            historyTypes: params.getAll('historyTypes'),
            labelId: params.get('labelId') ?? undefined,
            maxResults: numberParam(params, 'maxResults'),
            pageToken: params.get('pageToken') ?? undefined,
          }),
        }),
      };
    }
    if (collection === 'settings' && id === 'sendAs' && method === 'GET') {
      if (segments.length === 2) return { method: 'settings.sendAs.list', run: () => ({ body: core.listSendAs(userId) }) };
      if (segments.length === 3) return { method: 'settings.sendAs.get', run: () => ({ body: core.getSendAs(userId, sub) }) };
    }
    if (collection === 'labels' && segments.length === 1) {
      if (method === 'GET') return { method: 'labels.list', run: () => ({ body: core.listLabels(userId) }) };
      if (method === 'POST') {
        return { method: 'labels.create', run: () => ({ body: core.createLabel(userId, parseJsonBody(request) as { name?: string }) }) };
      }
    }
    if (collection === 'drafts') {
      if (segments.length === 1 && method === 'POST') {
        return {
          method: 'drafts.create',
          run: () => {
            if (upload) return { body: core.createDraft(userId, mediaBody()) };
            const message = (parseJsonBody(request).message ?? {}) as { raw?: unknown; threadId?: unknown };
            return {
              body: core.createDraft(userId, rawFromJson(message.raw), typeof message.threadId === 'string' ? message.threadId : undefined),
            };
          },
        };
      }
      if (segments.length === 1 && method === 'GET') {
        return {
          method: 'drafts.list',
          run: () => ({
            body: core.listDrafts(userId, {
              q: params.get('q') ?? undefined,
              maxResults: numberParam(params, 'maxResults'),
              pageToken: params.get('pageToken') ?? undefined,
            }),
          }),
        };
      }
      if (segments.length === 2 && id === 'send' && method === 'POST') {
        return {
          method: 'drafts.send',
          run: () => {
            const sent = core.sendDraft(userId, parseJsonBody(request) as { id?: string });
            return { body: sent, recipientsOf: () => core.recipientsOf(core.mailbox.getMessage(sent.id)!.raw) };
          },
        };
      }
      if (segments.length === 2 && method === 'GET') {
        return { method: 'drafts.get', run: () => ({ body: core.getDraft(userId, id, { format: params.get('format') ?? undefined }) }) };
      }
      if (segments.length === 2 && method === 'DELETE') {
        return {
          method: 'drafts.delete',
          run: () => {
            core.deleteDraft(userId, id);
            return { status: 204, body: undefined };
          },
        };
      }
    }
    return null;
  }

  const handle = (request: RouteRequest): RouteResponse => {
    const url = new URL(request.url);
    const denied = checkBearer(request.headers, deps.oauthToken);
    if (denied) return denied;
    const routed = route(request, url);
    if (!routed) {
      return jsonResponse(404, {
        error: {
          code: 404,
          message: 'Method not found.',
          errors: [{ message: 'Method not found.', domain: 'global', reason: 'notFound' }],
          status: 'NOT_FOUND',
        },
      });
    }
    let recipients = 0;
    try {
      core.checkFault(routed.method, routed.id); // a scripted network fault escapes: the fetch throws
      const result = routed.run();
      recipients = result.recipientsOf ? result.recipientsOf() : 0;
      return jsonResponse(result.status ?? 200, result.body);
    } catch (error) {
      if (error instanceof GmailApiError) return errorResponse(error);
      throw error;
    } finally {
      ctx.accounting.count(ctx.execution, `Gmail.REST.${routed.method}`, GMAIL_UNITS[routed.method], recipients);
    }
  };

  /** A REST call costs what the same Advanced service call costs (emulator/latency.ts). */
  const latencyMs = (request: RouteRequest): number => {
    const routed = route(request, new URL(request.url));
    return latencyOf(routed ? LATENCY_KEYS[routed.method] : 'UrlFetchApp.fetch');
  };

  return { handle, latencyMs };
}

/** `handleGmailRest(request)`: the route's handler as a plain function. */
export function createGmailRestHandler(deps: GmailRestDeps): (request: RouteRequest) => RouteResponse {
  return createGmailRestRoute(deps).handle;
}
