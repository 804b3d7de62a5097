// A send that runs without a kill: its one row in the JobRuns tab, now written in saved steps through
// the Sheets API, holds what the ledger's way (SpreadsheetApp) wrote before: the same columns in the
// same order, the run's own figures, its times to the millisecond, the log's link and the summary.

import { driveSend } from '../../../emulator/commands/send';
import { ensureBuilt, invoiceRows, setupSend, tab } from './helpers';

const COLUMNS = [
  'run_id',
  'job',
  'status',
  'started_at',
  'finished_at',
  'duration_sec',
  'emails_scanned',
  'attachments_seen',
  'attachments_downloaded',
  'receipts_created',
  'duplicates_skipped',
  'quarantined',
  'errors_count',
  'gmail_api_calls',
  'log_url',
  'summary',
];

describe("a normal send's row in JobRuns", () => {
  beforeAll(ensureBuilt);

  it('holds the run as the ledger wrote it: columns, figures, times to the millisecond, link, summary', () => {
    const { workspace, runner } = setupSend(invoiceRows(14));
    const out = driveSend(runner, { maxExecutions: 50 });
    expect(out.error).toBeNull();
    expect(out.final?.progress?.state).toBe('done');
    const stored = workspace.properties.user.values;
    const job = JSON.parse(stored.get('postroom.send.job') ?? '{}') as Record<string, unknown>;
    const progress = JSON.parse(stored.get('postroom.send.progress') ?? '{}') as { startedAt: number; finishedAt: number };
    expect(job.runRecorded).toBe(true);
    expect(job.jobRunSteps ?? null).toBeNull();

    const values = workspace.sheets.tabValues(workspace.containerId as string)['JobRuns'];
    expect(values[0]).toEqual(COLUMNS);
    const runs = tab(workspace, 'JobRuns');
    expect(runs).toHaveLength(1);
    const run = runs[0];
    expect(run).toMatchObject({
      run_id: job.runId,
      job: 'send',
      status: 'succeeded',
      duration_sec: Math.round((progress.finishedAt - progress.startedAt) / 1000),
      emails_scanned: 14,
      attachments_seen: 0,
      attachments_downloaded: 0,
      receipts_created: 0,
      duplicates_skipped: 0,
      quarantined: 0,
      errors_count: 0,
      gmail_api_calls: job.gmailCalls,
      summary: `14 envoyé(s), 0 en échec, 0 non envoyé(s) sur 14 ; ${job.executions} exécution(s) ; ${job.gmailUnits} unités de quota Gmail ; transport rest`,
    });
    // Dates, typed as dates (the tab gives them back as instants), to the millisecond (as SpreadsheetApp's
    // setValues of a Date keeps them; a time typed to the second would lose it).
    expect(progress.startedAt % 1000).not.toBe(0);
    expect(run.started_at).toBe(new Date(progress.startedAt).toISOString());
    expect(run.finished_at).toBe(new Date(progress.finishedAt).toISOString());
    // The link to the day's log file, in Drive.
    const id = /^https:\/\/drive\.google\.com\/file\/d\/([^/]+)\/view$/.exec(String(run.log_url))?.[1];
    expect(id).toBeTruthy();
    expect(workspace.drive.get(id!)?.name).toMatch(/^send-\d{4}-\d{2}-\d{2}\.jsonl$/);
  });
});

describe('a fault on the JobRuns row at the end of a send', () => {
  beforeAll(ensureBuilt);

  it('is retried within the execution that ends the send: no extra execution, one row', () => {
    const { workspace, runner } = setupSend(invoiceRows(5));
    // The first two Sheets API requests that touch the JobRuns tab answer 503 (a read or a write).
    let faulted = 0;
    workspace.faults.options.requestFault = (request) => {
      const jobRuns =
        request.url.includes('sheets.googleapis.com') &&
        decodeURIComponent(request.url + Buffer.from(request.payload).toString('utf8')).includes('JobRuns');
      if (!jobRuns || faulted >= 2) return null;
      faulted += 1;
      return 'http503';
    };
    const out = driveSend(runner, { maxExecutions: 50 });
    expect(out.error).toBeNull();
    expect(faulted).toBe(2);
    expect(out.final).toMatchObject({ more: false, progress: { state: 'done', sent: 5 } });
    // The execution that sent the last row also wrote the row: the sidebar is not told to come back.
    expect(out.results.filter((result) => result.fn === 'continueSend' || result.fn === 'startSend')).toHaveLength(1);
    expect(tab(workspace, 'JobRuns').filter((row) => row.job === 'send')).toEqual([expect.objectContaining({ status: 'succeeded' })]);
  });
});
