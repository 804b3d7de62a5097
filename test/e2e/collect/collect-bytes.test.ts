// Bytes end to end: a receipt holding every byte value 0–255, in lengths that are not a multiple of 3,
// is collected into Drive with exactly its bytes through both mail transports (REST: the attachment's
// base64url decoded by Utilities.base64DecodeWebSafe; Advanced: the service's bytes as they are), hashed
// by Utilities.computeDigest, and the Receipts row's sha256 is the stored file's own. The script's
// JavaScript never decodes base64 for it.

import { createHash } from 'node:crypto';
import { attachment, textPart } from '../../../emulator/demo/mime-writer';
import { SUPPLIER, addMessage, collect, collectedFiles, ensureBuilt, openWorkspace, receipts } from './helpers';

beforeAll(ensureBuilt);

/** A PDF (magic bytes and trailer) whose body holds every byte value; `length` bytes in all. */
function pdfOfEveryByte(length: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n');
  const tail = Buffer.from('\n%%EOF\n');
  const body = Buffer.alloc(length - head.length - tail.length);
  for (let i = 0; i < body.length; i++) body[i] = i < 256 ? i : (i * 31 + 7) & 0xff;
  return Buffer.concat([head, body, tail]);
}

const FILES = [pdfOfEveryByte(3 * 400 + 1), pdfOfEveryByte(3 * 700 + 2)];

describe.each(['rest', 'advanced'])('collect through %s', (transport) => {
  it('stores each attachment with exactly its bytes, decoded and hashed by the platform', () => {
    const opened = openWorkspace({}, { allowedSenders: [SUPPLIER] });
    const users = new Map(opened.workspace.properties.user.values);
    users.set('postroom.settings.mail', JSON.stringify({ transport }));
    opened.workspace.properties.user.commit(users);
    addMessage(opened.workspace, {
      root: {
        kind: 'multi',
        subtype: 'mixed',
        parts: [
          textPart('Deux factures.'),
          attachment('application/pdf', 'a.pdf', FILES[0]),
          attachment('application/pdf', 'b.pdf', FILES[1]),
        ],
      },
    });
    const run = collect(opened);
    expect(run.error).toBeNull();
    expect(run.summary?.status).toBe('succeeded');

    const files = collectedFiles(opened.workspace);
    expect(files.map((f) => f.path.replace(/\d{4}-\d{2}-\d{2}/, 'DAY'))).toEqual([
      'Postroom/incoming/DAY/a.pdf',
      'Postroom/incoming/DAY/b.pdf',
    ]);
    files.forEach((file, i) => {
      expect(Buffer.from(opened.workspace.drive.get(file.id)!.bytes)).toEqual(FILES[i]);
      expect(file.sha256).toBe(createHash('sha256').update(FILES[i]).digest('hex'));
    });
    expect(
      receipts(opened.workspace)
        .map((row) => row.sha256)
        .sort(),
    ).toEqual(files.map((f) => f.sha256).sort());

    const calls = (name: string) => run.results.reduce((sum, r) => sum + ((r.counts.calls as Record<string, number>)[name] ?? 0), 0);
    // REST: the two attachments of the fetchAll decoded by ONE platform call; Advanced: bytes as they come.
    expect(calls('Utilities.base64DecodeWebSafe')).toBe(transport === 'rest' ? 1 : 0);
    expect(calls('Utilities.computeDigest')).toBe(2);
    expect(calls(transport === 'rest' ? 'UrlFetchApp.fetchAll' : 'Gmail.Users.Messages.Attachments.get')).toBeGreaterThan(0);
  });
});
