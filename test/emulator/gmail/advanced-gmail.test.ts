// The Advanced Gmail service over the shared mailbox: ephemeral attachment ids, Apps Script's error
// messages, messages.list paging, labels (nested, message-level), drafts, threading, sends with their
// exact bytes, and the per-user quota of 15,000 units per minute with recovery after the window.

import { GoogleJsonResponseException } from '../../../emulator/gmail/advanced-gmail';
import {
  attachmentEml,
  crlf,
  fromSigned,
  makeWorld,
  nestedEml,
  parseWithMailparser,
  PDF_BYTES,
  simpleEml,
  toBase64Url,
  USER,
} from './world';

type Part = { partId: string; body: { attachmentId?: string }; parts?: Part[] };
const attachmentIds = (payload: Part): string[] => [
  ...(payload.body.attachmentId ? [payload.body.attachmentId] : []),
  ...(payload.parts ?? []).flatMap(attachmentIds),
];

// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages.attachments/get
describe('ephemeral attachment ids (users.messages.attachments.get; ids change between gets)', () => {
  test('every messages.get issues new ids; older ids keep working for a while, then are refused', () => {
    const world = makeWorld();
    const { Gmail } = world.globals;
    const id = world.mailbox.importRaw(attachmentEml('Facture', 'facture.pdf', PDF_BYTES)).id;
    const get = () => attachmentIds(Gmail.Users.Messages.get('me', id).payload as unknown as Part);
    const first = get();
    const second = get();
    expect(first).toHaveLength(1);
    expect(second[0]).not.toBe(first[0]);
    expect(fromSigned(Gmail.Users.Messages.Attachments.get('me', id, first[0]).data)).toEqual(PDF_BYTES);
    get();
    get(); // three newer gets of this message: the first id has expired
    expect(() => Gmail.Users.Messages.Attachments.get('me', id, first[0])).toThrow(
      'API call to gmail.users.messages.attachments.get failed with error: Invalid attachment token',
    );
    expect(fromSigned(Gmail.Users.Messages.Attachments.get('me', id, get()[0]).data)).toEqual(PDF_BYTES);
  });

  test('an id expires after 5 minutes of virtual time, and is bound to its message', () => {
    const world = makeWorld();
    const { Gmail } = world.globals;
    const id = world.mailbox.importRaw(attachmentEml('Facture', 'facture.pdf', PDF_BYTES)).id;
    const other = world.mailbox.importRaw(attachmentEml('Autre', 'autre.pdf', PDF_BYTES)).id;
    const [attachmentId] = attachmentIds(Gmail.Users.Messages.get('me', id).payload as unknown as Part);
    expect(() => Gmail.Users.Messages.Attachments.get('me', other, attachmentId)).toThrow('Invalid attachment token');
    world.clock.advance(5 * 60_000 + 1);
    let error: unknown;
    try {
      Gmail.Users.Messages.Attachments.get('me', id, attachmentId);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GoogleJsonResponseException);
    expect((error as GoogleJsonResponseException).details).toEqual({
      code: 400,
      message: 'Invalid attachment token',
      errors: [{ message: 'Invalid attachment token', domain: 'global', reason: 'invalidArgument' }],
    });
  });

  test('a REST client gets the same 400 JSON for an expired id and 404 for an unknown message', () => {
    const world = makeWorld();
    const id = world.mailbox.importRaw(attachmentEml('Facture', 'facture.pdf', PDF_BYTES)).id;
    const response = world.UrlFetchApp.fetch(`https://gmail.googleapis.com/gmail/v1/users/me/messages/${id}/attachments/ANGjdJnope`, {
      headers: { Authorization: 'Bearer ya29.test-token' },
      muteHttpExceptions: true,
    });
    expect(response.getResponseCode()).toBe(400);
    expect(JSON.parse(response.getContentText())).toEqual({
      error: {
        code: 400,
        message: 'Invalid attachment token',
        errors: [{ message: 'Invalid attachment token', domain: 'global', reason: 'invalidArgument' }],
        status: 'INVALID_ARGUMENT',
      },
    });
    const missing = world.UrlFetchApp.fetch('https://gmail.googleapis.com/gmail/v1/users/me/messages/00000000000000ff', {
      headers: { Authorization: 'Bearer ya29.test-token' },
      muteHttpExceptions: true,
    });
    expect(missing.getResponseCode()).toBe(404);
    expect(JSON.parse(missing.getContentText()).error).toMatchObject({
      code: 404,
      message: 'Requested entity was not found.',
      status: 'NOT_FOUND',
    });
  });
});

// https://developers.google.com/apps-script/advanced/gmail
describe('Advanced service errors and listing (developers.google.com/apps-script/advanced/gmail)', () => {
  test('Apps Script error messages for a missing message, a bad id, a bad label, another user', () => {
    const { globals } = makeWorld();
    const { Gmail } = globals;
    expect(() => Gmail.Users.Messages.get('me', '0000000000000abc')).toThrow(
      'API call to gmail.users.messages.get failed with error: Requested entity was not found.',
    );
    expect(() => Gmail.Users.Messages.get('me', 'not-an-id')).toThrow(
      'API call to gmail.users.messages.get failed with error: Invalid id value',
    );
    expect(() => Gmail.Users.Messages.list('me', { labelIds: ['Label_99'] })).toThrow(
      'API call to gmail.users.messages.list failed with error: Invalid label: Label_99',
    );
    expect(() => Gmail.Users.getProfile('someone@else.fr')).toThrow(
      `API call to gmail.users.getProfile failed with error: Delegation denied for ${USER}`,
    );
  });

  test('messages.list: newest first, maxResults default 100 / max 500, page tokens, resultSizeEstimate', () => {
    const world = makeWorld();
    const ids: string[] = [];
    for (let i = 0; i < 620; i++) {
      ids.push(
        world.mailbox.importRaw(
          simpleEml({
            id: `m${i}`,
            from: 'a@x.fr',
            to: USER,
            subject: `n${i}`,
            date: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toUTCString(),
            body: 'x',
          }),
        ).id,
      );
    }
    const { Gmail } = world.globals;
    const first = Gmail.Users.Messages.list('me');
    expect(first.messages).toHaveLength(100);
    expect(first.messages![0].id).toBe(ids[619]);
    expect(first.resultSizeEstimate).toBe(620);
    const big = Gmail.Users.Messages.list('me', { maxResults: 1000 });
    expect(big.messages).toHaveLength(500);
    const next = Gmail.Users.Messages.list('me', { maxResults: 1000, pageToken: big.nextPageToken });
    expect(next.messages).toHaveLength(120);
    expect(next.nextPageToken).toBeUndefined();
    expect(new Set([...big.messages!, ...next.messages!].map((message) => message.id)).size).toBe(620);
    expect(Gmail.Users.Messages.list('me', { q: 'nothingmatches' })).toEqual({ resultSizeEstimate: 0 });
  });

  test('labels: nested user labels are created once (409 on conflict) and listed with the system ones', () => {
    const { Gmail } = makeWorld().globals;
    const label = Gmail.Users.Labels.create({ name: 'Postroom/imported' }, 'me');
    expect(label).toMatchObject({ id: 'Label_1', name: 'Postroom/imported', type: 'user' });
    expect(() => Gmail.Users.Labels.create({ name: 'postroom/IMPORTED' }, 'me')).toThrow(
      'API call to gmail.users.labels.create failed with error: Label name exists or conflicts',
    );
    const names = Gmail.Users.Labels.list('me').labels.map((entry) => entry.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'INBOX',
        'SENT',
        'TRASH',
        'SPAM',
        'UNREAD',
        'STARRED',
        'IMPORTANT',
        'DRAFT',
        'CATEGORY_UPDATES',
        'Postroom/imported',
      ]),
    );
  });

  test('labels are per message in the API: modify one message of a thread, batchModify, trash', () => {
    const world = makeWorld();
    const { mailbox } = world;
    const { Gmail } = world.globals;
    const a = mailbox.importRaw(
      simpleEml({ id: 'a', from: 'a@x.fr', to: USER, subject: 'Dossier 12', date: 'Mon, 12 Jan 2026 10:00:00 +0000', body: 'un' }),
    );
    const b = mailbox.importRaw(
      simpleEml({
        id: 'b',
        from: USER,
        to: 'a@x.fr',
        subject: 'RE: Dossier 12',
        date: 'Mon, 12 Jan 2026 11:00:00 +0000',
        body: 'deux',
        inReplyTo: '<a@example.org>',
        references: '<a@example.org>',
      }),
    );
    expect(b.threadId).toBe(a.threadId);
    const label = Gmail.Users.Labels.create({ name: 'Postroom/imported' }, 'me');
    const modified = Gmail.Users.Messages.modify({ addLabelIds: [label.id], removeLabelIds: ['UNREAD'] }, 'me', b.id);
    expect(modified.labelIds).toEqual(['INBOX', label.id]);
    expect([...a.labelIds]).toEqual(['INBOX', 'UNREAD']);
    Gmail.Users.Messages.batchModify({ ids: [a.id, b.id], addLabelIds: ['STARRED'] }, 'me');
    expect(a.labelIds.has('STARRED') && b.labelIds.has('STARRED')).toBe(true);
    const trashed = Gmail.Users.Messages.trash('me', a.id);
    expect(trashed.labelIds).toEqual(['UNREAD', 'STARRED', 'TRASH']);
    expect(Gmail.Users.Messages.list('me').messages!.map((message) => message.id)).toEqual([b.id]);
  });

  test('threading: a reply joins the thread only when it references a message AND the subject matches', () => {
    const { mailbox } = makeWorld();
    const root = mailbox.importRaw(
      simpleEml({ id: 'root', from: 'a@x.fr', to: USER, subject: 'Facture 7', date: 'Mon, 12 Jan 2026 10:00:00 +0000', body: '1' }),
    );
    const reply = mailbox.importRaw(
      simpleEml({
        id: 'r1',
        from: 'a@x.fr',
        to: USER,
        subject: 'Re: Fwd: facture 7',
        date: 'Mon, 12 Jan 2026 11:00:00 +0000',
        body: '2',
        references: '<root@example.org>',
      }),
    );
    const otherSubject = mailbox.importRaw(
      simpleEml({
        id: 'r2',
        from: 'a@x.fr',
        to: USER,
        subject: 'Autre sujet',
        date: 'Mon, 12 Jan 2026 12:00:00 +0000',
        body: '3',
        inReplyTo: '<root@example.org>',
      }),
    );
    const sameSubjectNoRef = mailbox.importRaw(
      simpleEml({ id: 'r3', from: 'a@x.fr', to: USER, subject: 'Facture 7', date: 'Mon, 12 Jan 2026 13:00:00 +0000', body: '4' }),
    );
    expect(reply.threadId).toBe(root.threadId);
    expect(otherSubject.threadId).toBe(otherSubject.id);
    expect(sameSubjectNoRef.threadId).toBe(sameSubjectNoRef.id);
    expect(root.id).toMatch(/^[0-9a-f]{16}$/);
    expect(mailbox.threadMessages(root.threadId).map((message) => message.id)).toEqual([root.id, reply.id]);
  });
});

// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/send
describe('sending through the Advanced service (users.messages.send, users.drafts)', () => {
  const raw = (extra = ''): string =>
    `From: ${USER}\r\nTo: client@acme.fr, Autre <autre@acme.fr>\r\nBcc: audit@cabinet-durand.fr\r\nSubject: Facture 42\r\n${extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nBonjour\r\n`;

  test('the exact bytes land in SENT, with a Gmail Message-ID added only when missing', async () => {
    const world = makeWorld();
    const { Gmail } = world.globals;
    const withId = crlf(raw('Message-ID: <mine-1@cabinet-durand.fr>\r\n'));
    const sent = Gmail.Users.Messages.send({ raw: toBase64Url(withId) }, 'me');
    expect(sent.labelIds).toEqual(['SENT']);
    expect(world.mailbox.getMessage(sent.id)!.raw).toEqual(withId);

    const sentNoId = Gmail.Users.Messages.send({ raw: toBase64Url(crlf(raw()), false) }, 'me');
    const bytes = world.mailbox.getMessage(sentNoId.id)!.raw;
    const text = Buffer.from(bytes).toString('utf8');
    expect(text).toMatch(/^Message-ID: <CA[A-Za-z0-9]+@mail\.gmail\.com>\r\n/);
    expect(text.endsWith(raw())).toBe(true);
    const parsed = await parseWithMailparser(bytes);
    expect(parsed.subject).toBe('Facture 42');
    expect(parsed.bcc!.value.map((entry) => entry.address)).toEqual(['audit@cabinet-durand.fr']);
    expect(world.accounting.total.gmailUnits).toBe(200);
    expect(world.quotas.remainingGmailMessages()).toBe(1998);
  });

  test('a send without raw or without recipients is refused with the API message', () => {
    const { Gmail } = makeWorld().globals;
    expect(() => Gmail.Users.Messages.send({}, 'me')).toThrow(
      "API call to gmail.users.messages.send failed with error: 'raw' RFC822 payload message string or uploading message via /upload/* URL required",
    );
    expect(() => Gmail.Users.Messages.send({ raw: toBase64Url(crlf('Subject: x\r\n\r\nbody')) }, 'me')).toThrow(
      'Recipient address required',
    );
  });

  test('mail to the user themself is one message in SENT and in INBOX, unread', () => {
    const world = makeWorld();
    const sent = world.globals.Gmail.Users.Messages.send({ raw: toBase64Url(crlf(`To: ${USER}\r\nSubject: moi\r\n\r\nx`)) }, 'me');
    expect(sent.labelIds).toEqual(['SENT', 'INBOX', 'UNREAD']);
    expect(world.mailbox.dumpState()).toEqual([
      { id: sent.id, threadId: sent.id, messageIdHeader: expect.stringMatching(/^<CA/), labels: ['INBOX', 'SENT', 'UNREAD'], unread: true },
    ]);
  });

  test('drafts: create, get (5 units), list, send, then the draft is gone (404) and SENT has its bytes', () => {
    const world = makeWorld();
    const { Gmail } = world.globals;
    const bytes = crlf(raw('Message-ID: <draft-1@cabinet-durand.fr>\r\n'));
    const draft = Gmail.Users.Drafts.create({ message: { raw: toBase64Url(bytes) } }, 'me');
    expect(draft.id).toMatch(/^r\d+$/);
    expect(draft.message.labelIds).toEqual(['DRAFT']);
    expect(Gmail.Users.Drafts.get('me', draft.id).message.id).toBe(draft.message.id);
    expect(Gmail.Users.Drafts.list('me').drafts!.map((entry) => entry.id)).toEqual([draft.id]);
    const unitsBefore = world.accounting.total.gmailUnits;
    const sent = Gmail.Users.Drafts.send({ id: draft.id }, 'me');
    expect(world.accounting.total.gmailUnits - unitsBefore).toBe(100);
    expect(() => Gmail.Users.Drafts.get('me', draft.id)).toThrow(
      'API call to gmail.users.drafts.get failed with error: Requested entity was not found.',
    );
    expect(() => Gmail.Users.Drafts.send({ id: draft.id }, 'me')).toThrow('Requested entity was not found.');
    expect(world.mailbox.sentMessages().map((entry) => [entry.id, Buffer.from(entry.raw).toString()])).toEqual([
      [sent.id, Buffer.from(bytes).toString()],
    ]);
    expect(world.mailbox.drafts()).toEqual([]);
    expect(world.accounting.total.calls['Gmail.Users.Drafts.get']).toBe(2);
    expect(world.accounting.total.gmailUnits).toBe(10 + 5 + 5 + 100 + 5 + 100);
  });

  test('drafts.remove deletes the draft and its message', () => {
    const world = makeWorld();
    const { Gmail } = world.globals;
    const draft = Gmail.Users.Drafts.create({ message: { raw: toBase64Url(crlf(raw())) } }, 'me');
    Gmail.Users.Drafts.remove('me', draft.id);
    expect(world.mailbox.getMessage(draft.message.id)).toBeUndefined();
    expect(() => Gmail.Users.Drafts.remove('me', draft.id)).toThrow(
      'API call to gmail.users.drafts.delete failed with error: Requested entity was not found.',
    );
  });

  test('raw given as a message/rfc822 Blob (mediaData) and as a byte array', () => {
    const world = makeWorld();
    const { Gmail } = world.globals;
    const { FakeBlob } = jest.requireActual('../../../emulator/services/blob') as typeof import('../../../emulator/services/blob');
    const bytes = crlf(raw('Message-ID: <blob@x>\r\n'));
    const fromBlob = Gmail.Users.Messages.send({}, 'me', new FakeBlob(bytes, 'message/rfc822'));
    expect(world.mailbox.getMessage(fromBlob.id)!.raw).toEqual(bytes);
    const signed = Array.from(bytes, (value) => (value > 127 ? value - 256 : value));
    const fromArray = Gmail.Users.Messages.send({ raw: signed }, 'me');
    expect(world.mailbox.getMessage(fromArray.id)!.raw).toEqual(bytes);
  });
});

// https://developers.google.com/workspace/gmail/api/reference/quota
describe('per-user quota: 15,000 units per minute (users quota page)', () => {
  test('the 151st messages.send within a minute gets 429 User-rate limit exceeded; it passes after the window', () => {
    // Through the core directly: no latency between calls, so all 151 fall in the same minute.
    const fresh = makeWorld();
    const api = fresh.globals.core;
    const sendOne = () => api.sendMessage('me', Buffer.from(`To: client@acme.fr\r\nSubject: x\r\n\r\nx`));
    for (let i = 0; i < 150; i++) sendOne();
    let refused: unknown;
    try {
      sendOne();
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 429, message: 'User-rate limit exceeded', reason: 'userRateLimitExceeded' });
    expect(fresh.quotas.remainingGmailUnits()).toBe(0);
    fresh.clock.advance(59_999);
    expect(() => sendOne()).toThrow('User-rate limit exceeded');
    fresh.clock.advance(1);
    expect(() => sendOne()).not.toThrow();
    expect(fresh.mailbox.sentMessages()).toHaveLength(151);
  });

  test('through the Advanced service the 429 is a GoogleJsonResponseException', () => {
    const world = makeWorld({ quotas: { limits: { gmailUnitsPerMinute: 12 } } });
    const { Gmail } = world.globals;
    Gmail.Users.Messages.list('me');
    Gmail.Users.Messages.list('me');
    expect(() => Gmail.Users.Messages.list('me')).toThrow(
      'API call to gmail.users.messages.list failed with error: User-rate limit exceeded',
    );
  });
});

describe('transient faults and unemulated members', () => {
  test('injected faults surface as the Advanced service and GmailApp throw them, and change nothing', () => {
    const world = makeWorld({ faults: { seed: 3, rate: 1 } });
    const { Gmail, GmailApp } = world.globals;
    const messages = new Set<string>();
    for (let i = 0; i < 30; i++) {
      try {
        Gmail.Users.Messages.send({ raw: toBase64Url(crlf('To: a@acme.fr\r\nSubject: x\r\n\r\nx')) }, 'me');
      } catch (error) {
        messages.add((error as Error).message);
      }
    }
    expect([...messages].sort()).toEqual([
      'API call to gmail.users.messages.send failed with error: Backend Error',
      'API call to gmail.users.messages.send failed with error: Rate Limit Exceeded',
      'API call to gmail.users.messages.send failed with error: The service is currently unavailable.',
      "We're sorry, a server error occurred. Please wait a bit and try again.",
    ]);
    expect(world.mailbox.sentMessages()).toEqual([]);
    const appMessages = new Set<string>();
    for (let i = 0; i < 30; i++) {
      try {
        GmailApp.sendEmail('a@acme.fr', 's', 'b');
      } catch (error) {
        appMessages.add((error as Error).message);
      }
    }
    expect([...appMessages].sort()).toEqual([
      'Service invoked too many times in a short time: gmail. Try Utilities.sleep(1000) between calls.',
      "We're sorry, a server error occurred. Please wait a bit and try again.",
    ]);
    expect(world.mailbox.sentMessages()).toEqual([]);
  });

  test('real members we do not emulate throw "Not emulated"', () => {
    const { Gmail } = makeWorld().globals;
    expect(() => (Gmail.Users as unknown as { Threads: unknown }).Threads).toThrow('Not emulated: Gmail.Users.Threads');
    expect(() => (Gmail.Users.Messages as unknown as { insert: unknown }).insert).toThrow('Not emulated: Gmail.Users.Messages.insert');
  });
});

describe('nested mail imported by every path', () => {
  test('importEmlDir and importMbox give the same messages as importRaw', () => {
    const fs = jest.requireActual('node:fs') as typeof import('node:fs');
    const os = jest.requireActual('node:os') as typeof import('node:os');
    const path = jest.requireActual('node:path') as typeof import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmail-import-'));
    fs.writeFileSync(path.join(dir, 'a.eml'), nestedEml());
    fs.writeFileSync(
      path.join(dir, 'b.eml'),
      simpleEml({ id: 'b', from: 'a@x.fr', to: USER, subject: 'B', date: 'Mon, 12 Jan 2026 10:00:00 +0000', body: 'From here\r\nhello' }),
    );
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    const world = makeWorld();
    const fromDir = world.mailbox.importEmlDir(dir);
    expect(fromDir.map((message) => message.view.subject)).toEqual(['Facture n°42 – reçu', 'B']);
    const mbox = Buffer.concat([
      Buffer.from('From zoe@fournisseur.fr Tue Jan 13 10:00:00 2026\n'),
      Buffer.from(nestedEml()),
      Buffer.from('\nFrom a@x.fr Mon Jan 12 10:00:00 2026\n'),
      Buffer.from(
        Buffer.from(
          simpleEml({
            id: 'b',
            from: 'a@x.fr',
            to: USER,
            subject: 'B',
            date: 'Mon, 12 Jan 2026 10:00:00 +0000',
            body: '>From here\r\nhello',
          }),
        )
          .toString()
          .replace(/\r\n/g, '\n'),
      ),
    ]);
    fs.writeFileSync(path.join(dir, 'box.mbox'), mbox);
    const fromMbox = makeWorld().mailbox.importMbox(path.join(dir, 'box.mbox'));
    expect(fromMbox.map((message) => message.view.subject)).toEqual(['Facture n°42 – reçu', 'B']);
    expect(fromMbox[0].raw).toEqual(fromDir[0].raw);
    expect(fromMbox[1].view.plain).toBe('From here\r\nhello\r\n');
    expect(fromMbox.every((message) => message.unread && message.labelIds.has('INBOX'))).toBe(true);
  });
});
