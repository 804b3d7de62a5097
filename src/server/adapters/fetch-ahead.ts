// Adapter: requests joined into the execution's next UrlFetchApp.fetchAll, which is ONE service call
// however many requests it carries (an execution that may be cut short after a few calls makes its
// progress in fewer of them). Two kinds:
//   reads asked AHEAD  a GET an adapter will want soon (the SENT listing's first page, the attachments
//                      folder's first page), sent with the next joined fetchAll and served once to the
//                      adapter that asks for the same URL (`takeAhead`); dropped when it may be stale.
//   a write that RIDES a request whose answer its owner wants with the next joined fetchAll (the Sends
//                      tab's values.batchUpdate going out with the files.get of the burst it announces);
//                      its owner sends it alone when nothing else goes out first (`fetchJoined([])`).
// Module state lives as long as the execution's global scope: every execution starts empty.
// https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#fetchAll(Object)

import { isExecutionOver } from '../domain/errors';

type Request = GoogleAppsScript.URL_Fetch.URLFetchRequest;
type Response = GoogleAppsScript.URL_Fetch.HTTPResponse;

/** A read asked ahead: its answer once fetched (undefined before; null when its fetchAll failed). */
const ahead = new Map<string, { request: Request; answer?: Response | null }>();

/** The write riding the next joined fetchAll: built when it goes out, told its answer (or the failure). */
let rider: { build(): Request; answer(reply: Response | Error): void } | null = null;

/** Asks for `request` (a GET) with the next joined fetchAll; an answer already fetched is kept. */
export function askAhead(request: Request): void {
  if (!ahead.has(request.url)) ahead.set(request.url, { request });
}

/** The answer of a read asked ahead for `url`, once (null when none was fetched: the caller fetches). */
export function takeAhead(url: string): Response | null {
  const entry = ahead.get(url);
  if (!entry?.answer) return null;
  ahead.delete(url);
  return entry.answer;
}

/** Forgets the read asked ahead for `url` (its answer may be too old for what comes next). */
export function dropAhead(url: string): void {
  ahead.delete(url);
}

/** The write to send with the next joined fetchAll (it replaces one not sent yet: its owner merges them). */
export function rideAlong(build: () => Request, answer: (reply: Response | Error) => void): void {
  rider = { build, answer };
}

/** Whether a write waits for the next joined fetchAll. */
export function riding(): boolean {
  return rider !== null;
}

/**
 * UrlFetchApp.fetchAll of `requests`, with the reads asked ahead not fetched yet and the riding write;
 * returns the answers of `requests` only. Throws as fetchAll does (a network failure fails the whole
 * batch): the riding write is told, the reads asked ahead are forgotten (their adapters fetch them).
 */
export function fetchJoined(requests: readonly Request[]): Response[] {
  const extra = [...ahead.values()].filter((entry) => entry.answer === undefined);
  const ride = rider;
  rider = null;
  const all = [...requests, ...extra.map((entry) => entry.request), ...(ride ? [ride.build()] : [])];
  if (!all.length) return [];
  let responses: Response[];
  try {
    responses = UrlFetchApp.fetchAll(all);
  } catch (error) {
    if (isExecutionOver(error)) throw error;
    for (const entry of extra) ahead.delete(entry.request.url);
    ride?.answer(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  extra.forEach((entry, i) => (entry.answer = responses[requests.length + i]));
  ride?.answer(responses[all.length - 1]);
  return responses.slice(0, requests.length);
}
