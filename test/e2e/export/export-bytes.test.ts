// Export's attachments end to end through both mail transports: files holding every byte value 0–255,
// in lengths that are not a multiple of 3 (one fetched by attachments.get, one small enough for Gmail
// to inline in the message), are stored next to the batches with exactly their bytes, decoded by the
// platform (REST: one Utilities.base64DecodeWebSafe for the fetchAll, one for the inline part; the
// Advanced service's bytes as they come).

import { attachment, textPart, writeMessage } from '../../../emulator/demo/mime-writer';
import { NOW, ensureBuilt, exportedMessages, folderFiles, openWorkspace, runExport } from './helpers';

beforeAll(ensureBuilt);

function everyByte(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = i < 256 ? i : (i * 29 + seed) & 0xff;
  return out;
}

const BIG = everyByte(3 * 9000 + 1, 1); // fetched by attachments.get
const SMALL = everyByte(3 * 100 + 2, 2); // may be inlined by Gmail in the message

describe.each(['rest', 'advanced'])('export through %s', (transport) => {
  it('stores every attachment with exactly its bytes', () => {
    const opened = openWorkspace();
    const users = new Map(opened.workspace.properties.user.values);
    users.set('postroom.settings.mail', JSON.stringify({ transport }));
    opened.workspace.properties.user.commit(users);
    const raw = writeMessage(
      {
        from: 'Fournisseur <f@verre.fr>',
        to: opened.workspace.session.userEmail,
        subject: 'Octets',
        date: new Date(Date.parse(NOW) - 3_600_000),
        messageId: 'octets@verre.fr',
      },
      {
        kind: 'multi',
        subtype: 'mixed',
        parts: [
          textPart('Deux fichiers.'),
          attachment('application/octet-stream', 'big.bin', BIG),
          attachment('application/octet-stream', 'small.bin', SMALL),
        ],
      },
      'octets',
    );
    const id = opened.workspace.mailbox.importRaw(new Uint8Array(raw)).id;
    const result = runExport(opened, { includeAttachments: true });
    expect(result.error).toBeNull();
    const files = folderFiles(opened, result.progress!.folderUrl);
    const message = exportedMessages(files).find((m) => m['Message-ID'] === id)!;
    const stored = (name: string) => files.get(`attachments/${message.Attachments.find((a) => a.filename === name)!.file}`);
    expect(stored('big.bin')?.equals(BIG)).toBe(true);
    expect(stored('small.bin')?.equals(SMALL)).toBe(true);
    const decodes = result.results.reduce(
      (sum, r) => sum + ((r.counts.calls as Record<string, number>)['Utilities.base64DecodeWebSafe'] ?? 0),
      0,
    );
    if (transport === 'rest') expect(decodes).toBeGreaterThan(0);
  });
});
