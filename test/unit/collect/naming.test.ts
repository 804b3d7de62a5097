import { PostroomError } from '../../../src/server/domain/errors';
import { checkDay, sanitizeFileName, storageFolder, storagePath, uniqueName } from '../../../src/server/domain/collect';

describe('sanitizeFileName', () => {
  it.each([
    ['Reçu n°3.pdf', 'Reçu n°3.pdf'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['C:\\Users\\x\\facture.pdf', 'C_Users_x_facture.pdf'],
    ['facture: "mars" <2025>?*|.pdf', 'facture_ _mars_ _2025_.pdf'],
    ['  facture \t  mars\r\n2025.pdf  ', 'facture mars 2025.pdf'],
    ['.htaccess', 'attachment.htaccess'],
    ['...hidden.pdf', 'hidden.pdf'],
    ['report.pdf...', 'report.pdf'],
    ['report. .', 'report'],
    ['', 'attachment'],
    ['...', 'attachment'],
    ['\u0000\u0007', 'attachment'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'], // right-to-left override would show "invoiceexe.pdf"
    ['zero\u200Bwidth\uFEFF.pdf', 'zerowidth.pdf'],
    ['Rec\u0327u.pdf', 'Reçu.pdf'], // NFD from macOS becomes NFC
    ['=HYPERLINK("x").pdf', '=HYPERLINK(_x_).pdf'],
    ['CON.pdf', '_CON.pdf'],
    ['com1', '_com1'],
    ['console.pdf', 'console.pdf'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('cuts to 200 characters keeping the extension, without splitting an emoji', () => {
    const long = sanitizeFileName('é'.repeat(300) + '.pdf');
    expect(long).toBe('é'.repeat(196) + '.pdf');
    const emoji = sanitizeFileName('😀'.repeat(250) + '.jpeg');
    expect(Array.from(emoji).length).toBe(200);
    expect(emoji.endsWith('😀.jpeg')).toBe(true);
  });

  it('uses the fallback given, e.g. with the extension of the MIME type', () => {
    expect(sanitizeFileName('', 'attachment.pdf')).toBe('attachment.pdf');
    expect(sanitizeFileName('.pdf', 'piece.pdf')).toBe('piece.pdf');
  });
});

describe('uniqueName', () => {
  it('adds (2), (3)… before the extension, case-insensitively', () => {
    const existing = new Set(['Recu.pdf', 'recu (2).PDF']);
    expect(uniqueName('Facture.pdf', existing)).toBe('Facture.pdf');
    expect(uniqueName('RECU.pdf', existing)).toBe('RECU (3).pdf');
    expect(uniqueName('notes', new Set(['notes']))).toBe('notes (2)');
  });
  it('gives distinct names to many files of the same name when the caller records each', () => {
    const folder = new Set<string>();
    for (let i = 0; i < 12; i++) folder.add(uniqueName('scan.jpg', folder));
    expect(folder.size).toBe(12);
    expect(folder.has('scan (12).jpg')).toBe(true);
  });
  it('stays within 200 characters with the suffix', () => {
    const name = 'a'.repeat(196) + '.pdf';
    const next = uniqueName(name, new Set([name]));
    expect(next.length).toBe(200);
    expect(next.endsWith(' (2).pdf')).toBe(true);
  });
});

describe('storage paths', () => {
  it('builds incoming/ and quarantine/ day paths', () => {
    expect(storagePath('ingested', '2025-01-31', 'Recu.pdf')).toBe('incoming/2025-01-31/Recu.pdf');
    expect(storagePath('quarantined', '2024-02-29', 'x.pdf')).toBe('quarantine/2024-02-29/x.pdf');
    expect(storageFolder('ingested', '2025-12-01')).toEqual(['incoming', '2025-12-01']);
  });
  it.each(['2025-1-31', '2025-02-29', '2025-13-01', '31/01/2025', '2025-01-31T00:00'])('refuses the day %s', (day) => {
    expect(() => checkDay(day)).toThrow(PostroomError);
  });
  it('refuses an unsanitised name', () => {
    expect(() => storagePath('ingested', '2025-01-31', '../x.pdf')).toThrow(/not a sanitised file name/);
  });
});
