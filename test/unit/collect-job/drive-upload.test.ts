// The pure parts of the parallel Drive upload adapter (src/server/adapters/drive-upload.ts): the
// multipart/related body (metadata part, then the exact file bytes), a boundary that never occurs in
// the bytes, the fetchAll batches (20 files / 20 MB, a bigger file alone), and how each HTTP answer is
// read (created / refused / in doubt: an upload is not idempotent, so only a 4xx says "not created").

import {
  UPLOAD_BATCH_BYTES,
  UPLOAD_BATCH_FILES,
  buildMultipartBody,
  chooseBoundary,
  containsBytes,
  planBatches,
  readUploadReply,
} from '../../../src/server/adapters/drive-upload';

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** A seeded [0, 1) sequence. */
function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe('buildMultipartBody (drive/api/guides/manage-uploads#multipart)', () => {
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 31) % 256);

  it('is the JSON metadata part then the media part with the exact bytes, closed by the final boundary', () => {
    const { body, contentType } = buildMultipartBody({ folderId: 'F1', name: 'Facture n°1 é.pdf', bytes, mimeType: 'application/pdf' });
    const boundary = /^multipart\/related; boundary=(\S+)$/.exec(contentType)![1];
    const text = latin1(body);
    const head = `--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n`;
    expect(text.startsWith(head)).toBe(true);
    const metadataEnd = text.indexOf(`\r\n--${boundary}\r\n`);
    const metadata = Buffer.from(body.subarray(head.length, metadataEnd)).toString('utf8');
    expect(JSON.parse(metadata)).toEqual({ name: 'Facture n°1 é.pdf', parents: ['F1'], mimeType: 'application/pdf' });
    const mediaHead = `\r\n--${boundary}\r\nContent-Type: application/pdf\r\n\r\n`;
    const mediaStart = metadataEnd + mediaHead.length;
    const tail = `\r\n--${boundary}--\r\n`;
    expect(text.endsWith(tail)).toBe(true);
    expect(Array.from(body.subarray(mediaStart, body.length - tail.length))).toEqual(Array.from(bytes));
  });

  it('a MIME type that could carry a header line becomes application/octet-stream', () => {
    const { body } = buildMultipartBody({ folderId: 'F1', name: 'x', bytes, mimeType: 'application/pdf\r\nX-Evil: 1' });
    expect(latin1(body)).not.toContain('X-Evil');
    expect(latin1(body)).toContain('Content-Type: application/octet-stream\r\n');
  });
});

describe('chooseBoundary', () => {
  it('draws another boundary while the drawn one occurs in the bytes', () => {
    const first = `postroom_${'0'.repeat(24)}`;
    const content = new Uint8Array(Buffer.from(`before ${first} after`));
    // First draw: all zeros (inside the content); second: all "8" digits.
    const boundary = chooseBoundary([content], sequence([...Array(24).fill(0), ...Array(24).fill(0.5)]));
    expect(boundary).toBe(`postroom_${'8'.repeat(24)}`);
    expect(containsBytes(content, new Uint8Array(Buffer.from(boundary)))).toBe(false);
  });

  it('fits RFC 2046 (at most 70 characters of the allowed set)', () => {
    const boundary = chooseBoundary([new Uint8Array(10)]);
    expect(boundary).toMatch(/^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/);
  });
});

describe('planBatches', () => {
  it(`at most ${UPLOAD_BATCH_FILES} files per fetchAll`, () => {
    const batches = planBatches(Array(45).fill(1000));
    expect(batches.map((batch) => batch.length)).toEqual([20, 20, 5]);
    expect(batches.flat()).toEqual(Array.from({ length: 45 }, (_, i) => i));
  });

  it(`at most ${UPLOAD_BATCH_BYTES / 1024 / 1024} MB per fetchAll; a bigger file goes alone`, () => {
    const mb = 1024 * 1024;
    expect(planBatches([5 * mb, 5 * mb, 5 * mb, 5 * mb, 1, 25 * mb, 1])).toEqual([[0, 1, 2, 3], [4], [5], [6]]);
    expect(planBatches([])).toEqual([]);
  });
});

describe('readUploadReply (drive/api/guides/handle-errors)', () => {
  it('200 with an id: created', () => {
    expect(readUploadReply(200, JSON.stringify({ kind: 'drive#file', id: '1abc', name: 'a.pdf', mimeType: 'application/pdf' }))).toEqual({
      ok: true,
      id: '1abc',
      name: 'a.pdf',
      mimeType: 'application/pdf',
    });
  });

  it('a 2xx without a readable id is in doubt (the file may exist)', () => {
    expect(readUploadReply(200, 'oops')).toMatchObject({ ok: false, maybeCreated: true });
  });

  it.each([400, 401, 403, 404, 429])("%i: refused, nothing created, Google's message kept", (status) => {
    const body = JSON.stringify({ error: { code: status, message: `message ${status}`, errors: [] } });
    expect(readUploadReply(status, body)).toEqual({ ok: false, status, error: `HTTP ${status}: message ${status}`, maybeCreated: false });
  });

  it.each([408, 500, 502, 503, 504])('%i: in doubt', (status) => {
    expect(readUploadReply(status, '<html>Bad gateway</html>')).toEqual({
      ok: false,
      status,
      error: `HTTP ${status}: <html>Bad gateway</html>`,
      maybeCreated: true,
    });
  });
});
