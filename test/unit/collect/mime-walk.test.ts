import { walkMessage, parseSender, findDriveLinks, partFileName, type GmailMessage } from '../../../src/server/domain/collect';
import { b64url, filePart, headers, message, multipart, textPart, PNG_BYTES } from './fixtures';

describe('walkMessage: attachments', () => {
  it('finds the PDF of a plain invoice email, with the facts of the message', () => {
    const msg = message(
      '194b1f2a3c4d5e6f',
      {
        Subject: '=?UTF-8?Q?Votre_facture_n=C2=B0_2025-014?=',
        From: '=?UTF-8?B?RnJhbsOnb2lzIER1cG9udA==?= <Francois.Dupont@Fournisseur.FR>',
      },
      multipart('', 'mixed', [
        multipart('0', 'alternative', [
          textPart('0.0', 'text/plain', 'Bonjour,\nci-joint.'),
          textPart('0.1', 'text/html', '<p>Bonjour,</p>'),
        ]),
        filePart('1', 'application/pdf', 'Facture-2025-014.pdf', 48213),
      ]),
    );
    const result = walkMessage(msg);
    expect(result.candidates).toEqual([
      expect.objectContaining({
        partId: '1',
        filename: 'Facture-2025-014.pdf',
        mimeType: 'application/pdf',
        size: 48213,
        disposition: 'attachment',
        insideForwarded: false,
      }),
    ]);
    expect(result.candidates[0].attachmentId).toMatch(/^ANGjdJ/);
    expect(result.skipped).toEqual({});
    expect(result.message).toMatchObject({
      id: '194b1f2a3c4d5e6f',
      messageIdHeader: '<194b1f2a3c4d5e6f@mail.fournisseur.fr>',
      from: { address: 'francois.dupont@fournisseur.fr', name: 'François Dupont' },
      subject: 'Votre facture n° 2025-014',
      dateHeader: 'Fri, 31 Jan 2025 11:00:00 +0100',
      internalDateMs: 1738317600000,
      labelIds: ['INBOX', 'UNREAD'],
    });
    expect(result.message.auth).toMatchObject({ spf: 'pass', dkim: 'pass', dmarc: 'pass', dkimDomains: ['fournisseur.fr'] });
  });

  it('walks into a forwarded message/rfc822 and marks its PDF insideForwarded', () => {
    const inner: ReturnType<typeof multipart> = {
      ...multipart('1.0', 'mixed', [
        textPart('1.0.0', 'text/plain', 'Voir pièce jointe'),
        filePart('1.0.1', 'application/pdf', 'Ticket-Taxi.pdf', 9000),
      ]),
      headers: headers({ From: 'taxi@g7.fr', Subject: 'Votre reçu', 'Content-Type': 'multipart/mixed; boundary="inner"' }),
    };
    const msg = message(
      'fwd1',
      { From: 'Alice Martin <alice@cabinet.fr>', Subject: 'Fwd: Votre reçu' },
      multipart('', 'mixed', [
        textPart('0', 'text/plain', '---------- Forwarded message ---------'),
        {
          partId: '1',
          mimeType: 'message/rfc822',
          filename: 'Votre reçu.eml',
          headers: headers({
            'Content-Type': 'message/rfc822; name="Votre reçu.eml"',
            'Content-Disposition': 'attachment; filename="Votre reçu.eml"',
          }),
          body: { size: 20000, attachmentId: 'ANGjdJfwd' },
          parts: [inner],
        },
      ]),
    );
    const result = walkMessage(msg);
    expect(result.candidates.map((c) => [c.partId, c.filename, c.insideForwarded])).toEqual([['1.0.1', 'Ticket-Taxi.pdf', true]]);
    expect(result.message.from.address).toBe('alice@cabinet.fr'); // the forwarder is the sender that is checked
  });

  it('keeps an unexpanded message/rfc822 attachment as a candidate (it will be quarantined as a type not allowed)', () => {
    const msg = message(
      'fwd2',
      {},
      multipart('', 'mixed', [textPart('0', 'text/plain', 'x'), filePart('1', 'message/rfc822', 'original.eml', 3000)]),
    );
    expect(walkMessage(msg).candidates.map((c) => c.mimeType)).toEqual(['message/rfc822']);
  });

  it('decodes an RFC 2231 name with continuations (Reçu n°3.pdf) and prefers it over the plain name', () => {
    const part = filePart('1', 'application/pdf', 'ignored', 1000, {
      contentType: 'application/pdf; name="=?UTF-8?B?UmXDp3UgbsKwMy5wZGY=?="',
      disposition: "attachment;\r\n filename*0*=UTF-8''Re%C3%A7u%20n;\r\n filename*1*=%C2%B03.pdf",
      gmailFilename: 'Reçu n°3.pdf',
    });
    const result = walkMessage(message('m2231', {}, multipart('', 'mixed', [textPart('0', 'text/plain', 'x'), part])));
    expect(result.candidates[0].filename).toBe('Reçu n°3.pdf');
  });

  it.each([
    ['RFC 2047 base64 in a quoted name (Outlook)', 'attachment; filename="=?UTF-8?B?UmXDp3UgbsKwMy5wZGY=?="', 'Reçu n°3.pdf'],
    ['RFC 2047 Q in ISO-8859-1', 'attachment; filename="=?ISO-8859-1?Q?Re=E7u_n=B03.pdf?="', 'Reçu n°3.pdf'],
    ['RFC 2231 single', "attachment; filename*=iso-8859-1'fr'Re%E7u%20n%B03.pdf", 'Reçu n°3.pdf'],
    ['RFC 2231 split inside a UTF-8 character', "attachment; filename*0*=UTF-8''Re%C3; filename*1*=%A7u.pdf", 'Reçu.pdf'],
    [
      'RFC 2231 mixing encoded and plain sections',
      'attachment; filename*0*=UTF-8\'\'%C3%A9t%C3%A9; filename*1=" 2025.pdf"',
      'été 2025.pdf',
    ],
    ['quoted name with ; inside', 'attachment; filename="a;b.pdf"; size=12', 'a;b.pdf'],
  ])('decodes names: %s', (_label, disposition, expected) => {
    const part = filePart('1', 'application/pdf', 'x', 10, { disposition, contentType: 'application/pdf', gmailFilename: '' });
    expect(walkMessage(message('n', {}, multipart('', 'mixed', [part]))).candidates[0].filename).toBe(expected);
  });

  it("falls back to the Content-Type name, then to Gmail's filename", () => {
    expect(partFileName(headers({ 'Content-Type': 'application/pdf; name="from-type.pdf"' }), 'gmail.pdf')).toBe('from-type.pdf');
    expect(partFileName(headers({ 'Content-Type': 'application/pdf' }), 'gmail.pdf')).toBe('gmail.pdf');
  });

  it('skips an inline signature logo with a Content-ID but keeps a large pasted photo and an Apple Mail inline PDF', () => {
    const msg = message(
      'inl',
      {},
      multipart('', 'mixed', [
        multipart('0', 'related', [
          textPart('0.0', 'text/html', '<p>Merci</p><img src="cid:image001.png@01DB73F0.5E2A1B30"><img src="cid:photo">'),
          filePart('0.1', 'image/png', 'image001.png', 6120, {
            disposition: 'inline; filename="image001.png"',
            contentId: 'image001.png@01DB73F0.5E2A1B30',
          }),
          filePart('0.2', 'image/jpeg', 'IMG_2231.jpeg', 2_400_000, {
            disposition: 'inline; filename="IMG_2231.jpeg"',
            contentId: 'photo',
          }),
          filePart('0.3', 'application/pdf', 'Note de frais.pdf', 120_000, {
            disposition: 'inline; filename="Note de frais.pdf"',
            contentId: 'pdf1',
          }),
        ]),
      ]),
    );
    const result = walkMessage(msg);
    expect(result.skipped).toEqual({ inline_image: 1 });
    expect(result.candidates.map((c) => [c.filename, c.disposition, c.contentId])).toEqual([
      ['IMG_2231.jpeg', 'inline', 'photo'],
      ['Note de frais.pdf', 'inline', 'pdf1'],
    ]);
  });

  it('counts a message with only a signature logo as inline_image, not no_attachment', () => {
    const msg = message(
      'logo',
      {},
      multipart('', 'related', [
        textPart('0', 'text/html', '<img src="cid:logo">'),
        filePart('1', 'image/gif', 'logo.gif', 2000, { disposition: 'inline', contentId: 'logo' }),
      ]),
    );
    expect(walkMessage(msg)).toMatchObject({ candidates: [], skipped: { inline_image: 1 } });
  });

  it('skips a calendar invitation (text/calendar alternative and invite.ics) once per message', () => {
    const msg = message(
      'cal',
      { Subject: 'Invitation: Revue des comptes' },
      multipart('', 'mixed', [
        multipart('0', 'alternative', [
          textPart('0.0', 'text/plain', 'Invitation'),
          {
            partId: '0.1',
            mimeType: 'text/calendar',
            filename: '',
            headers: headers({ 'Content-Type': 'text/calendar; charset="UTF-8"; method=REQUEST' }),
            body: { size: 900, data: b64url('BEGIN:VCALENDAR\r\nEND:VCALENDAR') },
          },
        ]),
        filePart('1', 'application/ics', 'invite.ics', 1200),
      ]),
    );
    expect(walkMessage(msg)).toMatchObject({ candidates: [], skipped: { calendar_invite: 1 } });
  });

  it('reports Drive links in the bodies instead of a file', () => {
    const html =
      '<div>Voici la facture : <a href="https://drive.google.com/file/d/1AbCdEfGhIjK/view?usp=drive_web&amp;authuser=0">Facture.pdf</a></div>' +
      '<a href="https://docs.google.com/spreadsheets/d/1XyZ/edit">tableau</a>.';
    const msg = message(
      'drv',
      {},
      multipart('', 'alternative', [
        textPart('0', 'text/plain', 'Facture : https://drive.google.com/file/d/1AbCdEfGhIjK/view?usp=drive_web&authuser=0.'),
        textPart('1', 'text/html', html),
      ]),
    );
    const result = walkMessage(msg);
    expect(result.candidates).toEqual([]);
    expect(result.skipped).toEqual({ drive_link: 1 });
    expect(result.driveLinks).toEqual([
      'https://drive.google.com/file/d/1AbCdEfGhIjK/view?usp=drive_web&authuser=0',
      'https://docs.google.com/spreadsheets/d/1XyZ/edit',
    ]);
  });

  it('counts a message with text only as no_attachment', () => {
    const msg = message(
      'txt',
      {},
      multipart('', 'alternative', [textPart('0', 'text/plain', 'Rappel'), textPart('1', 'text/html', '<p>Rappel</p>')]),
    );
    expect(walkMessage(msg)).toMatchObject({ candidates: [], skipped: { no_attachment: 1 }, problems: [] });
  });

  it('skips S/MIME signatures', () => {
    const msg = message(
      'smime',
      {},
      multipart('', 'signed', [
        filePart('0', 'application/pdf', 'f.pdf', 100),
        filePart('1', 'application/pkcs7-signature', 'smime.p7s', 4000),
      ]),
    );
    const result = walkMessage(msg);
    expect(result.candidates.map((c) => c.filename)).toEqual(['f.pdf']);
    expect(result.skipped).toEqual({ signature: 1 });
  });

  it('keeps a 0-byte attachment (Gmail gives neither attachmentId nor data) with empty inline data', () => {
    const part = filePart('1', 'application/pdf', 'vide.pdf', 0);
    part.body = { size: 0 };
    const [candidate] = walkMessage(message('zero', {}, multipart('', 'mixed', [textPart('0', 'text/plain', 'x'), part]))).candidates;
    expect(candidate).toMatchObject({ filename: 'vide.pdf', size: 0, inlineData: '' });
  });

  it('keeps small inline attachment data Gmail sent in body.data (the job decodes it with the platform)', () => {
    const part = filePart('1', 'image/png', 'pixel.png', 0, { data: PNG_BYTES });
    const [candidate] = walkMessage(message('small', {}, multipart('', 'mixed', [part]))).candidates;
    expect(candidate.attachmentId).toBeUndefined();
    expect(Buffer.from(candidate.inlineData ?? '', 'base64url')).toEqual(Buffer.from(PNG_BYTES));
  });

  it('handles a message whose whole body is a PDF (root partId "")', () => {
    const root = filePart('', 'application/pdf', 'scan0001.pdf', 150000);
    const [candidate] = walkMessage(message('scanner', { From: 'scanner@cabinet.fr' }, root)).candidates;
    expect(candidate).toMatchObject({ partId: '', filename: 'scan0001.pdf' });
  });

  it('names a nameless binary part with an empty filename, for the job to name', () => {
    const part: ReturnType<typeof filePart> = {
      partId: '1',
      mimeType: 'application/pdf',
      filename: '',
      headers: headers({ 'Content-Type': 'application/pdf' }),
      body: { size: 10, attachmentId: 'A' },
    };
    expect(
      walkMessage(message('noname', {}, multipart('', 'mixed', [textPart('0', 'text/plain', 'x'), part]))).candidates[0],
    ).toMatchObject({ filename: '', disposition: 'none' });
  });
});

describe('walkMessage: strange trees never throw', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'hello'],
    ['no payload', { id: 'x' }],
    ['parts not a list', { id: 'x', payload: { partId: '', mimeType: 'multipart/mixed', parts: { 0: 1 } } }],
    [
      'a null part',
      {
        id: 'x',
        payload: {
          partId: '',
          mimeType: 'multipart/mixed',
          parts: [null, { partId: '1', mimeType: 'application/pdf', filename: 'a.pdf', body: { size: 3, attachmentId: 'A' } }],
        },
      },
    ],
    ['bad base64 body', { id: 'x', payload: { partId: '', mimeType: 'text/plain', body: { size: 3, data: '***' } } }],
    [
      'a part without partId',
      {
        id: 'x',
        payload: {
          partId: '',
          mimeType: 'multipart/mixed',
          parts: [{ mimeType: 'application/pdf', filename: 'a.pdf', body: { attachmentId: 'A' } }],
        },
      },
    ],
    [
      'headers not a list',
      {
        id: 'x',
        payload: { partId: '', mimeType: 'application/pdf', filename: 'a.pdf', headers: 'From: x', body: { size: 1, attachmentId: 'A' } },
      },
    ],
  ])('%s', (_label, input) => {
    const result = walkMessage(input as GmailMessage);
    expect(Array.isArray(result.candidates)).toBe(true);
    if (result.problems.length) expect(result.skipped.mime_walk_error).toBe(result.problems.length);
  });

  it('counts a null part as mime_walk_error and still collects its siblings', () => {
    const result = walkMessage({
      id: 'x',
      payload: {
        partId: '',
        mimeType: 'multipart/mixed',
        parts: [null as never, { partId: '1', mimeType: 'application/pdf', filename: 'a.pdf', body: { size: 3, attachmentId: 'A' } }],
      },
    });
    expect(result.candidates.map((c) => c.filename)).toEqual(['a.pdf']);
    expect(result.skipped).toEqual({ mime_walk_error: 1 });
  });

  it('stops at a cycle and at the depth limit', () => {
    const loop: { partId: string; mimeType: string; parts: unknown[] } = { partId: '', mimeType: 'multipart/mixed', parts: [] };
    loop.parts.push(loop);
    expect(walkMessage({ id: 'c', payload: loop as never }).problems).toEqual(['the part tree contains a cycle']);
    let deep: Record<string, unknown> = {
      partId: 'leaf',
      mimeType: 'application/pdf',
      filename: 'deep.pdf',
      body: { size: 1, attachmentId: 'A' },
    };
    for (let i = 0; i < 70; i++) deep = { partId: String(i), mimeType: 'multipart/mixed', parts: [deep] };
    const result = walkMessage({ id: 'd', payload: deep as never });
    expect(result.candidates).toEqual([]);
    expect(result.problems[0]).toMatch(/deeper than 64/);
  });

  it('reports no payload with a hint about format=full', () => {
    expect(walkMessage({ id: 'x' }).problems).toEqual(['the message has no payload (was it fetched with format=full?)']);
  });
});

describe('parseSender', () => {
  it.each([
    ['"Dupont, Jean" <Jean.Dupont@X.fr>', 'jean.dupont@x.fr', 'Dupont, Jean'],
    ['=?UTF-8?Q?Fran=C3=A7ois?= <f@x.fr>', 'f@x.fr', 'François'],
    ['jean@x.fr (Jean Dupont)', 'jean@x.fr', 'Jean Dupont'],
    ['jean@x.fr', 'jean@x.fr', ''],
    ['"a <b@evil.com>" <real@x.fr>', 'real@x.fr', 'a <b@evil.com>'],
    ['first@x.fr, second@y.fr', 'first@x.fr', ''],
    ['', '', ''],
  ])('%s', (value, address, name) => {
    expect(parseSender(value)).toEqual({ address, name });
  });
});

describe('findDriveLinks', () => {
  it('ignores other Google hosts and look-alike domains', () => {
    expect(findDriveLinks('https://mail.google.com/x https://drive.google.com.evil.com/x https://maps.google.com/y')).toEqual([]);
  });
  it('finds http and https links to folders and documents, once each', () => {
    const text =
      'http://docs.google.com/document/d/AbC/edit, (https://drive.google.com/drive/folders/F1) https://drive.google.com/drive/folders/F1';
    expect(findDriveLinks(text)).toEqual(['http://docs.google.com/document/d/AbC/edit', 'https://drive.google.com/drive/folders/F1']);
  });
});
