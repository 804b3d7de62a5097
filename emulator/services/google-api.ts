// What every emulated Google REST API shares (Gmail, Drive): JSON responses and the OAuth bearer check
// with Google's own 401 body, as https://www.googleapis.com answers a missing or wrong token.

import type { RouteResponse } from './url-fetch';

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=UTF-8' };
const AUTH_HELP =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): RouteResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: body === undefined ? '' : JSON.stringify(body, null, 2) };
}

function unauthenticated(missing: boolean): RouteResponse {
  const message = missing
    ? `Request is missing required authentication credential. ${AUTH_HELP}`
    : `Request had invalid authentication credentials. ${AUTH_HELP}`;
  return jsonResponse(
    401,
    {
      error: {
        code: 401,
        message,
        errors: [
          {
            message: missing ? 'Login Required.' : 'Invalid Credentials',
            domain: 'global',
            reason: missing ? 'required' : 'authError',
            location: 'Authorization',
            locationType: 'header',
          },
        ],
        status: 'UNAUTHENTICATED',
      },
    },
    { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' },
  );
}

/** Google's 401 when the request has no `Authorization: Bearer <token>` or another token; else null. */
export function checkBearer(headers: Record<string, string>, token: string): RouteResponse | null {
  const authorization = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  if (!authorization) return unauthenticated(true);
  const given = /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1];
  return given === token ? null : unauthenticated(false);
}
