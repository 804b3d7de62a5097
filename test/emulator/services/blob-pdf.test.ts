// Blob.getAs('application/pdf') on an HTML blob (and HtmlOutput.getAs): a real PDF whose structure is
// checked here as a reader would (header, every cross-reference offset pointing at its object, startxref
// at the table, page count) and whose text content, decoded from WinAnsi, holds the HTML's text. The
// name takes the new extension as the reference says. https://developers.google.com/apps-script/reference/base/blob#getAs(String)

import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';
import { FakeBlob } from '../../../emulator/services/blob';

const WIN_ANSI_HIGH: Record<number, string> = { 0x80: '€', 0x85: '…', 0x92: '’', 0x95: '•', 0x96: '–', 0x9c: 'œ', 0x8c: 'Œ' };

/** Reads a PDF as a viewer would, failing on any structural error; returns its pages' text lines. */
function readPdf(bytes: Uint8Array): { pages: number; lines: string[]; title: string } {
  const text = Buffer.from(bytes).toString('latin1');
  expect(text.startsWith('%PDF-1.4\n')).toBe(true);
  expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n?$/.exec(text)?.[1]);
  expect(text.slice(startxref, startxref + 4)).toBe('xref');
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref)) ?? [];
  expect(Number(first)).toBe(0);
  const entries = text
    .slice(startxref)
    .split('\n')
    .slice(2, 2 + Number(count));
  entries.slice(1).forEach((entry, index) => {
    expect(entry).toMatch(/^\d{10} 00000 n $/);
    expect(text.slice(Number(entry.slice(0, 10))).startsWith(`${index + 1} 0 obj\n`)).toBe(true);
  });
  for (const match of text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
    const start = (match.index as number) + match[0].length;
    expect(text.slice(start + Number(match[1]), start + Number(match[1]) + 10)).toBe('\nendstream');
  }
  const decode = (literal: string) =>
    literal
      .replace(/\\([0-7]{3}|[()\\])/g, (_, code: string) => (code.length === 3 ? String.fromCharCode(parseInt(code, 8)) : code))
      .replace(/[\x80-\x9f]/g, (c) => WIN_ANSI_HIGH[c.charCodeAt(0)] ?? '?');
  const lines = [...text.matchAll(/\(((?:\\.|[^\\)])*)\) '/g)].map((m) => decode(m[1]));
  const pages = Number(/\/Type \/Pages .* \/Count (\d+)/.exec(text)?.[1]);
  const title = decode(/\/Title \(((?:\\.|[^\\)])*)\)/.exec(text)?.[1] ?? '');
  return { pages, lines, title };
}

const invoice = `<html><head><title>Facture F-001</title><style>p { color: red }</style></head><body>
  <h1>Facture F-001</h1><p>Client&nbsp;: Lycée Jean Moulin<br>Montant : 312,00 &euro; &ndash; payée</p>
  <ul><li>Monture</li><li>Verres (x2)</li></ul><script>var x = 1;</script></body></html>`;

describe('Blob.getAs("application/pdf") on HTML', () => {
  it('gives a valid PDF holding the text, with the name given the .pdf extension', () => {
    const pdf = FakeBlob.fromString(invoice, 'text/html', 'facture.2026.html').getAs('application/pdf');
    expect(pdf.getContentType()).toBe('application/pdf');
    expect(pdf.getName()).toBe('facture.2026.pdf');
    const read = readPdf(new Uint8Array(pdf.getBytes().map((b) => b & 0xff)));
    expect(read.pages).toBe(1);
    expect(read.title).toBe('Facture F-001');
    expect(read.lines).toEqual([
      'Facture F-001',
      '',
      'Client : Lycée Jean Moulin',
      'Montant : 312,00 € – payée',
      '',
      '• Monture',
      '• Verres (x2)',
    ]);
  });

  it('wraps long lines and paginates long documents', () => {
    const paragraphs = Array.from({ length: 120 }, (_, i) => `<p>Ligne ${i + 1} ${'mot '.repeat(30)}</p>`).join('');
    const read = readPdf((FakeBlob.fromString(paragraphs, 'text/html').getAs('application/pdf') as unknown as FakeBlob).rawBytes());
    expect(read.pages).toBeGreaterThan(2);
    expect(read.lines.filter((line) => line.startsWith('Ligne '))).toHaveLength(120);
    expect(Math.max(...read.lines.map((line) => line.length))).toBeLessThanOrEqual(90);
  });

  it('still refuses conversions it does not emulate', () => {
    expect(() => FakeBlob.fromString('x', 'text/plain').getAs('image/png')).toThrow('Not emulated: Blob.getAs(image/png)');
  });
});

describe('in a script', () => {
  it('Utilities.newBlob(html, "text/html").getAs(PDF) and HtmlOutput.getAs store a readable PDF in Drive', () => {
    const workspace = Workspace.create();
    const runner = new Runner(workspace, {
      source: `function save() {
        var folder = DriveApp.createFolder('PDF Emails');
        var a = folder.createFile(Utilities.newBlob('<p>Bonjour <b>Zoë</b></p>', 'text/html').getAs('application/pdf')).setName('a.pdf');
        var b = folder.createFile(HtmlService.createHtmlOutput('<p>Œuvre – 42 €</p>').setTitle('Reçu').getAs('application/pdf'));
        return [a.getMimeType(), b.getName(), b.getMimeType()];
      }`,
    });
    const result = runner.menu('save');
    expect(result.value).toEqual(['application/pdf', 'Reçu.pdf', 'application/pdf']);
    const files = workspace.drive.listFiles().filter((f) => f.path.startsWith('PDF Emails/'));
    const bytes = files.map((file) => workspace.drive.get(file.id) as unknown as { bytes: Uint8Array });
    expect(readPdf(bytes[0].bytes).lines).toEqual(['Bonjour Zoë']);
    expect(readPdf(bytes[1].bytes).lines).toEqual(['Œuvre – 42 €']);
  });
});
