// Small, VALID document files for the demo workspace, generated from their specifications rather
// than stored as bytes: a PDF 1.4 with one text page (cross-reference offsets computed), a PNG
// (IHDR + zlib-compressed IDAT + IEND with CRC-32s), and a baseline JPEG of flat 8×8 blocks (JFIF
// header, quantisation and Huffman tables, one-bit codes). Deterministic: same input, same bytes.
// PDF: ISO 32000-1 §7.5 (file structure). PNG: RFC 2083 / W3C PNG spec. JPEG: ITU-T T.81 + JFIF 1.02.

import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG (and zlib, gzip) define it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Escapes a string for a PDF literal string; non-Latin-1 characters become '?'. */
function pdfText(text: string): string {
  return text.replace(/[^\x20-\x7e\u00a0-\u00ff]/g, '?').replace(/([\\()])/g, '\\$1');
}

/** A one-page PDF showing `lines` in Helvetica (WinAnsi encoding, so French accents render). */
export function makePdf(lines: string[], title = lines[0] ?? 'Document'): Buffer {
  const content = [
    'BT',
    '/F1 12 Tf',
    '14 TL',
    '56 780 Td',
    ...lines.map((line, index) => `${index === 0 ? '' : 'T* '}(${pdfText(line)}) Tj`),
    'ET',
  ].join('\n');
  const contentBytes = Buffer.from(content, 'latin1');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${contentBytes.length} >>\nstream\n${content}\nendstream`,
    `<< /Title (${pdfText(title)}) /Producer (Postroom demo generator) >>`,
  ];
  return assemblePdf(objects, 6);
}

/**
 * A PDF 1.4 file from its numbered objects (object n is objects[n - 1]; 1 must be the catalog): header,
 * the objects, the cross-reference table with their byte offsets, and the trailer naming the Info object.
 */
export function assemblePdf(objects: readonly string[], infoObject: number): Buffer {
  // The binary comment line after the header marks the file as binary for transfer tools (§7.5.2).
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(offset);
    const chunk = Buffer.from(`${index + 1} 0 obj\n${body}\nendobj\n`, 'latin1');
    parts.push(chunk);
    offset += chunk.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((value) => `${String(value).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R /Info ${infoObject} 0 R >>`,
    'startxref',
    String(offset),
    '%%EOF',
    '',
  ].join('\n');
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * An RGB PNG of `width`×`height`: a background colour with a darker band of "text lines", so
 * each generated image differs. `text` goes into a tEXt chunk (Comment).
 */
export function makePng(width: number, height: number, rgb: [number, number, number], text = ''): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour
  header[10] = 0; // deflate
  header[11] = 0; // adaptive filtering
  header[12] = 0; // no interlace
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3); // filter byte 0 (None), then RGB triples
    const inkRow = y % 6 < 2 && y > 4 && y < height - 4;
    for (let x = 0; x < width; x++) {
      const ink = inkRow && x > 4 && x < width - 4 - ((y * 7) % Math.max(1, width / 3));
      row[1 + x * 3] = ink ? rgb[0] >> 2 : rgb[0];
      row[2 + x * 3] = ink ? rgb[1] >> 2 : rgb[1];
      row[3 + x * 3] = ink ? rgb[2] >> 2 : rgb[2];
    }
    rows.push(row);
  }
  const chunks = [pngChunk('IHDR', header)];
  if (text) chunks.push(pngChunk('tEXt', Buffer.from(`Comment\0${text}`, 'latin1')));
  chunks.push(pngChunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })), pngChunk('IEND', new Uint8Array()));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

function jpegSegment(marker: number, data: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, Buffer.from(data)]);
}

/**
 * A baseline grayscale JPEG (JFIF) of `width`×`height` (rounded up to 8), a flat grey. Every block
 * codes "DC difference 0, end of block" with one-bit Huffman codes, so the entropy-coded data is
 * exact without a DCT. `comment` goes into a COM segment.
 */
export function makeJpeg(width: number, height: number, comment = ''): Buffer {
  const w = Math.max(8, Math.ceil(width / 8) * 8);
  const h = Math.max(8, Math.ceil(height / 8) * 8);
  const blocks = (w / 8) * (h / 8);
  const app0 = Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00]); // JFIF 1.02, 72 dpi
  const dqt = Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]); // table 0, 8-bit, all ones
  const sof0 = Buffer.alloc(9);
  sof0[0] = 8; // precision
  sof0.writeUInt16BE(h, 1);
  sof0.writeUInt16BE(w, 3);
  sof0[5] = 1; // one component
  sof0[6] = 1; // component id
  sof0[7] = 0x11; // 1×1 sampling
  sof0[8] = 0; // quant table 0
  // Huffman tables: one code of length 1 each. DC class 0 id 0: symbol 0 (category 0). AC class 1 id 0: symbol 0x00 (EOB).
  const counts = Buffer.alloc(16);
  counts[0] = 1;
  const dht = Buffer.concat([Buffer.from([0x00]), counts, Buffer.from([0x00]), Buffer.from([0x10]), counts, Buffer.from([0x00])]);
  const sos = Buffer.from([0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]); // 1 component, tables 0/0, Ss=0 Se=63 Ah/Al=0
  // Two bits ("0" DC, "0" EOB) per block, padded with 1-bits at the end (T.81 F.1.2.3).
  const bitCount = blocks * 2;
  const data = Buffer.alloc(Math.ceil(bitCount / 8), 0);
  const padding = data.length * 8 - bitCount;
  if (padding > 0) data[data.length - 1] = (1 << padding) - 1;
  const parts = [Buffer.from([0xff, 0xd8]), jpegSegment(0xe0, app0)];
  if (comment) parts.push(jpegSegment(0xfe, Buffer.from(comment, 'latin1')));
  parts.push(
    jpegSegment(0xdb, dqt),
    jpegSegment(0xc0, sof0),
    jpegSegment(0xc4, dht),
    jpegSegment(0xda, sos),
    data,
    Buffer.from([0xff, 0xd9]),
  );
  return Buffer.concat(parts);
}
