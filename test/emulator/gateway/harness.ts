// Script-side harness of the gateway conformance suite: bundled with esbuild from the REAL adapters
// (src/server/adapters/gmail, src/server/wiring) and loaded by the emulator's runner like dist/Code.js,
// so each call is one Apps Script execution using the emulator's UrlFetchApp and Advanced Gmail
// service. `gatewayRun(kind, operation, argsJson)` returns JSON: the operation's result with bytes as
// arrays and typed errors as plain facts (kind, name, status, mayHaveHappened, quotaScope, messages in
// both languages), plus the gateway's usage.

import { isMailError, mailErrorMessage, type MailError } from '../../../src/server/domain/mail-errors';
import { mailGateway, settingsMailGateway } from '../../../src/server/wiring/mail-gateway';
import type { MailGateway } from '../../../src/server/ports/mail-gateway';
import { platformCodecs } from '../../../src/server/adapters/codecs';
import type { GmailTransport } from '../../../src/server/adapters/gmail/api-request';
import { createMailGateway } from '../../../src/server/adapters/gmail/gateway-core';

function errorFacts(error: MailError) {
  return {
    kind: error.kind,
    name: error.name,
    operation: error.operation,
    status: error.status,
    detail: error.detail,
    reasons: [...error.reasons],
    retryAfterMs: error.retryAfterMs,
    mayHaveHappened: error.mayHaveHappened,
    quotaScope: error.quotaScope,
    code: error.code,
    en: mailErrorMessage(error, 'en'),
    fr: mailErrorMessage(error, 'fr'),
  };
}

function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: Array.from(value) };
  if (isMailError(value)) return errorFacts(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = plain(item);
    return out;
  }
  return value;
}

function revive(operation: string, args: unknown[]): unknown[] {
  if (operation === 'listSent' && args[0] && Array.isArray((args[0] as { skipIds?: unknown }).skipIds)) {
    const options = args[0] as { skipIds: string[] };
    return [{ ...options, skipIds: new Set(options.skipIds) }];
  }
  return args;
}

(globalThis as Record<string, unknown>).gatewayRun = (
  kind: 'rest' | 'advanced' | 'settings',
  operation: string,
  argsJson: string,
): string => {
  const gateway = kind === 'settings' ? settingsMailGateway() : mailGateway(kind);
  const method = (gateway as unknown as Record<string, (...args: unknown[]) => unknown>)[operation];
  if (typeof method !== 'function') throw new Error(`No gateway operation ${operation}`);
  const result = method.apply(gateway, revive(operation, JSON.parse(argsJson) as unknown[]));
  return JSON.stringify({ kind: (gateway as MailGateway).kind, result: plain(result), usage: gateway.usage() });
};

/**
 * One operation of the shared gateway core over a transport that answers `answersJson` (one JSON answer
 * per request, in order) and the platform's codecs (the emulator's Utilities): answers Gmail would not
 * give, such as bytes that are not base64.
 */
(globalThis as Record<string, unknown>).gatewayRunOverAnswers = (operation: string, argsJson: string, answersJson: string): string => {
  const answers = JSON.parse(answersJson) as unknown[];
  let next = 0;
  const transport: GmailTransport = {
    kind: 'rest',
    run: (requests) => requests.map(() => ({ ok: true, json: answers[next++] ?? null })),
  };
  const gateway = createMailGateway(transport, { sleep: () => undefined, random: () => 0.5, codecs: platformCodecs() });
  const method = (gateway as unknown as Record<string, (...args: unknown[]) => unknown>)[operation];
  const result = method.apply(gateway, JSON.parse(argsJson) as unknown[]);
  return JSON.stringify({ kind: 'rest', result: plain(result), usage: gateway.usage() });
};
