import {
  asSheetText,
  JOB_RUN_COLUMNS,
  JOB_RUNS_TABLE,
  jobRunToRow,
  quoteForFormulaCell,
  RECEIPT_COLUMNS,
  receiptToRow,
  RECEIPTS_TABLE,
  SHEET_CELL_MAX_CHARS,
} from '../../../src/server/domain/collect';

describe('ledger columns', () => {
  it("are the seed's columns, in order", () => {
    expect(RECEIPT_COLUMNS).toEqual([
      'source',
      'gmail_message_id',
      'attachment_key',
      'original_filename',
      'content_type',
      'filesize',
      'sha256',
      'storage_path',
      'drive_file_id',
      'drive_url',
      'sender',
      'subject',
      'received_at',
      'state',
      'reason',
      'gmail_url',
    ]);
    expect(JOB_RUN_COLUMNS).toEqual([
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
    ]);
  });
  it('format every column that holds email text or an identifier as plain text', () => {
    expect(RECEIPTS_TABLE.textColumns).toEqual(RECEIPT_COLUMNS.filter((c) => c !== 'filesize' && c !== 'received_at'));
    for (const column of ['subject', 'sender', 'original_filename', 'gmail_message_id', 'attachment_key', 'sha256'])
      expect(RECEIPTS_TABLE.textColumns).toContain(column);
    expect(JOB_RUNS_TABLE).toMatchObject({ name: 'JobRuns', headers: JOB_RUN_COLUMNS });
  });
});

describe('asSheetText', () => {
  it('keeps formula-looking email text verbatim (the column is formatted "@", so it stays text)', () => {
    for (const value of [
      '=HYPERLINK("https://evil.example","Cliquez")',
      '+33 6 12 34 56 78',
      '-5',
      '@SUM(A1)',
      '\t=1+1',
      "'quoted",
      '2025-01-31',
      '00123',
    ]) {
      expect(asSheetText(value)).toBe(value);
    }
  });
  it('turns null and undefined into empty text and numbers into text', () => {
    expect(asSheetText(null)).toBe('');
    expect(asSheetText(undefined)).toBe('');
    expect(asSheetText(1234567890123456800)).toBe('1234567890123456800');
  });
  it('cuts at the 50,000-character cell limit', () => {
    const text = asSheetText('x'.repeat(60_000));
    expect(text.length).toBe(SHEET_CELL_MAX_CHARS);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('quoteForFormulaCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['Facture = 12 €', 'Facture = 12 €'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(quoteForFormulaCell(input)).toBe(expected);
  });
});

describe('row builders', () => {
  it('build a Receipts row keyed by column, email values as text', () => {
    const row = receiptToRow({
      source: 'gmail',
      gmailMessageId: '194b1f2a3c4d5e6f',
      attachmentKey: '194b1f2a3c4d5e6f:1',
      originalFilename: '=cmd|"/c calc"!A1.pdf',
      contentType: 'application/pdf',
      filesize: 48213,
      sha256: 'ab'.repeat(32),
      storagePath: 'incoming/2025-01-31/_cmd_ _c calc_!A1.pdf',
      driveFileId: 'f1',
      driveUrl: 'https://drive.google.com/file/d/f1/view',
      sender: 'Fournisseur <factures@fournisseur.fr>',
      subject: '=HYPERLINK("http://x","y")',
      receivedAtMs: 1738317600000,
      state: 'ingested',
      reason: '',
    });
    expect(Object.keys(row)).toEqual([...RECEIPT_COLUMNS]);
    expect(row.subject).toBe('=HYPERLINK("http://x","y")');
    expect(row.filesize).toBe(48213);
    expect(row.received_at).toEqual(new Date('2025-01-31T10:00:00Z'));
  });
  it('build a JobRuns row, finished_at empty while running', () => {
    const base = {
      runId: 'run-1',
      job: 'collect' as const,
      status: 'running' as const,
      startedAtMs: 0,
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
      logUrl: '',
      summary: '',
    };
    expect(jobRunToRow(base).finished_at).toBe('');
    const done = jobRunToRow({ ...base, status: 'succeeded', finishedAtMs: 90_000, durationSec: 90 });
    expect(done).toMatchObject({ status: 'succeeded', finished_at: new Date(90_000), duration_sec: 90 });
    expect(Object.keys(done)).toEqual([...JOB_RUN_COLUMNS]);
  });
});
