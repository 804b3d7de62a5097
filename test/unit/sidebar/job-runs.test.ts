// History rows from the JobRuns tab: every job, newest first, status in the reader's words, counts,
// durations and links; rows the history cannot place are skipped.

import { JOB_RUN_COLUMNS } from '../../../src/server/domain/collect/ledger';
import { readJobRuns } from '../../../src/server/domain/job-runs';

const T = Date.UTC(2026, 0, 15, 8, 0, 0);

function row(values: Partial<Record<(typeof JOB_RUN_COLUMNS)[number], unknown>>): unknown[] {
  return JOB_RUN_COLUMNS.map((c) => values[c] ?? '');
}

describe('readJobRuns', () => {
  const values = [
    [...JOB_RUN_COLUMNS],
    row({
      run_id: 'c1',
      job: 'collect',
      status: 'succeeded',
      started_at: new Date(T),
      finished_at: new Date(T + 65_000),
      duration_sec: 65,
      receipts_created: 12,
      quarantined: 2,
      errors_count: 0,
      log_url: 'https://drive.google.com/file/d/x/view',
      summary: '12 justificatifs importés',
    }),
    row({
      run_id: 's1',
      job: 'send',
      status: 'partial',
      started_at: new Date(T + 3_600_000),
      finished_at: new Date(T + 3_700_000),
      duration_sec: 100,
      emails_scanned: 50,
      errors_count: 2,
      log_url: 'javascript:alert(1)',
    }),
    row({ run_id: 'e1', job: 'export', status: 'running', started_at: new Date(T + 7_200_000) }),
    row({ run_id: '', job: 'collect', started_at: new Date(T) }),
    row({ run_id: 'x', job: 'other', started_at: new Date(T) }),
    row({ run_id: 'y', job: 'send', started_at: 'not a date' }),
  ];

  it('lists the runs newest first with labels, counts, durations and safe links', () => {
    const runs = readJobRuns(values, 'fr', {
      folderUrl: (job) => (job === 'collect' ? 'https://drive.google.com/drive/folders/root' : null),
    });
    expect(runs.map((r) => [r.runId, r.job, r.statusLabel, r.durationSec])).toEqual([
      ['e1', 'export', 'En cours', null],
      ['s1', 'send', 'Partiel', 100],
      ['c1', 'collect', 'Réussi', 65],
    ]);
    expect(runs[2]).toMatchObject({
      counts: { receipts_created: 12, quarantined: 2 },
      logUrl: 'https://drive.google.com/file/d/x/view',
      folderUrl: 'https://drive.google.com/drive/folders/root',
      startedAt: T,
      finishedAt: T + 65_000,
    });
    expect(runs[1]).toMatchObject({ counts: { emails_scanned: 50, errors_count: 2 }, logUrl: null });
    expect(readJobRuns(values, 'en')[1].statusLabel).toBe('Partly done');
  });

  it("takes a job's own folder_url column when the tab has one", () => {
    const withFolder = [
      [...JOB_RUN_COLUMNS, 'folder_url', 'gmail_units'],
      [
        ...row({ run_id: 'e2', job: 'export', status: 'succeeded', started_at: new Date(T), finished_at: new Date(T + 1000) }),
        'https://drive.google.com/drive/folders/exp',
        500,
      ],
    ];
    expect(readJobRuns(withFolder, 'en', { folderUrl: () => 'https://other' })[0]).toMatchObject({
      folderUrl: 'https://drive.google.com/drive/folders/exp',
      counts: {},
    });
  });

  it('honours the limit and finds columns by name, in any order', () => {
    const reordered = values.map((r) => [...r].reverse());
    expect(readJobRuns(reordered, 'en', { limit: 1 }).map((r) => r.runId)).toEqual(['e1']);
    expect(readJobRuns([values[0]], 'en')).toEqual([]);
  });
});
