// Proves the MIME builder with a real parser: mailparser (Node-side only) reads what buildMessage
// writes, and subject, names, addresses, bodies and attachment bytes must come back identical.

import { addressesOf as addresses, simpleParser, type ParsedMail } from './parse-mail';
import {
  asciiFilename,
  base64LinesSize,
  buildMessage,
  encodeQuotedPrintable,
  estimateMessageSize,
  formatMessageDate,
  makeMessageId,
  type MessageInput,
} from '../../../src/server/domain/send/mime';
import { base64UrlEncode, utf8Encode } from '../../../src/server/domain/encoding';
import { PostroomError } from '../../../src/server/domain/errors';

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  // Make sure the edge bytes are present.
  if (n >= 4) {
    out[0] = 0x00;
    out[1] = 0xff;
    out[n - 2] = 0x00;
    out[n - 1] = 0xff;
  }
  return out;
}

function baseInput(overrides: Partial<MessageInput> = {}): MessageInput {
  return {
    from: { name: 'Comptabilité Acuitis', address: 'comptabilite@acuitis.com' },
    to: [
      { name: 'Élodie Müller-Çağlar', address: 'a@x.fr' },
      { name: '', address: 'b@x.fr' },
    ],
    cc: [{ name: 'Dupont, Jean "JJ"', address: 'jean.dupont@exemple.fr' }],
    bcc: [{ name: 'Archives', address: 'archives@acuitis.com' }],
    replyTo: { name: 'Service facturation', address: 'factures@acuitis.com' },
    subject: 'Votre facture CCT123 – période 2025-01 : récapitulatif détaillé des prestations réalisées ✅',
    text: 'Bonjour,\n\nVeuillez trouver ci-joint votre facture n° 2025-01 d’un montant de 1 234,56 €.\nLigne avec espace final   \n=égal= et points.\n\nCordialement,\nLa comptabilité',
    html: '<p>Bonjour,</p><p>Veuillez trouver ci-joint votre <b>facture</b> n° 2025-01 (1&nbsp;234,56&nbsp;€).</p>',
    attachments: [
      { filename: 'FACTURE_2025_01.pdf', mimeType: 'application/pdf', bytes: randomBytes(50_000, 7) },
      {
        filename: 'Relevé détaillé – été 2025 (copie n°2) avec un nom de fichier vraiment très très long.pdf',
        mimeType: 'application/pdf',
        bytes: randomBytes(1023, 9),
      },
    ],
    messageId: makeMessageId(['sheet1', 'job1', 'CCT123', '2025-01', 2], 'acuitis.com'),
    date: Date.UTC(2025, 0, 15, 9, 30, 5),
    extraHeaders: { 'X-Postroom-Send-Id': 'job1/2' },
    ...overrides,
  };
}

async function parse(raw: string): Promise<ParsedMail> {
  return simpleParser(Buffer.from(raw, 'binary'));
}

describe('buildMessage read back by mailparser', () => {
  it('round-trips subject, names with accents, addresses, bodies and attachment bytes', async () => {
    const input = baseInput();
    const raw = buildMessage(input);
    const mail = await parse(raw);
    expect(mail.subject).toBe(input.subject);
    expect(addresses(mail.from)).toEqual([{ name: 'Comptabilité Acuitis', address: 'comptabilite@acuitis.com' }]);
    expect(addresses(mail.to)).toEqual([
      { name: 'Élodie Müller-Çağlar', address: 'a@x.fr' },
      { name: '', address: 'b@x.fr' },
    ]);
    expect(addresses(mail.cc)).toEqual([{ name: 'Dupont, Jean "JJ"', address: 'jean.dupont@exemple.fr' }]);
    expect(addresses(mail.bcc)).toEqual([{ name: 'Archives', address: 'archives@acuitis.com' }]);
    expect(addresses(mail.replyTo)).toEqual([{ name: 'Service facturation', address: 'factures@acuitis.com' }]);
    expect(mail.text).toBe(input.text!.replace(/\n/g, '\n'));
    expect(mail.html).toBe(input.html);
    expect(mail.messageId).toBe(input.messageId);
    expect(mail.date?.getTime()).toBe(input.date);
    expect(mail.headers.get('x-postroom-send-id')).toBe('job1/2');
    expect(mail.headers.get('mime-version')).toBe('1.0');
    expect(mail.attachments).toHaveLength(2);
    input.attachments!.forEach((expected, i) => {
      const got = mail.attachments[i];
      expect(got.filename).toBe(expected.filename);
      expect(got.contentType).toBe(expected.mimeType);
      expect(Buffer.compare(got.content, Buffer.from(expected.bytes as Uint8Array))).toBe(0);
    });
  });

  it('writes only ASCII CRLF lines, none longer than 78 characters, base64 in 76-character lines', () => {
    const raw = buildMessage(baseInput());
    expect(raw).toMatch(/^[\x00-\x7f]*$/);
    expect(raw.endsWith('\r\n')).toBe(true);
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = raw.split('\r\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(78);
    const base64Lines = lines.filter((l) => /^[A-Za-z0-9+/]{76}$/.test(l));
    expect(base64Lines.length).toBeGreaterThan(600); // 50 KB → ~66,700 chars → 878 lines
  });

  it('nests multipart/alternative inside multipart/mixed, in that order', () => {
    const raw = buildMessage(baseInput());
    const types = [...raw.matchAll(/^Content-Type: ([a-z/-]+)/gim)].map((m) => m[1]);
    expect(types).toEqual(['multipart/mixed', 'multipart/alternative', 'text/plain', 'text/html', 'application/pdf', 'application/pdf']);
  });

  it('encodes subject and display names as RFC 2047 UTF-8 words, and keeps plain ASCII readable', () => {
    const raw = buildMessage(baseInput({ subject: 'Invoice CCT123 for 2025-01' }));
    expect(raw).toContain('Subject: Invoice CCT123 for 2025-01\r\n');
    expect(raw).toMatch(/^From: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <comptabilite@acuitis\.com>/m);
    expect(raw).toContain('Cc: "Dupont, Jean \\"JJ\\"" <jean.dupont@exemple.fr>');
  });

  it('writes RFC 2231 file names with an ASCII fallback', () => {
    const raw = buildMessage(baseInput());
    expect(raw).toContain(`filename="${asciiFilename(baseInput().attachments![1].filename)}"`);
    expect(raw).toMatch(/filename\*0\*=UTF-8''Relev%C3%A9/);
    expect(raw).toContain('filename="FACTURE_2025_01.pdf"');
    expect(raw).not.toMatch(/filename\*=UTF-8''FACTURE/);
  });

  it('a short non-ASCII file name uses a single filename* parameter', async () => {
    const bytes = randomBytes(10, 3);
    const raw = buildMessage(baseInput({ attachments: [{ filename: 'Reçu.pdf', mimeType: 'application/pdf', bytes }] }));
    expect(raw).toContain("filename*=UTF-8''Re%C3%A7u.pdf");
    const mail = await parse(raw);
    expect(mail.attachments[0].filename).toBe('Reçu.pdf');
  });

  it('keeps the Bcc header in the raw message (Gmail reads and strips it)', () => {
    const raw = buildMessage(baseInput());
    expect(raw).toMatch(/^Bcc: Archives <archives@acuitis\.com>\r$/m);
  });

  it('accepts Apps Script signed bytes for attachments', async () => {
    const bytes = randomBytes(300, 11);
    const signed = Array.from(bytes, (b) => (b > 127 ? b - 256 : b));
    const mail = await parse(
      buildMessage(baseInput({ attachments: [{ filename: 'a.bin', mimeType: 'application/octet-stream', bytes: signed }] })),
    );
    expect(Buffer.compare(mail.attachments[0].content, Buffer.from(bytes))).toBe(0);
  });

  it('builds a single part for a text-only message without attachments', async () => {
    const raw = buildMessage(baseInput({ html: undefined, attachments: [] }));
    expect(raw).not.toContain('multipart');
    const mail = await parse(raw);
    expect(mail.text).toBe(baseInput().text);
    expect(mail.html).toBe(false);
  });

  it('builds multipart/alternative alone for two bodies without attachments', async () => {
    const raw = buildMessage(baseInput({ attachments: [] }));
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(raw).not.toContain('multipart/mixed');
    const mail = await parse(raw);
    expect(mail.html).toBe(baseInput().html);
  });

  it('round-trips many random subjects and names (emoji, long words, quotes, =?)', async () => {
    const samples = [
      'a',
      '=?UTF-8?B?not really?=',
      '  leading and trailing  ',
      'x'.repeat(200),
      'Facture n°42 — 😀 emoji — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
      'tab\there',
      'Ünïcödé '.repeat(20),
    ];
    for (const subject of samples) {
      const mail = await parse(
        buildMessage(baseInput({ subject, from: { name: subject.trim().replace(/\t/g, ' '), address: 'c@acuitis.com' } })),
      );
      expect(mail.subject).toBe(subject);
      expect(addresses(mail.from)[0].name).toBe(subject.trim().replace(/\t/g, ' '));
    }
  });

  it('refuses header injection, missing recipients, missing body and bad input', () => {
    const expectInvalid = (overrides: Partial<MessageInput>) => {
      expect(() => buildMessage(baseInput(overrides))).toThrow(PostroomError);
    };
    expectInvalid({ subject: 'Hello\r\nBcc: evil@x.com' });
    expectInvalid({ subject: 'Hello\nX: y' });
    expectInvalid({ to: [{ name: 'Eve\r\nBcc: evil@x.com', address: 'a@x.fr' }] });
    expectInvalid({ to: [{ name: '', address: 'not-an-address' }] });
    expectInvalid({ to: [], cc: [], bcc: [] });
    expectInvalid({ text: '', html: '' });
    expectInvalid({ attachments: [{ filename: 'a\nb.pdf', mimeType: 'application/pdf', bytes: new Uint8Array(1) }] });
    expectInvalid({ attachments: [{ filename: 'a.pdf', mimeType: 'pdf', bytes: new Uint8Array(1) }] });
    expectInvalid({ messageId: 'no-at-sign' });
    expectInvalid({ extraHeaders: { Bcc: 'evil@x.com' } });
    expectInvalid({ extraHeaders: { 'X-Id': 'a\r\nBcc: evil@x.com' } });
  });

  it('survives the Gmail raw round trip: base64url of the message decodes to the same bytes', async () => {
    const raw = buildMessage(baseInput());
    const wire = base64UrlEncode(utf8Encode(raw));
    expect(wire).toMatch(/^[A-Za-z0-9_-]+=*$/);
    const mail = await simpleParser(Buffer.from(wire, 'base64url'));
    expect(mail.subject).toBe(baseInput().subject);
  });
});

describe('quoted-printable', () => {
  it('keeps lines ≤ 76, encodes = and trailing spaces, and decodes back', async () => {
    const text = `${'é'.repeat(100)}\n${'a '.repeat(60)}\ntrailing \nfin=`;
    const qp = encodeQuotedPrintable(text);
    for (const line of qp.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(qp).toContain('trailing=20');
    expect(qp).toContain('fin=3D');
    const mail = await parse(
      `From: a@x.fr\r\nTo: b@x.fr\r\nSubject: t\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${qp}=\r\n`,
    );
    expect(mail.text).toBe(text);
  });
});

describe('makeMessageId, date and sizes', () => {
  it('is deterministic in its parts and differs when a part differs', () => {
    const a = makeMessageId(['s', 'job', 'CCT1', '2025-01'], 'acuitis.com');
    expect(a).toBe(makeMessageId(['s', 'job', 'CCT1', '2025-01'], 'acuitis.com'));
    expect(a).not.toBe(makeMessageId(['s', 'job', 'CCT1', '2025-02'], 'acuitis.com'));
    expect(makeMessageId(['ab', 'c'], 'x.fr')).not.toBe(makeMessageId(['a', 'bc'], 'x.fr'));
    expect(a).toMatch(/^<[0-9a-f]{32}\.postroom@acuitis\.com>$/);
    expect(() => makeMessageId(['a'], 'bad domain')).toThrow(PostroomError);
  });

  it('formats the date as RFC 5322 in UTC', () => {
    expect(formatMessageDate(Date.UTC(2025, 0, 5, 7, 3, 9))).toBe('Sun, 05 Jan 2025 07:03:09 +0000');
    expect(formatMessageDate(Date.UTC(2024, 1, 29, 23, 59, 59))).toBe('Thu, 29 Feb 2024 23:59:59 +0000');
  });

  it('base64LinesSize matches what the builder writes', () => {
    for (const n of [0, 1, 2, 3, 56, 57, 58, 1000, 50_000]) {
      const raw = buildMessage(
        baseInput({ attachments: [{ filename: 'f.bin', mimeType: 'application/octet-stream', bytes: randomBytes(n, n + 1) }] }),
      );
      const body = raw.split('Content-Transfer-Encoding: base64\r\n\r\n')[1].split('\r\n--')[0];
      expect(body.length).toBe(base64LinesSize(n));
    }
  });

  it('estimateMessageSize is an upper bound, close for large attachments', () => {
    const input = baseInput({ attachments: [{ filename: 'big.pdf', mimeType: 'application/pdf', bytes: randomBytes(3_000_000, 5) }] });
    const raw = buildMessage(input);
    const headerBytes = utf8Encode(
      [
        input.subject,
        input.from.name,
        ...input.to.map((m) => m.name + m.address),
        ...input.cc!.map((m) => m.name + m.address),
        ...input.bcc!.map((m) => m.name + m.address),
      ].join(''),
    ).length;
    const estimate = estimateMessageSize({
      headerBytes,
      textBytes: utf8Encode(input.text!).length,
      htmlBytes: utf8Encode(input.html!).length,
      attachments: [{ name: 'big.pdf', size: 3_000_000 }],
    });
    expect(estimate).toBeGreaterThanOrEqual(raw.length);
    expect(estimate / raw.length).toBeLessThan(1.01);
    // base64 in lines weighs 4/3 × 78/76 of the file: 25 MB of files cannot fit a 25 MB message.
    expect(base64LinesSize(3_000_000) / 3_000_000).toBeCloseTo(1.3684, 3);
  });
});
