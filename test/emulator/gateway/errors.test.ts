// The gateway's typed errors, the same through REST and the Advanced service: every operation under
// every scripted Gmail fault (401, 403 scope, 429 rate, 429 daily "Mail sending", 500, 503, no answer,
// 400, 404) fails with the same kind, status, scope and user messages; idempotent operations are
// retried within the call (transient and rate only), sends never; a fault on one id fails one item.

import type { GmailFaultKind } from '../../../emulator/gmail/api-core';
import { KINDS, makeWorld, rawToSend, type Kind, type World } from './helpers';

type Op = [name: string, args: (world: World) => unknown[], requests: number];

/** Every operation, with the number of Gmail requests its first attempt makes. */
const OPERATIONS: Op[] = [
  ['profile', () => [], 1],
  ['listLabels', () => [], 1],
  ['ensureLabels', () => [['Postroom/imported']], 1],
  ['search', () => ['has:attachment', { max: 10 }], 1],
  ['getMessages', (w) => [w.invoices.slice(0, 2), 'full'], 2],
  ['getAttachments', (w) => [[{ messageId: w.invoices[0], attachmentId: 'ANGjdJx' }]], 1],
  ['markRead', (w) => [w.invoices.slice(0, 2)], 1],
  ['modifyLabels', (w) => [w.invoices.slice(0, 2), ['STARRED'], ['INBOX']], 1],
  ['trash', (w) => [w.invoices.slice(0, 2)], 2],
  ['send', () => [[rawToSend('client@exemple.fr', 'r/1'), rawToSend('autre@exemple.fr', 'r/2')]], 2],
  ['listSent', () => [{ max: 10 }], 1],
  ['history', () => ['1000'], 1],
];

const EXPECTED: Record<
  GmailFaultKind,
  { kind: string; name: string; status: number; retried: boolean; quotaScope?: string; mayHaveHappened: boolean }
> = {
  auth: { kind: 'auth', name: 'AuthError', status: 401, retried: false, mayHaveHappened: false },
  scope: { kind: 'permission', name: 'PermissionError', status: 403, retried: false, mayHaveHappened: false },
  rate: { kind: 'quota', name: 'QuotaError', status: 429, retried: true, quotaScope: 'rate', mayHaveHappened: false },
  daily: { kind: 'quota', name: 'QuotaError', status: 429, retried: false, quotaScope: 'daily', mayHaveHappened: false },
  backend: { kind: 'transient', name: 'TransientError', status: 500, retried: true, mayHaveHappened: true },
  unavailable: { kind: 'transient', name: 'TransientError', status: 503, retried: true, mayHaveHappened: true },
  network: { kind: 'transient', name: 'TransientError', status: 0, retried: true, mayHaveHappened: true },
  invalid: { kind: 'invalid_request', name: 'InvalidRequestError', status: 400, retried: false, mayHaveHappened: false },
  notFound: { kind: 'not_found', name: 'NotFoundError', status: 404, retried: false, mayHaveHappened: false },
};

const MAX_ATTEMPTS = 5;

/** The errors of a result, whatever its shape (one outcome, or one per item). */
function errorsOf(result: any): any[] {
  const outcomes = Array.isArray(result) ? result : [result];
  return outcomes.map((outcome) => (outcome.ok ? null : outcome.error));
}

/** What must be equal between transports (Retry-After exists only over HTTP; the failure texts differ). */
function portable(error: any) {
  const { retryAfterMs: _retryAfter, detail: _detail, en: _en, fr: _fr, ...rest } = error;
  return rest;
}

describe.each(Object.keys(EXPECTED) as GmailFaultKind[])('fault %s on every call', (fault) => {
  const expected = EXPECTED[fault];
  const answers: Record<Kind, Record<string, { result: any; usage: { calls: number; units: number } }>> = { rest: {}, advanced: {} };
  for (const kind of KINDS) {
    const world = makeWorld(2);
    world.workspace.gmailCore.injectFault({ kind: fault });
    for (const [name, args] of OPERATIONS) answers[kind][name] = world.run(kind, name, ...args(world));
    it(`${kind}: nothing was sent`, () => expect(world.workspace.mailbox.sentMessages()).toEqual([]));
  }

  it.each(OPERATIONS)('%s fails every item with the same typed error through both transports', (name, _args, requests) => {
    for (const kind of KINDS) {
      const errors = errorsOf(answers[kind][name].result);
      for (const error of errors) {
        expect(error).toEqual(
          expect.objectContaining({
            kind: expected.kind,
            name: expected.name,
            status: expected.status,
            mayHaveHappened: expected.mayHaveHappened,
            quotaScope: expected.quotaScope ?? null,
          }),
        );
        expect(typeof error.en).toBe('string');
        expect(error.fr).not.toBe(error.en);
      }
      // Idempotent requests are tried MAX_ATTEMPTS times on transient and rate errors; sends once. A
      // label change the batch endpoint rejects as invalid is redone message by message.
      const perRequest = expected.retried && name !== 'send' ? MAX_ATTEMPTS : 1;
      const fallback = expected.kind === 'invalid_request' && (name === 'markRead' || name === 'modifyLabels') ? 2 : 0;
      expect(answers[kind][name].usage.calls).toBe(requests * perRequest + fallback);
    }
    expect(errorsOf(answers.advanced[name].result).map(portable)).toEqual(errorsOf(answers.rest[name].result).map(portable));
    expect(answers.advanced[name].usage).toEqual(answers.rest[name].usage);
  });
});

describe('error details', () => {
  const run = (kind: Kind, fault: GmailFaultKind, name: string, ...args: unknown[]) => {
    const world = makeWorld(1);
    world.workspace.gmailCore.injectFault({ kind: fault });
    return world.run(kind, name, ...args).result;
  };

  it('a rate limit carries Retry-After over REST; the Advanced service has none to give', () => {
    expect(run('rest', 'rate', 'profile').error.retryAfterMs).toBe(2000);
    expect(run('advanced', 'rate', 'profile').error.retryAfterMs).toBeNull();
  });

  it.each(KINDS)("%s: the daily sending limit is read from Gmail's message, with its reset time", (kind) => {
    const [error] = errorsOf(run(kind, 'daily', 'send', [rawToSend('client@exemple.fr', 'r/1')]));
    expect(error.quotaScope).toBe('daily');
    expect(error.retryAfterMs).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(24 * 3600_000);
    expect(error.en).toContain('daily sending limit');
    expect(error.fr).toContain('limite d’envoi quotidienne');
  });

  it.each(KINDS)('%s: user messages in French and English name the remedy', (kind) => {
    const auth = run(kind, 'auth', 'profile').error;
    expect(auth.en).toContain('accept its permissions');
    expect(auth.fr).toContain('Rouvrez Postroom');
    const transient = errorsOf(run(kind, 'backend', 'send', [rawToSend('client@exemple.fr', 'r/1')]))[0];
    expect(transient.fr).toContain('peut-être eu lieu');
  });
});

describe.each(KINDS)('%s: faults that pass or hit one item', (kind) => {
  it('a rate limit once is waited out and retried within the call (Retry-After honoured over REST)', () => {
    const world = makeWorld(2);
    world.workspace.gmailCore.injectFault({ kind: 'rate', methods: ['messages.get'], times: 1 });
    const before = world.workspace.clock.now();
    const answer = world.run(kind, 'getMessages', world.invoices, 'metadata');
    expect(answer.result.map((o: any) => o.ok)).toEqual([true, true]);
    expect(answer.usage).toEqual({ calls: 3, units: 15 });
    const waited = world.workspace.clock.now() - before;
    expect(waited).toBeGreaterThanOrEqual(kind === 'rest' ? 2000 : 500);
  });

  it('a network failure once is retried; a fault on one id fails that item only', () => {
    const world = makeWorld(3);
    const [first, second, third] = world.invoices;
    world.workspace.gmailCore.injectFault({ kind: 'network', methods: ['messages.get'], times: 1 });
    world.workspace.gmailCore.injectFault({ kind: 'backend', methods: ['messages.get'], id: second });
    const answer = world.run(kind, 'getMessages', [first, second, third], 'minimal');
    expect(answer.result.map((o: any) => (o.ok ? o.value.id : o.error.name))).toEqual([first, 'TransientError', third]);
    const trashed = world.run(kind, 'trash', [first, 'ffffffffffffffff', third]);
    expect(trashed.result.map((o: any) => (o.ok ? 'ok' : o.error.name))).toEqual(['ok', 'NotFoundError', 'ok']);
    expect(world.workspace.mailbox.getMessage(first)!.labelIds.has('TRASH')).toBe(true);
    expect(world.workspace.mailbox.getMessage(second)!.labelIds.has('TRASH')).toBe(false);
  });

  it('a label change the batch endpoint rejects is redone per message: one bad id fails only itself', () => {
    const world = makeWorld(3);
    const [first, second, third] = world.invoices;
    world.workspace.gmailCore.injectFault({ kind: 'invalid', methods: ['messages.batchModify'], times: 1 });
    world.workspace.gmailCore.injectFault({ kind: 'invalid', methods: ['messages.modify'], id: second });
    const answer = world.run(kind, 'modifyLabels', [first, second, third], ['STARRED'], ['INBOX']);
    expect(answer.result.map((o: any) => (o.ok ? 'ok' : o.error.name))).toEqual(['ok', 'InvalidRequestError', 'ok']);
    expect(answer.usage).toEqual({ calls: 4, units: 50 + 3 * 5 });
    const labels = (id: string) => [...world.workspace.mailbox.getMessage(id)!.labelIds].sort();
    expect(labels(first)).toEqual(['STARRED', 'UNREAD']);
    expect(labels(second)).toEqual(['INBOX', 'UNREAD']);
    expect(labels(third)).toEqual(['STARRED', 'UNREAD']);
  });

  it('a 5xx on a send is not retried: it may have happened, and the caller checks Sent', () => {
    const world = makeWorld(0);
    world.workspace.gmailCore.injectFault({ kind: 'backend', methods: ['messages.send'], times: 1 });
    const answer = world.run(kind, 'send', [rawToSend('a@exemple.fr', 'r/1'), rawToSend('b@exemple.fr', 'r/2')]);
    expect(answer.result.map((o: any) => (o.ok ? 'sent' : `${o.error.name} ${o.error.mayHaveHappened}`))).toEqual([
      'TransientError true',
      'sent',
    ]);
    expect(answer.usage).toEqual({ calls: 2, units: 200 });
    expect(world.workspace.mailbox.sentMessages()).toHaveLength(1);
  });

  it('history: a start id older than Gmail keeps is NotFound', () => {
    const world = makeWorld(1);
    world.workspace.gmailCore.historyFloor = 5000;
    expect(world.run(kind, 'history', '1000').result.error).toEqual(
      expect.objectContaining({ name: 'NotFoundError', status: 404, operation: 'history' }),
    );
  });
});
