// UrlFetchApp for the emulator. Nothing reaches the network: a request goes to the route whose origin /
// path prefix matches its URL (the Gmail REST API is one route); any other host fails as an unreachable
// address does in Apps Script ("DNS error: https://…"). Apps Script semantics: without
// muteHttpExceptions a status >= 400 throws "Request failed for … returned code N. Truncated server
// response: …"; HTTPResponse getResponseCode / getContentText / getHeaders / getAllHeaders / getBlob /
// getContent. fetchAll runs its requests in parallel: ONE `UrlFetchApp.fetchAll` service call whose
// latency is the slowest request's; every request counts against UrlFetch calls per day and may get a
// seeded transient fault (429 with Retry-After, 500, 503, or a network error; a faulted request does not
// reach the route, unless FaultOptions.serverErrorsExecuted makes some 5xx come after it). When the execution is
// killed at a fetch/fetchAll, a seeded-random subset of its requests still reaches the server and the
// script never sees their responses (the adversarial case for exactly-once protocols).
// https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app

import { latencyOf } from '../latency';
import { ExecutionTerminated, type ServiceContext, type TransientFault } from '../runtime/execution';
import { QuotaExceededError, type Quotas } from '../runtime/quotas';
import { asFakeBlob, FakeBlob, fromScriptBytes, toSignedBytes } from './blob';

export interface RouteRequest {
  /** Upper-case HTTP method. */
  method: string;
  url: string;
  headers: Record<string, string>;
  payload: Uint8Array;
}

export interface RouteResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export interface Route {
  handle(request: RouteRequest): RouteResponse;
  /** Virtual latency of this request (default: the table's UrlFetchApp.fetch). */
  latencyMs?(request: RouteRequest): number;
}

/** Origin or origin + path prefix ("https://gmail.googleapis.com", "https://example.com/api/") -> route. */
export type Routes = Record<string, Route | ((request: RouteRequest) => RouteResponse)>;

type FetchParams = GoogleAppsScript.URL_Fetch.URLFetchRequestOptions;
type FetchRequest = GoogleAppsScript.URL_Fetch.URLFetchRequest;

const TRUNCATE_AT = 100;

function statusReason(fault: Exclude<TransientFault, 'network'>): RouteResponse {
  const bodies = {
    http429: {
      code: 429,
      message: 'Rate Limit Exceeded',
      reason: 'rateLimitExceeded',
      domain: 'usageLimits',
      status: 'RESOURCE_EXHAUSTED',
    },
    http500: { code: 500, message: 'Backend Error', reason: 'backendError', domain: 'global', status: 'INTERNAL' },
    http503: {
      code: 503,
      message: 'The service is currently unavailable.',
      reason: 'backendError',
      domain: 'global',
      status: 'UNAVAILABLE',
    },
  } as const;
  const body = bodies[fault];
  return {
    status: body.code,
    headers: { 'Content-Type': 'application/json; charset=UTF-8', ...(fault === 'http429' ? { 'Retry-After': '1' } : {}) },
    body: JSON.stringify(
      {
        error: {
          code: body.code,
          message: body.message,
          errors: [{ message: body.message, domain: body.domain, reason: body.reason }],
          status: body.status,
        },
      },
      null,
      2,
    ),
  };
}

export class FakeHTTPResponse implements Pick<
  GoogleAppsScript.URL_Fetch.HTTPResponse,
  'getResponseCode' | 'getContentText' | 'getHeaders' | 'getAllHeaders' | 'getBlob' | 'getContent' | 'getAs'
> {
  private readonly bytes: Uint8Array;
  constructor(
    private readonly status: number,
    private readonly headers: Record<string, string>,
    body: string | Uint8Array,
  ) {
    this.bytes = typeof body === 'string' ? new Uint8Array(Buffer.from(body, 'utf8')) : body;
  }

  getResponseCode(): number {
    return this.status;
  }

  getContentText(charset?: string): string {
    return new FakeBlob(this.bytes).getDataAsString(charset);
  }

  getContent(): number[] {
    return toSignedBytes(this.bytes);
  }

  getHeaders(): Record<string, string> {
    return { ...this.headers };
  }

  getAllHeaders(): Record<string, string | string[]> {
    return { ...this.headers };
  }

  private contentType(): string | null {
    const entry = Object.entries(this.headers).find(([key]) => key.toLowerCase() === 'content-type');
    return entry ? entry[1].split(';')[0].trim() : null;
  }

  getBlob(): GoogleAppsScript.Base.Blob {
    return new FakeBlob(new Uint8Array(this.bytes), this.contentType()) as unknown as GoogleAppsScript.Base.Blob;
  }

  getAs(contentType: string): GoogleAppsScript.Base.Blob {
    return new FakeBlob(new Uint8Array(this.bytes), this.contentType()).getAs(contentType);
  }
}

interface Prepared {
  request: RouteRequest;
  route: Route | null;
  mute: boolean;
}

interface Outcome {
  response?: FakeHTTPResponse;
  error?: Error;
}

function formEncode(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
}

/** UrlFetchApp over `routes`; `quotas` counts calls per day. */
export function createUrlFetchApp(ctx: ServiceContext, quotas: Quotas, routes: Routes) {
  const routeEntries = Object.entries(routes)
    .map(([prefix, route]): [string, Route] => [prefix, typeof route === 'function' ? { handle: route } : route])
    .sort((a, b) => b[0].length - a[0].length);

  function prepare(url: unknown, params: FetchParams = {}): Prepared {
    if (typeof url !== 'string' || !/^https?:\/\/[^/\s]+/i.test(url)) throw new Error(`Invalid argument: ${String(url)}`);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(params.headers ?? {})) headers[key] = String(value);
    let payload: Uint8Array = new Uint8Array(0);
    let contentType = params.contentType;
    const raw = params.payload;
    if (raw !== undefined && raw !== null) {
      const blob = asFakeBlob(raw);
      if (blob) {
        payload = blob.rawBytes();
        contentType ??= blob.getContentType() ?? undefined;
      } else if (typeof raw === 'string') {
        payload = new Uint8Array(Buffer.from(raw, 'utf8'));
      } else if (Array.isArray(raw) || raw instanceof Uint8Array) {
        payload = fromScriptBytes(raw as number[]); // a byte array (signed or not)
      } else if (typeof raw === 'object') {
        payload = new Uint8Array(Buffer.from(formEncode(raw as Record<string, unknown>), 'utf8'));
      }
      contentType ??= 'application/x-www-form-urlencoded';
    }
    if (contentType && !Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) headers['Content-Type'] = contentType;
    const request: RouteRequest = { method: (params.method ?? 'get').toUpperCase(), url, headers, payload };
    const route = routeEntries.find(([prefix]) => url.startsWith(prefix))?.[1] ?? null;
    return { request, route, mute: Boolean(params.muteHttpExceptions) };
  }

  function latencyFor(prepared: Prepared): number {
    return prepared.route?.latencyMs?.(prepared.request) ?? latencyOf('UrlFetchApp.fetch');
  }

  /** One request reaching the (emulated) network. Quota errors throw; everything else is an Outcome. */
  function perform(prepared: Prepared): Outcome {
    try {
      quotas.consumeUrlFetch();
    } catch (error) {
      if (error instanceof QuotaExceededError) throw new Error(error.message);
      throw error;
    }
    const fault = ctx.faults.options.requestFault?.(prepared.request) ?? ctx.faults.transientFault('UrlFetchApp.fetch');
    if (fault) {
      ctx.accounting.faultsInjected += 1;
      if (fault === 'network') return { error: new Error(`Address unavailable: ${prepared.request.url}`) };
      // Optionally (FaultOptions.serverErrorsExecuted) a 5xx comes after the server did the work.
      if (fault !== 'http429' && prepared.route && ctx.faults.serverErrorExecuted()) prepared.route.handle(prepared.request);
      const response = statusReason(fault);
      return { response: new FakeHTTPResponse(response.status, response.headers, response.body) };
    }
    if (!prepared.route) return { error: new Error(`DNS error: ${prepared.request.url}`) };
    const response = prepared.route.handle(prepared.request);
    return { response: new FakeHTTPResponse(response.status, response.headers, response.body) };
  }

  /** The script-visible result of one outcome: the response, or the exception Apps Script throws. */
  function settle(prepared: Prepared, outcome: Outcome): FakeHTTPResponse {
    if (outcome.error) throw outcome.error;
    const response = outcome.response!;
    if (response.getResponseCode() >= 400 && !prepared.mute) {
      const text = response.getContentText();
      const truncated = text.length > TRUNCATE_AT ? `${text.slice(0, TRUNCATE_AT)}...` : text;
      const where = prepared.request.url.split('?')[0];
      throw new Error(
        `Request failed for ${where} returned code ${response.getResponseCode()}. Truncated server response: ${truncated} (use muteHttpExceptions option to examine full response)`,
      );
    }
    return response;
  }

  /**
   * Runs one service call. If the execution is killed AT this call, a seeded-random subset of the
   * requests still reaches the server before the termination propagates: their responses are lost.
   */
  function callKillable<T>(method: string, batch: Prepared[], latencyMs: number, fn: () => T): T {
    const alreadyOver = ctx.isTerminated();
    try {
      return ctx.call(method, fn, { latencyMs });
    } catch (error) {
      if (!alreadyOver && error instanceof ExecutionTerminated && error.reason === 'killed') {
        for (const prepared of batch) {
          if (ctx.faults.random() < 0.5) performLost(prepared);
        }
      }
      throw error;
    }
  }

  /** A request whose response the killed script never sees (skipped if the daily quota is spent). */
  function performLost(prepared: Prepared): void {
    if (quotas.remainingUrlFetch() === 0) return;
    perform(prepared);
  }

  return {
    fetch(url: string, params?: FetchParams): FakeHTTPResponse {
      const prepared = prepare(url, params);
      return callKillable('UrlFetchApp.fetch', [prepared], latencyFor(prepared), () => settle(prepared, perform(prepared)));
    },

    fetchAll(requests: Array<FetchRequest | string>): FakeHTTPResponse[] {
      if (!Array.isArray(requests)) throw new Error('Invalid argument: requests');
      const batch = requests.map((entry) => (typeof entry === 'string' ? prepare(entry) : prepare(entry?.url, entry)));
      const latency = batch.reduce((slowest, prepared) => Math.max(slowest, latencyFor(prepared)), 0);
      return callKillable('UrlFetchApp.fetchAll', batch, latency, () => {
        // Every request is sent (in parallel); then the first failure, if any, is what the script sees.
        const outcomes = batch.map(perform);
        return batch.map((prepared, index) => settle(prepared, outcomes[index]));
      });
    },

    getRequest(url: string, params: FetchParams = {}): FetchRequest {
      const prepared = prepare(url, params);
      return {
        url,
        method: prepared.request.method.toLowerCase() as GoogleAppsScript.URL_Fetch.HttpMethod,
        headers: prepared.request.headers,
        payload: Buffer.from(prepared.request.payload).toString('utf8'),
        contentType: params.contentType,
        muteHttpExceptions: prepared.mute,
        followRedirects: params.followRedirects ?? true,
        validateHttpsCertificates: params.validateHttpsCertificates ?? true,
      };
    },
  };
}

export type FakeUrlFetchApp = ReturnType<typeof createUrlFetchApp>;
