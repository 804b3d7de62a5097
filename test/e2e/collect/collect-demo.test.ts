// The collect job end to end on the demo workspace, through the BUILT bundle in the emulator: what one
// run stores (day folders, quarantine, Receipts rows as text, labels per message, JobRun with metrics
// and a link to the day's JSONL log), and that a second run (idempotence) adds nothing.

import { loadDemoWorkspace, DEMO_WHITELIST } from '../../../emulator/demo/index';
import { parseLogLines } from '../../../src/server/domain/collect/log';
import { collect, collectedFiles, ensureBuilt, jobRuns, labelsByMessage, openWorkspace, outcome, receipts, type Opened } from './helpers';

beforeAll(ensureBuilt);

function demo(settings: Record<string, unknown> = {}): Opened {
  const opened = openWorkspace({}, { allowedSenders: DEMO_WHITELIST, requireAuthenticatedSender: true, ...settings });
  loadDemoWorkspace(opened.workspace);
  return opened;
}

describe('collect on the demo mailbox', () => {
  const opened = demo();
  const { workspace } = opened;
  let first: ReturnType<typeof collect>;

  beforeAll(() => {
    first = collect(opened);
  });

  it('finishes in one execution and reports the run’s metrics', () => {
    expect(first.error).toBeNull();
    expect(first.results.map((r) => r.outcome)).toEqual(['completed']);
    const summary = first.summary!;
    expect(summary.status).toBe('succeeded');
    expect(summary.metrics).toMatchObject({
      emailsScanned: 22,
      attachmentsSeen: 20,
      receiptsCreated: 15,
      duplicatesSkipped: 1,
      quarantined: 4,
      errorsCount: 0,
      skipped: { sender_not_allowed: 4, inline_image: 1, calendar_invite: 1 },
      quarantinedByReason: { empty_file: 1, magic_mismatch: 2, sender_not_authenticated: 1 },
    });
    expect(summary.metrics.gmailApiCalls).toBe(
      Object.entries(workspace.accounting.total.calls)
        .filter(([m]) => m.startsWith('Gmail.REST.'))
        .reduce((s, [, n]) => s + n, 0),
    );
    expect(summary.text).toBe('15 justificatifs importés, 4 en quarantaine, 1 doublon ignoré');
  });

  it('stores every file once, in incoming/ or quarantine/ under the received day, and records each as a Receipt', () => {
    const rows = receipts(workspace);
    expect(rows).toHaveLength(19);
    const files = collectedFiles(workspace);
    expect(files).toHaveLength(19); // the 0-byte file too, in quarantine/
    for (const row of rows) {
      if (row.state === 'ingested') expect(String(row.storage_path)).toMatch(/^incoming\/\d{4}-\d{2}-\d{2}\//);
      else
        expect(String(row.reason)).toMatch(
          /^(empty_file|magic_mismatch|sender_not_authenticated|too_large|mime_not_allowed|truncated_file): /,
        );
    }
    outcome(workspace); // asserts each row's Drive id points to the file at its path, with its sha256
    expect(new Set(files.map((file) => file.sha256)).size).toBe(files.length);
    // FV-2026-0012 was received 2026-01-05 08:12 UTC: that day in Paris.
    expect(files.map((file) => file.path)).toContain('Postroom/incoming/2026-01-05/FV-2026-0012.pdf');
    // RFC 2231 / 2047 names decoded, unsafe characters replaced.
    expect(rows.map((row) => row.original_filename)).toEqual(
      expect.arrayContaining(['reçu décembre 2025.pdf', 'Facture été 2025.pdf', 'Avoir AV:2026/003 <final>.pdf']),
    );
    expect(files.map((file) => file.path)).toContain('Postroom/incoming/2026-01-14/Avoir AV_2026_003 _final_.pdf');
  });

  it('writes Receipts as plain text: no formula, ids and sha256 read back verbatim', () => {
    expect(Object.keys(workspace.sheets.formulas(workspace.containerId!)).filter((cell) => cell.startsWith('Receipts'))).toEqual([]);
    for (const row of receipts(workspace)) {
      expect(typeof row.gmail_message_id).toBe('string');
      expect(String(row.sha256)).toMatch(/^([0-9a-f]{64})?$/);
      expect(row.source).toBe('gmail');
    }
  });

  it('labels and marks read per message, only the messages whose attachments were all handled', () => {
    const labels = labelsByMessage(workspace);
    const imported = Object.values(labels).filter((m) => m.labels.includes('Postroom/imported'));
    const quarantined = Object.values(labels).filter((m) => m.labels.includes('Postroom/quarantine'));
    expect(imported.length).toBe(14); // 13 messages with new receipts + the one whose PDF was already collected
    expect(quarantined.length).toBe(4);
    for (const message of [...imported, ...quarantined]) expect(message.unread).toBe(false);
    // Non-whitelisted senders and messages without a file are left as they were: unread, unlabelled.
    const untouched = Object.values(labels).filter((m) => m.labels.length === 0);
    expect(untouched.length).toBe(8);
    for (const message of untouched) expect(message.unread).toBe(true);
  });

  it('records the JobRun with status, metrics and a link to the day log, written as JSON Lines', () => {
    const [run] = jobRuns(workspace);
    expect(run).toMatchObject({
      job: 'collect',
      status: 'succeeded',
      emails_scanned: 22,
      receipts_created: 15,
      quarantined: 4,
      duplicates_skipped: 1,
      errors_count: 0,
    });
    expect(run.gmail_api_calls).toBe(first.summary!.metrics.gmailApiCalls);
    const log = workspace.drive.listFiles().find((file) => file.path === 'Postroom/logs/collect_from_gmail-2026-01-15.jsonl');
    expect(log).toBeDefined();
    expect(String(run.log_url)).toContain(log!.id);
    const events = parseLogLines(Buffer.from(workspace.drive.get(log!.id)!.bytes).toString('utf8'));
    expect(events[0]).toMatchObject({ event: 'run.started', runId: first.summary!.runId });
    expect(events.at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded' });
    expect(events.filter((e) => e.event === 'attachment.ingested')).toHaveLength(15);
  });

  it('is idempotent: a second run scans what is left, stores and records nothing more', () => {
    const before = outcome(workspace);
    const second = collect(opened);
    expect(second.error).toBeNull();
    expect(second.summary!.metrics).toMatchObject({ receiptsCreated: 0, quarantined: 0 });
    expect(outcome(workspace)).toEqual(before);
    expect(jobRuns(workspace).map((run) => run.status)).toEqual(['succeeded', 'succeeded']);
  });
});

describe('idempotence when messages stay unread and unlabelled', () => {
  it('two runs give one set of receipts: the second counts every attachment as a duplicate', () => {
    const opened = demo({ applyLabels: false, markAsRead: false });
    const first = collect(opened);
    const after = outcome(opened.workspace);
    const second = collect(opened);
    expect(second.summary!.metrics.emailsScanned).toBe(first.summary!.metrics.emailsScanned);
    expect(second.summary!.metrics).toMatchObject({ receiptsCreated: 0, quarantined: 0, duplicatesSkipped: 20 - 1 + 1 });
    expect(outcome(opened.workspace)).toEqual(after);
    for (const message of Object.values(labelsByMessage(opened.workspace))) expect(message).toEqual({ labels: [], unread: true });
  });
});
