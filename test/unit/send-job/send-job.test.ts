// The Send job's engine (src/server/jobs/send/) over small stateful fakes of its ports: a sheet
// grid, a transport whose answers a test scripts (and whose SENT mailbox it inspects), a clock whose
// sleep moves time. These cover the answers the emulator does not produce on demand: a permanent 400,
// Gmail's daily sending limit, a 401, a 500 that DID send, and a progress save lost after a sheet write.

import { base64Decode, base64UrlEncode, utf8Encode } from '../../../src/server/domain/encoding';
import type { HttpOutcome } from '../../../src/server/domain/send/retry';
import { parseSendSettings, type SendSettings } from '../../../src/server/domain/send/settings';
import type { SendProgress } from '../../../src/server/domain/send/progress';
import { normalizeColumnName } from '../../../src/server/domain/send/send-list';
import type { CellValue } from '../../../src/server/ports/ledger';
import type { Schedule } from '../../../src/server/ports/scheduler';
import {
  continueSendJob,
  ENDED_SETTLE_MS,
  GROUP_WINDOW_MS,
  IN_DOUBT_SETTLE_MS,
  MAX_GROUP_ROWS,
  resumeSendJob,
  startSendJob,
  viewSendProgress,
} from '../../../src/server/jobs/send';
import type { SendDeps } from '../../../src/server/jobs/send';
import type { LoadOutcome, SendControl } from '../../../src/server/ports/send';
import type { MailGateway, MailOutcome, SentMessage, SentReceipt } from '../../../src/server/ports/mail-gateway';
import { mailErrorFromHttp } from '../../../src/server/domain/mail/error-mapping';
import type { SendJobState } from '../../../src/server/domain/send/job-state';
import { settlesAt } from '../../../src/server/jobs/send/in-doubt';
import type { SendRow } from '../../../src/server/domain/send/send-list';

type Responder = (sendId: string, attempt: number) => { status: number; json?: unknown; networkError?: string; executed: boolean };

class World {
  now = Date.UTC(2026, 0, 15, 8, 0, 0);
  grid: CellValue[][];
  sent: SentMessage[] = [];
  attempts = new Map<string, number>();
  job: SendJobState | null = null;
  progress: SendProgress | null = null;
  control: SendControl | null = null;
  triggers: Array<{ handler: string; delayMs?: number; schedule?: Schedule }> = [];
  respond: Responder = () => ({ status: 200, executed: true });
  settings: SendSettings;
  budgetMs: number | undefined;
  /** The grid as of the last flush: what survives a kill. */
  durable: CellValue[][] = [];
  writes = 0;
  flushes = 0;
  /** How long a flush of the sheet takes (0: instant). */
  flushMs = 0;
  /** Sends whose row was not `sending` in the flushed sheet, or sent after its attempt_at. */
  violations: string[] = [];
  /** Per file id: the answer of Drive to its n-th read (default: the bytes). */
  read: (id: string, n: number) => LoadOutcome = (id) => ({
    ok: true,
    file: { id, name: id, mimeType: 'application/pdf', bytes: Uint8Array.of(0x25, 0x50, 0x44, 0x46, 0x2d) },
  });
  reads = new Map<string, number>();
  /** Thrown by the next transport.send before any request leaves (a kill there). */
  killAtSend = false;
  private counter = 0;

  constructor(rows: number, settings: Partial<SendSettings> = {}, attachments: (i: number) => string = () => '') {
    this.grid = [
      ['key', 'period', 'to', 'attachments'],
      ...Array.from({ length: rows }, (_, i) => [`K${i + 1}`, '2026-01', `c${i + 1}@exemple.fr`, attachments(i + 1)]),
    ];
    this.settings = parseSendSettings({ subjectTemplate: 'Facture {{key}}', textTemplate: 'Bonjour', attachmentsFolder: 'x', ...settings });
  }

  rows(): Array<Record<string, CellValue>> {
    const [header, ...rest] = this.grid;
    return rest.map((row) => Object.fromEntries(header.map((h, i) => [String(h), row[i] ?? ''])));
  }

  deps(): SendDeps {
    const world = this;
    const unused = (): never => {
      throw new Error('not used by the send job');
    };
    // The gateway, over scripted HTTP answers mapped to typed errors as the real gateway maps them.
    const toOutcome = (answer: HttpOutcome): MailOutcome<SentReceipt> => {
      const error = mailErrorFromHttp('send', answer, world.now);
      return error ? { ok: false, error } : { ok: true, value: answer.json as SentReceipt };
    };
    const transport: MailGateway = {
      kind: 'rest',
      profile: unused,
      listLabels: unused,
      ensureLabels: unused,
      search: unused,
      getMessages: unused,
      getAttachments: unused,
      markRead: unused,
      modifyLabels: unused,
      trash: unused,
      history: unused,
      listDrafts: unused,
      getDrafts: unused,
      listSendAs: unused,
      send(raws) {
        if (world.killAtSend) {
          world.killAtSend = false;
          throw new Error('Execution killed');
        }
        world.checkIntent(raws);
        world.now += 600;
        return raws.map((raw) => {
          const text = Buffer.from(base64Decode(raw)).toString('latin1');
          const sendId = /^X-Postroom-Send-Id: (.+)$/m.exec(text)?.[1].trim() ?? '';
          const attempt = (world.attempts.get(sendId) ?? 0) + 1;
          world.attempts.set(sendId, attempt);
          const answer = world.respond(sendId, attempt);
          const id = `m${++world.counter}`;
          if (answer.executed) world.sent.unshift({ id, threadId: `t${id}`, internalDate: world.now, sendId, messageId: '' });
          return toOutcome(
            answer.status === 200
              ? { status: 200, json: { id, threadId: `t${id}` } }
              : { status: answer.status, json: answer.json, networkError: answer.networkError ?? null },
          );
        });
      },
      listSent(options = {}) {
        const start = options.pageToken ? Number(options.pageToken) : 0;
        const max = options.max ?? 100;
        const page = world.sent.slice(start, start + max);
        return {
          ok: true,
          value: {
            messages: page.filter((m) => !options.skipIds?.has(m.id)),
            ids: page.map((m) => m.id),
            nextPageToken: start + max < world.sent.length ? String(start + max) : null,
          },
        };
      },
      usage: () => ({ calls: 0, units: 0 }),
    };
    return {
      sheet: {
        read: () => {
          const header = world.grid[0].map(String);
          const wanted = [
            'status',
            'attempts',
            'sent_at',
            'message_id',
            'thread_id',
            'error',
            'rfc822_message_id',
            'draft_id',
            'attempt_at',
            'next_attempt_at',
            'run_id',
            'send_id',
            'bcc',
            'cc',
            'subject',
            'body',
          ];
          for (const name of wanted) if (!header.includes(name)) world.grid.forEach((row, i) => row.push(i === 0 ? name : ''));
          return world.grid.map((row) => [...row]);
        },
        write: (updates) => {
          world.writes++;
          const header = world.grid[0].map((h) => normalizeColumnName(String(h)));
          for (const { rowNumber, values } of updates)
            for (const [name, value] of Object.entries(values)) world.grid[rowNumber - 1][header.indexOf(name)] = value;
        },
        flush: () => {
          world.flushes++;
          world.now += world.flushMs;
          world.durable = world.grid.map((row) => [...row]);
        },
        timeZoneOffsetMinutes: () => 0,
      },
      attachments: {
        resolve: (_row, refs) => ({
          found: refs.map((ref) => ({ id: ref.raw, name: ref.raw, size: 5, mimeType: 'application/pdf' })),
          missing: [],
        }),
        loadAll: (ids) =>
          ids.map((id) => {
            const n = (world.reads.get(id) ?? 0) + 1;
            world.reads.set(id, n);
            return world.read(id, n);
          }),
      },
      mail: transport,
      base64: {
        encodeMessagesWebSafe: (texts) => texts.map((text) => base64UrlEncode(utf8Encode(text), { pad: true })),
        decode: base64Decode,
      },
      state: {
        load: () => ({ job: world.job, progress: world.progress }),
        save: (job, progress) => {
          world.job = job;
          world.progress = progress;
        },
        clear: () => undefined,
        readControl: () => world.control,
        writeControl: (control) => (world.control = control),
        clearControl: () => (world.control = null),
      },
      jobRuns: { record: () => undefined },
      scheduler: {
        schedule: (handler, schedule) => world.triggers.push({ handler, schedule }),
        installed: () => 0,
        continueAfter: (handler, delayMs) => world.triggers.push({ handler, delayMs }),
      },
      lock: { tryAcquire: () => ({ release: () => undefined }) },
      clock: { now: () => world.now, sleep: (ms) => (world.now += ms) },
      settings: () => world.settings,
      sender: { address: 'compta@acuitis.fr' },
      user: 'compta@acuitis.fr',
      random: () => 0.5,
      budgetMs: world.budgetMs,
    };
  }

  /** The sidebar's loop: start, then continue while there is work, waiting as told. */
  runToEnd(maxCalls = 50): void {
    let result = startSendJob(this.deps(), {}, 'fr');
    for (let i = 0; i < maxCalls && result.more; i++) {
      this.now += result.waitMs;
      result = continueSendJob(this.deps(), 'fr');
    }
  }

  /** Every message must belong to a row that is `sending` in the FLUSHED sheet, before its attempt_at. */
  checkIntent(raws: readonly string[]): void {
    const header = this.durable[0]?.map(String) ?? [];
    for (const raw of raws) {
      const sendId = /^X-Postroom-Send-Id: (.+)$/m.exec(Buffer.from(base64Decode(raw)).toString('latin1'))?.[1].trim() ?? '';
      const row = this.durable.find((cells) => cells[header.indexOf('send_id')] === sendId);
      if (!row || row[header.indexOf('status')] !== 'sending') this.violations.push(`${sendId}: not sending in the flushed sheet`);
      else if (Date.parse(String(row[header.indexOf('attempt_at')])) < this.now)
        this.violations.push(`${sendId}: sent after its attempt_at`);
    }
  }

  sentCount(sendIdSuffix: string): number {
    return this.sent.filter((m) => m.sendId.endsWith(`/${sendIdSuffix}`)).length;
  }
}

/** Gmail answers each row's first send with a 503 that did not send, and sends the next; returns when each attempt came. */
function failFirstAttempt(world: World): number[] {
  const attemptsAt: number[] = [];
  world.respond = (_sendId, attempt) => {
    attemptsAt.push(world.now);
    return attempt === 1
      ? { status: 503, json: { error: { code: 503, message: 'Unavailable' } }, executed: false }
      : { status: 200, executed: true };
  };
  return attemptsAt;
}
describe('Gmail answers land on the rows', () => {
  it('a permanent 400 fails its row with Google’s message, never retried', () => {
    const world = new World(3);
    world.respond = (sendId) =>
      sendId.endsWith('/2')
        ? {
            status: 400,
            json: { error: { code: 400, message: 'Invalid To header', errors: [{ reason: 'invalidArgument' }] } },
            executed: false,
          }
        : { status: 200, executed: true };
    world.runToEnd();
    expect(world.rows().map((r) => r.status)).toEqual(['sent', 'failed', 'sent']);
    expect(world.rows()[1].error).toBe('Invalid To header (HTTP 400, invalidArgument)');
    expect(world.attempts.get([...world.attempts.keys()].find((k) => k.endsWith('/2'))!)).toBe(1);
    expect(world.progress?.state).toBe('done');
  });

  it('a 429 is retried after its delay, and the row is sent once', () => {
    const world = new World(2);
    world.respond = (sendId, attempt) =>
      sendId.endsWith('/1') && attempt === 1
        ? {
            status: 429,
            json: { error: { code: 429, message: 'Rate Limit Exceeded', errors: [{ reason: 'rateLimitExceeded' }] } },
            executed: false,
          }
        : { status: 200, executed: true };
    world.runToEnd();
    expect(world.rows().map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 2],
      ['sent', 1],
    ]);
    expect(world.sentCount('1')).toBe(1);
    expect(
      viewSendProgress(world.deps(), 'en').progress?.events.some((e) =>
        /^🔁 Email \d\/2: K1 will be retried in \d+ s \(Rate Limit Exceeded/.test(e),
      ),
    ).toBe(true);
  });

  it('a 500 that DID send is found in SENT and never sent again', () => {
    const world = new World(3);
    world.respond = (sendId, attempt) =>
      sendId.endsWith('/3') && attempt === 1
        ? { status: 500, json: { error: { code: 500, message: 'Backend Error' } }, executed: true }
        : { status: 200, executed: true };
    world.runToEnd();
    expect(world.rows().every((r) => r.status === 'sent')).toBe(true);
    expect(world.sentCount('3')).toBe(1);
    expect(world.attempts.get([...world.attempts.keys()].find((k) => k.endsWith('/3'))!)).toBe(1);
  });

  it('a network error (the call ended, no answer) and not in SENT: sent again after the short settle, not the long one', () => {
    const world = new World(2);
    let firstAttemptAt = 0;
    let secondAttemptAt = 0;
    world.respond = (sendId, attempt) => {
      if (sendId.endsWith('/2') && attempt === 1) {
        firstAttemptAt = world.now;
        return { status: 0, networkError: 'Address unavailable', executed: false };
      }
      if (sendId.endsWith('/2')) secondAttemptAt = world.now;
      return { status: 200, executed: true };
    };
    world.runToEnd();
    expect(world.sentCount('2')).toBe(1);
    expect(secondAttemptAt - firstAttemptAt).toBeGreaterThanOrEqual(ENDED_SETTLE_MS);
    expect(secondAttemptAt - firstAttemptAt).toBeLessThan(IN_DOUBT_SETTLE_MS);
    expect(world.rows().map((r) => r.attempts)).toEqual([1, 2]);
    expect(world.violations).toEqual([]);
  });

  it('a call that ended only after a long wait (a timeout: Gmail may still be working) keeps the long settle', () => {
    const world = new World(1);
    const attemptsAt: number[] = [];
    world.respond = (_sendId, attempt) => {
      attemptsAt.push(world.now);
      if (attempt > 1) return { status: 200, executed: true };
      world.now += 60_000;
      return { status: 0, networkError: 'Timeout: https://gmail.googleapis.com/gmail/v1/users/me/messages/send', executed: false };
    };
    world.runToEnd();
    expect(world.sentCount('1')).toBe(1);
    // The burst started before the request's own 600 ms: the settle counts from the burst's start.
    expect(attemptsAt[1] - attemptsAt[0]).toBeGreaterThanOrEqual(IN_DOUBT_SETTLE_MS - 1_000);
    expect(world.violations).toEqual([]);
  });

  it('a burst whose fetchAll threw: the rows it did send are found at once with Gmail’s ids, only the others are sent again', () => {
    const world = new World(4);
    // The whole call fails at the network level (every row gets no answer), yet rows 1, 3 and 4 reached Gmail.
    world.respond = (sendId, attempt) =>
      attempt === 1
        ? { status: 0, networkError: 'Address unavailable', executed: !sendId.endsWith('/2') }
        : { status: 200, executed: true };
    const deps = world.deps();
    let atFirstWait: Array<Record<string, CellValue>> | null = null;
    const sleep = deps.clock.sleep;
    deps.clock.sleep = (ms) => {
      atFirstWait ??= world.rows();
      sleep(ms);
    };
    let result = startSendJob(deps, {}, 'fr');
    for (let i = 0; i < 20 && result.more; i++) {
      world.now += result.waitMs;
      result = continueSendJob(world.deps(), 'fr');
    }
    // Before the first wait (right after the burst), the sent rows are recorded with the ids SENT gives.
    const gmailId = (n: number) => world.sent.find((m) => m.sendId.endsWith(`/${n}`))!.id;
    expect(atFirstWait!.map((r) => r.status)).toEqual(['sent', 'sending', 'sent', 'sent']);
    expect(atFirstWait!.map((r) => r.message_id)).toEqual([gmailId(1), '', gmailId(3), gmailId(4)]);
    expect(world.progress).toMatchObject({ state: 'done', sent: 4, failed: 0 });
    for (const n of [1, 2, 3, 4]) expect(world.sentCount(String(n))).toBe(1);
    expect(world.rows().map((r) => r.attempts)).toEqual([1, 2, 1, 1]);
    expect(world.rows().map((r) => r.message_id)).toEqual([1, 2, 3, 4].map(gmailId));
    expect(world.violations).toEqual([]);
  });

  it('a 5xx that did not send is sent again after the short settle, once; one that did is found and never sent again', () => {
    const world = new World(3);
    const attemptsAt = new Map<string, number[]>();
    world.respond = (sendId, attempt) => {
      attemptsAt.set(sendId, [...(attemptsAt.get(sendId) ?? []), world.now]);
      if (attempt > 1) return { status: 200, executed: true };
      if (sendId.endsWith('/1')) return { status: 503, json: { error: { code: 503, message: 'Unavailable' } }, executed: false };
      if (sendId.endsWith('/3')) return { status: 500, json: { error: { code: 500, message: 'Backend Error' } }, executed: true };
      return { status: 200, executed: true };
    };
    world.runToEnd();
    for (const n of ['1', '2', '3']) expect(world.sentCount(n)).toBe(1);
    const [first, second] = [...attemptsAt.entries()].find(([id]) => id.endsWith('/1'))![1];
    expect(second - first).toBeGreaterThanOrEqual(ENDED_SETTLE_MS);
    expect(second - first).toBeLessThan(IN_DOUBT_SETTLE_MS);
    expect([...attemptsAt.entries()].find(([id]) => id.endsWith('/3'))![1]).toHaveLength(1);
    expect(world.rows().map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 2],
      ['sent', 1],
      ['sent', 1],
    ]);
    expect(world.violations).toEqual([]);
  });

  it('a row in doubt whose call ended keeps its short settle in the next execution (error and next_attempt_at in the sheet)', () => {
    const world = new World(1);
    world.budgetMs = 20_000;
    const attemptsAt = failFirstAttempt(world);
    const first = startSendJob(world.deps(), {}, 'fr');
    // The chunk ended before the row settled: the sheet says its call ended, and when it may be concluded.
    expect(first.more).toBe(true);
    const row = world.rows()[0];
    expect(row.status).toBe('sending');
    expect(String(row.error)).toMatch(/503/);
    const checkAt = Date.parse(String(row.next_attempt_at));
    expect(checkAt - attemptsAt[0]).toBeGreaterThanOrEqual(ENDED_SETTLE_MS);
    expect(checkAt - attemptsAt[0]).toBeLessThan(ENDED_SETTLE_MS + 2_000);
    let result = first;
    for (let i = 0; i < 10 && result.more; i++) {
      world.now += result.waitMs;
      result = continueSendJob(world.deps(), 'fr');
    }
    expect(world.sentCount('1')).toBe(1);
    expect(attemptsAt[1]).toBeGreaterThanOrEqual(checkAt);
    expect(attemptsAt[1] - attemptsAt[0]).toBeLessThan(IN_DOUBT_SETTLE_MS);
    expect(world.violations).toEqual([]);
  });

  it('the last rows of the list, due again late in a chunk, are sent by that chunk (no batch reserve for a few rows)', () => {
    const world = new World(1);
    // A 60-s chunk keeps 30 s for a batch; the row's retry is due ~31 s in, inside that reserve.
    world.budgetMs = 60_000;
    const attemptsAt = failFirstAttempt(world);
    const only = startSendJob(world.deps(), {}, 'fr');
    expect(attemptsAt).toHaveLength(2);
    expect(attemptsAt[1] - attemptsAt[0]).toBeGreaterThanOrEqual(ENDED_SETTLE_MS);
    expect(only.more).toBe(false);
    expect(world.rows()[0]).toMatchObject({ status: 'sent' });
    expect(world.sentCount('1')).toBe(1);
    expect(world.violations).toEqual([]);
  });

  it('a row in doubt is looked for when it settles, not that long after the results written before the wait', () => {
    const world = new World(1);
    // Each sheet write takes 2 s: the results written before the wait must not push the wait's end.
    world.flushMs = 2_000;
    const attemptsAt = failFirstAttempt(world);
    world.runToEnd();
    expect(world.sentCount('1')).toBe(1);
    expect(attemptsAt).toHaveLength(2);
    // Settled ENDED_SETTLE_MS after the answer; then the retry's intent (one write) and its send call.
    expect(attemptsAt[1] - attemptsAt[0]).toBe(ENDED_SETTLE_MS + world.flushMs + 600);
    expect(world.violations).toEqual([]);
  });

  it('a 5xx answer lost with its execution (killed before the results were written): the row waits the long settle', () => {
    const world = new World(1);
    const attemptsAt = failFirstAttempt(world);
    const deps = world.deps();
    const send = deps.mail.send;
    deps.mail.send = (raws) => {
      send(raws);
      throw new Error('Execution killed');
    };
    expect(() => startSendJob(deps, {}, 'fr')).toThrow('Execution killed');
    world.grid = world.durable.map((row) => [...row]);
    const header = world.grid[0].map(String);
    const attemptAt = Date.parse(String(world.grid[1][header.indexOf('attempt_at')]));
    expect([world.grid[1][header.indexOf('status')], world.grid[1][header.indexOf('error')]]).toEqual(['sending', '']);
    let result = continueSendJob(world.deps(), 'fr');
    for (let i = 0; i < 10 && result.more; i++) {
      world.now += result.waitMs;
      result = continueSendJob(world.deps(), 'fr');
    }
    expect(world.sentCount('1')).toBe(1);
    expect(attemptsAt).toHaveLength(2);
    expect(attemptsAt[1]).toBeGreaterThanOrEqual(attemptAt + IN_DOUBT_SETTLE_MS);
    expect(world.violations).toEqual([]);
  });

  it('when a row in doubt settles: 30 s after a call that ended, 2 min after one with no known outcome, never sooner', () => {
    const start = Date.UTC(2026, 0, 15, 8, 0, 0);
    const iso = (ms: number) => new Date(ms).toISOString();
    const row = (error: string, nextAttemptAt: string) => ({ attemptAt: iso(start), error, nextAttemptAt }) as SendRow;
    // Its call ended (error written) with next_attempt_at = answer + 30 s.
    expect(settlesAt(row('HTTP 503', iso(start + 31_000)))).toBe(start + 31_000);
    // No outcome known (the group's mark, no error): attempt_at + 2 min.
    expect(settlesAt(row('', ''))).toBe(start + IN_DOUBT_SETTLE_MS);
    // A next_attempt_at of only a few seconds (written by an earlier version as the retry delay): 30 s.
    expect(settlesAt(row('HTTP 500', iso(start + 3_000)))).toBe(start + ENDED_SETTLE_MS);
    // Never later than the rule for no outcome.
    expect(settlesAt(row('HTTP 500', iso(start + 10 * 60_000)))).toBe(start + IN_DOUBT_SETTLE_MS);
  });

  it('Gmail’s daily sending limit pauses the job (paused-quota) without burning the row’s attempts', () => {
    const world = new World(2);
    world.respond = (sendId) =>
      sendId.endsWith('/2')
        ? {
            status: 429,
            json: {
              error: { code: 429, message: 'User-rate limit exceeded (Mail sending)', errors: [{ reason: 'userRateLimitExceeded' }] },
            },
            executed: false,
          }
        : { status: 200, executed: true };
    const result = startSendJob(world.deps(), {}, 'en');
    expect(result.progress?.state).toBe('paused-quota');
    expect(result.waitMs).toBe(60 * 60_000);
    expect(world.rows()[1]).toMatchObject({ status: 'queued', attempts: 0 });
    expect(world.triggers.at(-1)).toEqual({ handler: 'runSendContinuation', delayMs: 60 * 60_000 });
  });

  it('a 401 stops the job with Gmail’s words; nothing else is sent', () => {
    const world = new World(3, { maxPerSecond: 1, batchSize: 1 });
    world.respond = () => ({ status: 401, json: { error: { code: 401, message: 'Invalid Credentials' } }, executed: false });
    const result = startSendJob(world.deps(), {}, 'en');
    expect(result.progress?.state).toBe('paused');
    expect(result.more).toBe(false);
    expect(result.progress?.events.at(-1)).toBe('⏸️ Send paused by Gmail: Invalid Credentials (HTTP 401)');
    expect(world.attempts.size).toBe(1);
    expect(world.rows().map((r) => r.status)).toEqual(['queued', 'queued', 'queued']);
  });
});

describe('the sheet is the truth for counts', () => {
  it('counts rows already sent in the sheet but missing from a stale progress, without resending', () => {
    const world = new World(3, { maxPerSecond: 1, batchSize: 1, maxPerMinute: 1 });
    // One send a minute and short chunks: each chunk sends one row; keep the progress of the first.
    world.budgetMs = 50_000;
    const started = startSendJob(world.deps(), {}, 'en');
    const staleProgress = world.progress!;
    const staleJob = world.job!;
    expect(started.more).toBe(true);
    world.now += 61_000;
    continueSendJob(world.deps(), 'en');
    const sentNow = world.rows().filter((r) => r.status === 'sent').length;
    expect(sentNow).toBeGreaterThan(staleProgress.sent);
    // The properties go back to the stale save; the sheet keeps what happened.
    world.progress = staleProgress;
    world.job = staleJob;
    world.respond = () => ({ status: 200, executed: true });
    for (let i = 0; i < 10 && world.progress?.state !== 'done'; i++) {
      world.now += 61_000;
      continueSendJob(world.deps(), 'en');
    }
    expect(world.progress).toMatchObject({ state: 'done', sent: 3, failed: 0 });
    expect(
      world
        .progress!.events.filter((e) => e.kind === 'sent')
        .map((e) => (e as { key: string }).key)
        .sort(),
    ).toEqual(['K1', 'K2', 'K3']);
    expect(world.sent).toHaveLength(3);
  });
});

describe('intent per group: rows marked `sending` together, sent in paced bursts', () => {
  it('every message leaves after its row is `sending` in the flushed sheet, and before its attempt_at', () => {
    const world = new World(400);
    world.runToEnd();
    expect(world.violations).toEqual([]);
    expect(world.rows().every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    expect(world.sent).toHaveLength(400);
  });

  it('writes the sheet once per group of up to a minute of sends, not once per burst of 10', () => {
    const world = new World(400);
    const marked: number[] = [];
    const deps = world.deps();
    const write = deps.sheet.write;
    deps.sheet.write = (updates) => {
      marked.push(updates.filter((u) => u.values.status === 'sending').length);
      write(updates);
    };
    let result = startSendJob(deps, {}, 'fr');
    for (let i = 0; i < 20 && result.more; i++) {
      world.now += result.waitMs;
      const next = world.deps();
      next.sheet.write = deps.sheet.write;
      result = continueSendJob(next, 'fr');
    }
    expect(world.progress?.state).toBe('done');
    // 400 rows at 150 a minute (10 a second): 40 bursts, but 3 groups (150, 150, 100) and few writes.
    expect(marked.filter((n) => n > 0)).toEqual([150, 150, 100]);
    expect(Math.max(...marked)).toBeLessThanOrEqual(MAX_GROUP_ROWS);
    expect(world.writes).toBeLessThanOrEqual(8);
    expect(world.sent).toHaveLength(400);
  });

  it('a kill after the group’s intent write and before any request: every row is still sent exactly once', () => {
    const world = new World(30);
    world.killAtSend = true;
    const startedAt = world.now;
    expect(() => startSendJob(world.deps(), {}, 'fr')).toThrow('Execution killed');
    // The whole group is `sending` in the flushed sheet; nothing reached Gmail.
    const header = world.durable[0].map(String);
    expect(world.durable.slice(1).map((row) => row[header.indexOf('status')])).toEqual(Array(30).fill('sending'));
    const attemptAt = Date.parse(String(world.durable[1][header.indexOf('attempt_at')]));
    expect(attemptAt).toBeGreaterThan(startedAt);
    expect(attemptAt).toBeLessThanOrEqual(startedAt + GROUP_WINDOW_MS);
    expect(world.sent).toHaveLength(0);
    // The next executions check SENT once the send-by time has settled, find nothing, and send each once.
    const firstSendAt: number[] = [];
    world.respond = () => {
      firstSendAt.push(world.now);
      return { status: 200, executed: true };
    };
    let result = continueSendJob(world.deps(), 'fr');
    for (let i = 0; i < 20 && result.more; i++) {
      world.now += result.waitMs;
      result = continueSendJob(world.deps(), 'fr');
    }
    expect(world.progress).toMatchObject({ state: 'done', sent: 30, failed: 0 });
    expect(Math.min(...firstSendAt)).toBeGreaterThanOrEqual(attemptAt + IN_DOUBT_SETTLE_MS);
    for (let n = 1; n <= 30; n++) expect(world.sentCount(String(n))).toBe(1);
    // The killed attempt got no answer and was proven absent from SENT: it is not one of the row's tries.
    expect(world.rows().every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    expect(world.violations).toEqual([]);
  });

  it('a pause between bursts puts the group’s unattempted rows back in the queue, as they were', () => {
    const world = new World(60);
    const deps = world.deps();
    const send = deps.mail.send;
    let bursts = 0;
    deps.mail.send = (raws) => {
      if (++bursts === 2) world.control = { action: 'pause', by: 'compta@acuitis.fr', at: world.now };
      return send(raws);
    };
    const result = startSendJob(deps, {}, 'en');
    expect(result.progress?.state).toBe('paused');
    const rows = world.rows();
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(20);
    expect(
      rows.filter((r) => r.status === 'queued').every((r) => r.attempts === 0 && r.attempt_at === '' && r.rfc822_message_id === ''),
    ).toBe(true);
    expect(rows.filter((r) => r.status === 'queued')).toHaveLength(40);
  });

  it('a pause asked while a resume saves its state is kept and applied, not wiped by the resume', () => {
    const world = new World(60);
    const deps = world.deps();
    const send = deps.mail.send;
    let bursts = 0;
    deps.mail.send = (raws) => {
      if (++bursts === 2) world.control = { action: 'pause', by: 'compta@acuitis.fr', at: world.now };
      return send(raws);
    };
    expect(startSendJob(deps, {}, 'en').progress?.state).toBe('paused');
    deps.mail.send = send;
    // Another execution (the sidebar's Pause) writes its control at the instant the resume saves.
    const save = deps.state.save;
    let asked = false;
    deps.state.save = (job, progress) => {
      save(job, progress);
      if (progress.state === 'running' && !asked) {
        asked = true;
        world.control = { action: 'pause', by: 'compta@acuitis.fr', at: world.now };
      }
    };
    const resumed = resumeSendJob(deps, 'en');
    expect(resumed.progress?.state).toBe('paused');
    expect(world.rows().filter((r) => r.status === 'sent')).toHaveLength(20);
  });
});

describe('attachments read per burst, each with its own outcome', () => {
  it('a file gone from Drive fails its row only; a read that may work later retries the row (not a send attempt); a shared file is asked once per burst', () => {
    const world = new World(3, {}, (i) => `F${i}.pdf, CGV.pdf`);
    world.read = (id, n) => {
      if (id === 'F2.pdf') return { ok: false, error: 'Attachment F2.pdf disappeared from Drive', retry: false };
      if (id === 'F1.pdf' && n === 1) return { ok: false, error: 'Attachment F1.pdf: Drive HTTP 503: Backend Error', retry: true };
      return { ok: true, file: { id, name: id, mimeType: 'application/pdf', bytes: Uint8Array.of(0x25, 0x50, 0x44, 0x46) } };
    };
    world.runToEnd();
    // The read that failed was not a send: row 1 was sent at its first attempt.
    expect(world.rows().map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['failed', 1],
      ['sent', 1],
    ]);
    expect(world.rows()[1].error).toBe('Attachment F2.pdf disappeared from Drive');
    expect(world.sent).toHaveLength(2);
    expect(world.sentCount('2')).toBe(0);
    // One read of CGV.pdf for the first burst (three rows), one for the retry of row 1.
    expect(world.reads.get('CGV.pdf')).toBe(2);
    expect(world.progress).toMatchObject({ state: 'done', sent: 2, failed: 1 });
  });

  it('a read that keeps failing is not a send attempt twice in an execution, then counts: the row ends failed, never sent', () => {
    const world = new World(1, { maxRetries: 1 }, () => 'F1.pdf');
    world.read = (id) => ({ ok: false, error: `Attachment ${id}: Drive HTTP 503: Backend Error`, retry: true });
    world.runToEnd();
    const [row] = world.rows();
    expect(row.status).toBe('failed');
    expect(String(row.error)).toMatch(/Drive HTTP 503.*gave up after 2 attempt/);
    expect(world.sent).toHaveLength(0);
    // Two reads not counted, then two counted (the first try and the one retry maxRetries allows).
    expect(world.reads.get('F1.pdf')).toBeGreaterThanOrEqual(4);
  });
});
