// readMessageView on Gmail API resources: RFC 2047 headers, bodies in UTF-8 / ISO-8859-1 /
// Windows-1252 from base64url, the attachment list with inline flags, large bodies to fetch.

import { headersOfRaw, readMessageView } from '../../../src/server/domain/mail/message-view';

const b64url = (bytes: Uint8Array | string): string =>
  Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes)
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');

const message = {
  id: '18c0000000000001',
  threadId: '18c0000000000001',
  labelIds: ['INBOX', 'UNREAD'],
  snippet: 'Bonjour',
  internalDate: '1768467600000',
  payload: {
    partId: '',
    mimeType: 'multipart/mixed',
    filename: '',
    headers: [
      { name: 'From', value: '=?UTF-8?Q?Zo=C3=AB_Martin?= <Zoe@Fournisseur.fr>' },
      { name: 'To', value: 'compta@cabinet.fr' },
      { name: 'Subject', value: '=?windows-1252?Q?Facture_n=B042_=96?=\r\n =?ISO-8859-1?Q?_re=E7ue?=' },
      { name: 'Subject', value: 'second subject ignored' },
      { name: 'Date', value: 'Tue, 13 Jan 2026 10:00:00 +0100' },
    ],
    body: { size: 0 },
    parts: [
      {
        partId: '0',
        mimeType: 'multipart/alternative',
        filename: '',
        headers: [],
        body: { size: 0 },
        parts: [
          {
            partId: '0.0',
            mimeType: 'text/plain',
            filename: '',
            headers: [{ name: 'Content-Type', value: 'text/plain; charset="ISO-8859-1"' }],
            body: { size: 7, data: b64url(Uint8Array.from([0x72, 0xe9, 0x67, 0x6c, 0xe9, 0x20, 0x80 - 0x80 + 0x41])) },
          },
          {
            partId: '0.1',
            mimeType: 'text/html',
            filename: '',
            headers: [{ name: 'Content-Type', value: 'text/html; charset=windows-1252' }],
            body: { size: 5, data: b64url(Uint8Array.from([0x3c, 0x62, 0x3e, 0x80, 0x93])) },
          },
        ],
      },
      {
        partId: '1',
        mimeType: 'image/png',
        filename: 'logo.png',
        headers: [
          { name: 'Content-ID', value: '<logo@x>' },
          { name: 'Content-Disposition', value: 'inline' },
        ],
        body: { size: 120, attachmentId: 'ANGjdJ1' },
      },
      {
        partId: '2',
        mimeType: 'application/pdf',
        filename: '',
        headers: [{ name: 'Content-Disposition', value: "attachment; filename*=UTF-8''facture%20n%C2%B042.pdf" }],
        body: { size: 3000, attachmentId: 'ANGjdJ2' },
      },
      {
        partId: '3',
        mimeType: 'text/plain',
        filename: '',
        headers: [{ name: 'Content-Type', value: 'text/plain; charset=utf-8' }],
        body: { size: 90000, attachmentId: 'ANGjdJ3' },
      },
    ],
  },
};

describe('readMessageView', () => {
  it('decodes headers, bodies in their charsets and lists attachments', () => {
    const view = readMessageView(message);
    expect(view.subject).toBe('Facture n°42 – reçue');
    expect(view.headers.subject).toBe('Facture n°42 – reçue');
    expect(view.from).toEqual({ address: 'zoe@fournisseur.fr', name: 'Zoë Martin' });
    expect(view.date).toBe('Tue, 13 Jan 2026 10:00:00 +0100');
    expect(view.internalDate).toBe(1768467600000);
    expect(view.text).toBe('réglé A');
    expect(view.html).toBe('<b>€“');
    expect(view.attachments).toEqual([
      { partId: '1', attachmentId: 'ANGjdJ1', filename: 'logo.png', mimeType: 'image/png', size: 120, inline: true },
      { partId: '2', attachmentId: 'ANGjdJ2', filename: 'facture n°42.pdf', mimeType: 'application/pdf', size: 3000, inline: false },
    ]);
    expect(view.bodiesToFetch).toEqual([{ partId: '3', attachmentId: 'ANGjdJ3', mimeType: 'text/plain' }]);
    expect(view.problems).toEqual([]);
  });

  it('reads a UTF-8 single-part message and a metadata resource without bodies', () => {
    const single = readMessageView({
      id: 'a',
      payload: {
        mimeType: 'text/plain',
        headers: [{ name: 'Subject', value: '=?UTF-8?B?w6l0w6k=?=' }],
        body: { size: 4, data: b64url('été ✓') },
      },
    });
    expect(single.subject).toBe('été');
    expect(single.text).toBe('été ✓');
    expect(single.html).toBeNull();
    const metadata = readMessageView({
      id: 'b',
      payload: { mimeType: 'multipart/mixed', headers: [{ name: 'From', value: 'a@b.fr' }], body: { size: 0 } },
    });
    expect(metadata.text).toBeNull();
    expect(metadata.attachments).toEqual([]);
  });

  it('reports a body that is not base64 and keeps the rest', () => {
    const view = readMessageView({ id: 'c', payload: { mimeType: 'text/plain', partId: '', headers: [], body: { size: 3, data: '%%%' } } });
    expect(view.text).toBeNull();
    expect(view.problems).toHaveLength(1);
    expect(readMessageView(null as never).id).toBe('');
  });
});

describe('headersOfRaw', () => {
  it('reads the header block of raw bytes, folded and encoded', () => {
    const raw = Buffer.from(
      'From: =?UTF-8?Q?Zo=C3=AB?= <z@x.fr>\r\nSubject: Facture\r\n =?UTF-8?B?w6l0w6k=?=\r\nX-Postroom-Send-Id: run1/3\r\n\r\nbody: not a header\r\n',
      'utf8',
    );
    expect(headersOfRaw(Uint8Array.from(raw))).toEqual({ from: 'Zoë <z@x.fr>', subject: 'Facture été', 'x-postroom-send-id': 'run1/3' });
  });
});
