// The emulated Gmail's entry point for the runner: from one Mailbox, the script globals `GmailApp`
// and `Gmail` (Advanced service) and the UrlFetchApp route of the Gmail REST API, all sharing the same
// API core (so attachment ids, quota units and sends are one account's). The runner mounts
// `gmailRestRoute` for every prefix in GMAIL_REST_PREFIXES when it builds UrlFetchApp
// (emulator/services/url-fetch.ts createUrlFetchApp).
// https://developers.google.com/apps-script/reference/gmail
// https://developers.google.com/apps-script/advanced/gmail

import type { ServiceContext } from '../runtime/execution';
import type { Quotas } from '../runtime/quotas';
import type { Route, Routes } from '../services/url-fetch';
import { createAdvancedGmail, type AdvancedGmail } from './advanced-gmail';
import { GmailApiCore } from './api-core';
import { createGmailApp } from './gmail-app';
import type { Mailbox } from './mailbox';
import { createGmailRestRoute, GMAIL_REST_PREFIXES } from './rest';

export { Mailbox } from './mailbox';
export { GmailApiCore, GmailApiError } from './api-core';
export { GoogleJsonResponseException } from './advanced-gmail';
export { GMAIL_REST_PREFIXES } from './rest';

export interface GmailGlobalsDeps {
  mailbox: Mailbox;
  ctx: ServiceContext;
  quotas: Quotas;
  /** What ScriptApp.getOAuthToken() returns: the bearer token the REST API accepts. */
  oauthToken: string;
  /** The user's IANA time zone (search after:/before:). Default UTC. */
  timeZone?: string;
  /** Attachment id lifetime overrides (see GmailApiCore). */
  attachmentIdTtlMs?: number;
  attachmentIdGenerations?: number;
  /** Reuse an API core across executions (attachment ids and their lifetimes then span executions). */
  core?: GmailApiCore;
}

export interface GmailGlobals {
  GmailApp: GoogleAppsScript.Gmail.GmailApp;
  Gmail: AdvancedGmail;
  gmailRestRoute: Route;
  /** gmailRestRoute mounted on both Gmail API hosts, ready to spread into createUrlFetchApp's routes. */
  gmailRestRoutes: Routes;
  core: GmailApiCore;
}

export function createGmailGlobals(deps: GmailGlobalsDeps): GmailGlobals {
  const core =
    deps.core ??
    new GmailApiCore({
      mailbox: deps.mailbox,
      quotas: deps.quotas,
      now: () => deps.ctx.clock.now(),
      timeZone: deps.timeZone,
      attachmentIdTtlMs: deps.attachmentIdTtlMs,
      attachmentIdGenerations: deps.attachmentIdGenerations,
    });
  const gmailRestRoute = createGmailRestRoute({ core, ctx: deps.ctx, oauthToken: deps.oauthToken });
  return {
    GmailApp: createGmailApp({ mailbox: deps.mailbox, ctx: deps.ctx, quotas: deps.quotas, timeZone: deps.timeZone }),
    Gmail: createAdvancedGmail({ core, ctx: deps.ctx }),
    gmailRestRoute,
    gmailRestRoutes: Object.fromEntries(GMAIL_REST_PREFIXES.map((prefix) => [prefix, gmailRestRoute])),
    core,
  };
}
