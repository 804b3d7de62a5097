import {
  appendJsonl,
  countQuarantine,
  countSkip,
  emptyMetrics,
  jobRunWithMetrics,
  logFileName,
  logLine,
  madeProgress,
  mergeMetrics,
  parseLogLines,
  RunLog,
  runStatus,
  subtractMetrics,
  type CollectMetrics,
} from '../../../src/server/domain/collect';

const metrics = (patch: Partial<CollectMetrics>): CollectMetrics => ({ ...emptyMetrics(), ...patch });

describe('runStatus', () => {
  it.each<[string, Partial<CollectMetrics>, { dryRun: boolean; aborted?: boolean }, string]>([
    ['an empty mailbox', {}, { dryRun: false }, 'succeeded'],
    ['receipts, no error', { receiptsCreated: 3 }, { dryRun: false }, 'succeeded'],
    ['only skips', { skipped: { sender_not_allowed: 4 } }, { dryRun: false }, 'succeeded'],
    ['errors and receipts', { receiptsCreated: 3, errorsCount: 1 }, { dryRun: false }, 'partial'],
    ['errors and duplicates only', { duplicatesSkipped: 2, errorsCount: 1 }, { dryRun: false }, 'partial'],
    ['errors and nothing done', { emailsScanned: 5, errorsCount: 5 }, { dryRun: false }, 'failed'],
    ['aborted before anything', {}, { dryRun: false, aborted: true }, 'failed'],
    ['aborted after progress', { quarantined: 1 }, { dryRun: false, aborted: true }, 'partial'],
    ['a dry run', { receiptsCreated: 3 }, { dryRun: true }, 'dry_run'],
    ['a dry run with some errors', { receiptsCreated: 3, errorsCount: 1 }, { dryRun: true }, 'dry_run'],
    ['a dry run that failed', { errorsCount: 2 }, { dryRun: true }, 'failed'],
  ])('%s', (_label, patch, options, expected) => {
    expect(runStatus(metrics(patch), options)).toBe(expected);
  });
});

describe('metrics', () => {
  it('takes back what a message counted (a message left for the next execution), reasons that fall to zero left out', () => {
    const before = countSkip(metrics({ emailsScanned: 3, attachmentsSeen: 5, receiptsCreated: 2 }), 'inline_image');
    const after = countQuarantine(
      countSkip(metrics({ emailsScanned: 4, attachmentsSeen: 7, receiptsCreated: 2, errorsCount: 1 }), 'inline_image'),
      'magic_mismatch',
    );
    const counted = subtractMetrics(after, before);
    expect(counted).toMatchObject({ emailsScanned: 1, attachmentsSeen: 2, receiptsCreated: 0, errorsCount: 1, quarantined: 1 });
    expect(counted.skipped).toEqual({});
    expect(counted.quarantinedByReason).toEqual({ magic_mismatch: 1 });
    expect(subtractMetrics(after, counted)).toEqual(mergeMetrics(before, emptyMetrics()));
  });

  it('counts skips and quarantines by reason and merges two executions of a run', () => {
    const a = countQuarantine(
      countSkip(metrics({ emailsScanned: 10, gmailApiCalls: 30, durationSec: 12.5 }), 'inline_image', 2),
      'magic_mismatch',
    );
    const b = countQuarantine(
      countQuarantine(countSkip(metrics({ emailsScanned: 4, receiptsCreated: 2, durationSec: 3.25 }), 'inline_image'), 'too_large'),
      'magic_mismatch',
    );
    const total = mergeMetrics(a, b);
    expect(total).toMatchObject({
      emailsScanned: 14,
      receiptsCreated: 2,
      quarantined: 3,
      gmailApiCalls: 30,
      durationSec: 15.75,
      skipped: { inline_image: 3 },
      quarantinedByReason: { magic_mismatch: 2, too_large: 1 },
    });
    expect(madeProgress(total)).toBe(true);
    expect(madeProgress(emptyMetrics())).toBe(false);
    expect(JSON.parse(JSON.stringify(total))).toEqual(total); // JSON-like for google.script.run
  });

  it('copies the metrics onto a JobRun record', () => {
    const run = {
      runId: 'r',
      job: 'collect' as const,
      status: 'running' as const,
      startedAtMs: 1,
      finishedAtMs: null,
      durationSec: 0,
      emailsScanned: 0,
      attachmentsSeen: 0,
      attachmentsDownloaded: 0,
      receiptsCreated: 0,
      duplicatesSkipped: 0,
      quarantined: 0,
      errorsCount: 0,
      gmailApiCalls: 0,
      logUrl: 'u',
      summary: '',
    };
    expect(jobRunWithMetrics(run, metrics({ attachmentsSeen: 7, gmailApiCalls: 21, durationSec: 4 }))).toMatchObject({
      runId: 'r',
      logUrl: 'u',
      attachmentsSeen: 7,
      gmailApiCalls: 21,
      durationSec: 4,
    });
  });
});

describe('JSON Lines log', () => {
  it('writes one line per event, fixed fields first, untrusted text escaped inside JSON strings', () => {
    const log = new RunLog('run-42', () => Date.UTC(2025, 0, 31, 10, 0, 0));
    const evil = 'facture.pdf"}\n{"level":"info","event":"forged';
    log.info('attachment.ingested', { messageId: 'm1', partId: '1', filename: evil, size: 123 });
    log.warn('attachment.quarantined', { messageId: 'm1', partId: '2', reason: 'magic_mismatch', detail: undefined });
    const text = appendJsonl('', log.drain());
    expect(text.split('\n')).toHaveLength(3); // two lines and the final newline
    expect(
      text.startsWith('{"ts":"2025-01-31T10:00:00.000Z","level":"info","event":"attachment.ingested","runId":"run-42","messageId":"m1"'),
    ).toBe(true);
    const events = parseLogLines(text);
    expect(events).toHaveLength(2);
    expect(events[0].filename).toBe(evil);
    expect(events[1]).toEqual({
      ts: '2025-01-31T10:00:00.000Z',
      level: 'warn',
      event: 'attachment.quarantined',
      runId: 'run-42',
      messageId: 'm1',
      partId: '2',
      reason: 'magic_mismatch',
    });
    expect(log.count('warn')).toBe(1);
    expect(log.lines()).toEqual([]);
  });

  it('does not let fields override the fixed ones', () => {
    const log = new RunLog('run-1', () => 0);
    log.info('run.started', { runId: 'other', level: 'error' } as never);
    expect(parseLogLines(log.lines()[0])[0]).toMatchObject({ runId: 'run-1', level: 'info' });
  });

  it('refuses event names that are not identifiers and cuts very long values', () => {
    expect(() => logLine({ ts: 't', level: 'info', event: 'bad event\n', runId: 'r' })).toThrow(/identifiers/);
    const line = logLine({ ts: 't', level: 'info', event: 'x.y', runId: 'r', subject: 's'.repeat(5000), n: Number.NaN });
    const parsed = JSON.parse(line);
    expect(parsed.subject.length).toBe(2000);
    expect(parsed.n).toBe('NaN');
  });

  it("appends to the day's file, adding a missing final newline", () => {
    expect(appendJsonl('{"a":1}', ['{"b":2}'])).toBe('{"a":1}\n{"b":2}\n');
    expect(appendJsonl('{"a":1}\n', [])).toBe('{"a":1}\n');
    expect(logFileName('2025-01-31')).toBe('collect_from_gmail-2025-01-31.jsonl');
    expect(() => parseLogLines('[1]')).toThrow(/not a JSON object/);
  });
});
