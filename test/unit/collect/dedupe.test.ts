import { attachmentKey, ReceiptIndex, receiptToRow, sha256Hex, type ReceiptRecord } from '../../../src/server/domain/collect';

const shaA = sha256Hex(new Uint8Array([1, 2, 3]));
const shaB = sha256Hex(new Uint8Array([4, 5, 6]));

function receipt(key: string, sha: string, state: ReceiptRecord['state'] = 'ingested'): ReceiptRecord {
  const [messageId] = key.split(':');
  return {
    source: 'gmail',
    gmailMessageId: messageId,
    attachmentKey: key,
    originalFilename: 'f.pdf',
    contentType: 'application/pdf',
    filesize: 3,
    sha256: sha,
    storagePath: 'incoming/2025-01-31/f.pdf',
    driveFileId: 'file1',
    driveUrl: 'https://drive.google.com/file/d/file1/view',
    sender: 'a@x.fr',
    subject: 's',
    receivedAtMs: 0,
    state,
    reason: '',
  };
}

describe('attachmentKey', () => {
  it('is message id and part id', () => {
    expect(attachmentKey('194b1f2a3c4d5e6f', '1.0.1')).toBe('194b1f2a3c4d5e6f:1.0.1');
    expect(attachmentKey('194b1f2a3c4d5e6f', '')).toBe('194b1f2a3c4d5e6f:');
  });
});

describe('ReceiptIndex', () => {
  it('is built from ledger rows and finds keys and sha256 values already there', () => {
    const rows = [
      receiptToRow(receipt('m1:1', shaA)),
      receiptToRow(receipt('m2:1', '', 'quarantined')),
      { attachment_key: '', sha256: shaB },
    ];
    const index = ReceiptIndex.fromRows(rows);
    expect(index.size).toEqual({ keys: 2, sha256: 1 });
    expect(index.check('m1:1')).toBe('duplicate_key');
    expect(index.check('m2:1')).toBe('duplicate_key'); // a quarantined attachment is not handled again
    expect(index.check('m3:1')).toBe('new'); // before the download: key only
    expect(index.check('m3:1', shaA)).toBe('duplicate_sha256'); // same bytes in another message
    expect(index.check('m3:1', shaA.toUpperCase())).toBe('duplicate_sha256');
    expect(index.check('m3:1', shaB)).toBe('new'); // the keyless row was ignored
  });

  it('never matches on an empty sha256 (a too-large file quarantined without download)', () => {
    const index = new ReceiptIndex([{ key: 'm1:1', sha256: '' }]);
    expect(index.check('m9:1', '')).toBe('new');
  });

  it('catches the same attachment twice in one run, and the same bytes in two messages of the run', () => {
    const index = new ReceiptIndex();
    expect(index.check('m1:1', shaA)).toBe('new');
    index.add('m1:1', shaA);
    expect(index.check('m1:1', shaA)).toBe('duplicate_key');
    expect(index.check('m2:3', shaA)).toBe('duplicate_sha256');
    expect(index.check('m2:3', shaB)).toBe('new');
  });

  it('reads ledger cells as Sheets returns them (numbers, padding)', () => {
    const index = ReceiptIndex.fromRows([
      { attachment_key: ' m1:1 ', sha256: ` ${shaA} ` },
      { attachment_key: 12345, sha256: 0 },
    ]);
    expect(index.check('m1:1')).toBe('duplicate_key');
    expect(index.check('12345')).toBe('duplicate_key');
    expect(index.check('x', shaA)).toBe('duplicate_sha256');
  });
});
