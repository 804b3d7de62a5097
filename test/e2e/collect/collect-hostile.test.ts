// The collect job against hostile or broken mail, through the built bundle: misleading file names
// (the stored extension is the one of the bytes), pieces that do not conform (stored in quarantine/,
// or noted there when too large to fetch), and MIME trees that used to be dropped silently (a PDF
// nested 60 levels deep, a multipart part without a boundary): every message ends with a receipt, a
// quarantined piece with its reason, or a ledger error, and none is scanned again and again.

import { makePdf } from '../../../emulator/demo/binary-files';
import { attachment, textPart } from '../../../emulator/demo/mime-writer';
import { addMessage, collect, collectedFiles, ensureBuilt, labelsByMessage, openWorkspace, receipts } from './helpers';

beforeAll(ensureBuilt);

const pdf = (text: string) => makePdf([text, 'Montant TTC : 12,00 €']);

describe('misleading names', () => {
  it('stores invoice.pdf.exe holding a PDF under a .pdf name (ingested when declared PDF, quarantined when it claims to be a program)', () => {
    const opened = openWorkspace();
    addMessage(opened.workspace, { messageId: 'exe-pdf@x', root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'invoice.pdf.exe', pdf('EXE1'))] } });
    addMessage(opened.workspace, { messageId: 'exe-octet@x', root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/octet-stream', 'facture.pdf.exe', pdf('EXE2'))] } });
    expect(collect(opened).error).toBeNull();
    const paths = collectedFiles(opened.workspace).map((file) => file.path);
    expect(paths).toEqual(['Postroom/incoming/2026-01-05/invoice.pdf', 'Postroom/quarantine/2026-01-05/facture.pdf']);
    const rows = receipts(opened.workspace);
    expect(rows.map((row) => [row.original_filename, row.storage_path])).toEqual([
      ['invoice.pdf.exe', 'incoming/2026-01-05/invoice.pdf'],
      ['facture.pdf.exe', 'quarantine/2026-01-05/facture.pdf'],
    ]);
    expect(String(rows[1].reason)).toMatch(/^mime_not_allowed/);
    expect(labelsByMessage(opened.workspace)['<exe-octet@x>'].labels).toEqual(['Postroom/quarantine']);
  });
});
