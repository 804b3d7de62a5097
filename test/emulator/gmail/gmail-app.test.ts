// GmailApp over the same mailbox: thread-level search and labels, messages read from real bytes,
// attachments with and without inline images, sendEmail / createDraft building real MIME that mailparser
// reads back, drafts sent once, the recipients-per-day quota and "Not emulated" members.

import { FakeBlob } from '../../../emulator/services/blob';
import { FakeGmailAttachment } from '../../../emulator/gmail/gmail-app';
import { JPEG_BYTES, makeWorld, nestedEml, parseWithMailparser, PDF_BYTES, PNG_BYTES, simpleEml, USER, type World } from './world';
import { createHash } from 'node:crypto';

function threadWorld(): { world: World; rootId: string; replyId: string; loneId: string } {
  const world = makeWorld();
  const root = world.mailbox.importRaw(
    simpleEml({
      id: 'root',
      from: 'Zoé <zoe@fournisseur.fr>',
      to: USER,
      subject: 'Facture 7',
      date: 'Mon, 12 Jan 2026 10:00:00 +0000',
      body: 'Voici la facture 7',
    }),
  );
  const reply = world.mailbox.importRaw(
    simpleEml({
      id: 'reply',
      from: USER,
      to: 'zoe@fournisseur.fr',
      subject: 'RE: Facture 7',
      date: 'Mon, 12 Jan 2026 11:00:00 +0000',
      body: 'Merci',
      references: '<root@example.org>',
    }),
  );
  const lone = world.mailbox.importRaw(
    simpleEml({
      id: 'lone',
      from: 'paul@client.fr',
      to: USER,
      subject: 'Question',
      date: 'Tue, 13 Jan 2026 11:00:00 +0000',
      body: 'Une question',
    }),
  );
  return { world, rootId: root.id, replyId: reply.id, loneId: lone.id };
}

// https://developers.google.com/apps-script/reference/gmail/gmail-app#search(String,Integer,Integer)
describe('GmailApp threads and labels (reference/gmail/gmail-app)', () => {
  test('search returns threads (newest first) whose messages match; start/max page them', () => {
    const { world, rootId, loneId } = threadWorld();
    const { GmailApp } = world.globals;
    expect(GmailApp.search('in:inbox').map((thread) => thread.getId())).toEqual([loneId, rootId]);
    expect(GmailApp.search('merci').map((thread) => thread.getId())).toEqual([rootId]);
    expect(GmailApp.search('in:inbox', 1, 1).map((thread) => thread.getId())).toEqual([rootId]);
    expect(() => GmailApp.search('foo:bar')).toThrow('Invalid argument: query (Unknown search operator "foo:" in query: foo:bar)');
    const thread = GmailApp.search('facture')[0];
    expect(thread.getMessages().map((message) => message.getSubject())).toEqual(['Facture 7', 'RE: Facture 7']);
    expect(thread.getFirstMessageSubject()).toBe('Facture 7');
    expect(thread.getMessageCount()).toBe(2);
  });

  test('labels are thread-level in GmailApp and land on every message; the API sees them per message', () => {
    const { world, rootId, replyId, loneId } = threadWorld();
    const { GmailApp, Gmail } = world.globals;
    const label = GmailApp.createLabel('Postroom/imported');
    expect(GmailApp.createLabel('Postroom/imported').getName()).toBe('Postroom/imported');
    expect(GmailApp.getUserLabelByName('postroom/imported')!.getName()).toBe('Postroom/imported');
    expect(GmailApp.getUserLabelByName('INBOX')).toBeNull();
    const thread = GmailApp.getThreadById(rootId)!;
    thread.addLabel(label);
    const labelId = Gmail.Users.Labels.list('me').labels.find((entry) => entry.name === 'Postroom/imported')!.id;
    expect(Gmail.Users.Messages.get('me', rootId, { format: 'minimal' }).labelIds).toContain(labelId);
    expect(Gmail.Users.Messages.get('me', replyId, { format: 'minimal' }).labelIds).toContain(labelId);
    expect(Gmail.Users.Messages.get('me', loneId, { format: 'minimal' }).labelIds).not.toContain(labelId);
    expect(thread.getLabels().map((entry) => entry.getName())).toEqual(['Postroom/imported']);
    expect(label.getThreads().map((entry) => entry.getId())).toEqual([rootId]);
    // The API labels one message only; GmailApp still shows the label on the thread.
    Gmail.Users.Messages.modify({ removeLabelIds: [labelId] }, 'me', replyId);
    expect(GmailApp.getThreadById(rootId)!.getLabels()).toHaveLength(1);
    thread.removeLabel(label);
    expect(GmailApp.getThreadById(rootId)!.getLabels()).toHaveLength(0);
    expect(GmailApp.search('label:postroom-imported')).toHaveLength(0);
  });

  test('markRead / markUnread / moveToTrash act on the whole thread; unread counts follow', () => {
    const { world, rootId } = threadWorld();
    const { GmailApp } = world.globals;
    expect(GmailApp.getInboxUnreadCount()).toBe(2);
    const thread = GmailApp.getThreadById(rootId)!;
    thread.markRead();
    expect(thread.isUnread()).toBe(false);
    expect(GmailApp.getInboxUnreadCount()).toBe(1);
    thread.markUnread();
    expect(thread.getMessages().every((message) => message.isUnread())).toBe(true);
    thread.moveToTrash();
    expect(thread.isInTrash()).toBe(true);
    expect(GmailApp.search('facture')).toHaveLength(0);
    expect(GmailApp.search('in:trash facture')).toHaveLength(1);
  });

  test('messages: headers, dates, bodies and raw content come from the bytes', () => {
    const world = makeWorld();
    const id = world.mailbox.importRaw(nestedEml()).id;
    const message = world.globals.GmailApp.getMessageById(id)!;
    expect(message.getFrom()).toBe('Zoë Martin <zoe@fournisseur.fr>');
    expect(message.getTo()).toBe(`Compta <${USER}>`);
    expect(message.getCc()).toBe('archive@cabinet-durand.fr');
    expect(message.getSubject()).toBe('Facture n°42 – reçu');
    expect(message.getDate().getTime()).toBe(Date.parse('2026-01-13T09:00:00Z'));
    expect(message.getPlainBody()).toBe('Bonjour, voici la facture. Montant dû : 120 EUR. Référence INV-2026-042.');
    expect(message.getBody()).toContain('<b>facture</b>');
    expect(message.getHeader('Message-ID')).toBe('<nested-1@fournisseur.fr>');
    expect(message.getHeader('X-Absent')).toBe('');
    expect(message.getRawContent()).toBe(Buffer.from(nestedEml()).toString('utf8'));
    expect(message.getThread().getId()).toBe(id);
    expect(world.globals.GmailApp.getMessageById('00000000000000ff')).toBeNull();
  });

  test('getAttachments: attachments and inline images by default; each option filters; getSize / getHash', () => {
    const world = makeWorld();
    const id = world.mailbox.importRaw(nestedEml()).id;
    const message = world.globals.GmailApp.getMessageById(id)!;
    const all = message.getAttachments();
    expect(all.map((attachment) => [attachment.getName(), attachment.getContentType()])).toEqual([
      ['logo@fournisseur', 'image/png'],
      ['Reçu.pdf', 'application/pdf'],
      ['Commande initiale.eml', 'message/rfc822'],
    ]);
    expect(all[0]).toBeInstanceOf(FakeBlob);
    expect(all[0]).toBeInstanceOf(FakeGmailAttachment);
    expect(all[1].getSize()).toBe(PDF_BYTES.length);
    expect(all[1].getHash()).toBe(createHash('sha1').update(PDF_BYTES).digest('hex'));
    expect(Buffer.from(all[0].getBytes().map((byte) => byte & 0xff))).toEqual(Buffer.from(PNG_BYTES));
    expect(message.getAttachments({ includeInlineImages: false }).map((attachment) => attachment.getName())).toEqual([
      'Reçu.pdf',
      'Commande initiale.eml',
    ]);
    expect(message.getAttachments({ includeAttachments: false }).map((attachment) => attachment.getName())).toEqual(['logo@fournisseur']);
    expect(JPEG_BYTES.length).toBeGreaterThan(0);
  });

  test('members that are not emulated say so', () => {
    const { world, rootId } = threadWorld();
    const { GmailApp } = world.globals;
    expect(() => GmailApp.getAliases()).toThrow('Not emulated: GmailApp.getAliases');
    expect(() => GmailApp.getThreadById(rootId)!.reply('x')).toThrow('Not emulated: GmailThread.reply');
  });
});

// https://developers.google.com/apps-script/reference/gmail/gmail-app#sendEmail(String,String,String,Object)
describe('GmailApp.sendEmail and drafts build real MIME (gmail-app#sendEmail)', () => {
  test('sendEmail with htmlBody, attachments, cc, bcc, name, replyTo: mailparser reads it all back from SENT', async () => {
    const world = makeWorld();
    const pdf = new FakeBlob(PDF_BYTES, 'application/pdf', 'Facture été 2026.pdf');
    world.globals.GmailApp.sendEmail('client@acme.fr', 'Votre facture n°42', 'Bonjour,\nci-joint la facture.', {
      htmlBody: '<p>Bonjour,<br>ci-joint la <b>facture</b>.</p>',
      attachments: [pdf as unknown as GoogleAppsScript.Base.BlobSource],
      cc: 'associe@acme.fr',
      bcc: 'archive@cabinet-durand.fr',
      name: 'Cabinet Durand',
      replyTo: 'facturation@cabinet-durand.fr',
    });
    const [sent] = world.mailbox.sentMessages();
    const parsed = await parseWithMailparser(sent.raw);
    expect(parsed.subject).toBe('Votre facture n°42');
    expect(parsed.from!.value).toEqual([{ address: USER, name: 'Cabinet Durand' }]);
    expect(parsed.cc!.value.map((entry) => entry.address)).toEqual(['associe@acme.fr']);
    expect(parsed.bcc!.value.map((entry) => entry.address)).toEqual(['archive@cabinet-durand.fr']);
    expect(parsed.replyTo!.value.map((entry) => entry.address)).toEqual(['facturation@cabinet-durand.fr']);
    expect(parsed.text).toBe('Bonjour,\nci-joint la facture.');
    expect(parsed.html).toContain('<b>facture</b>');
    expect(parsed.attachments.map((attachment) => [attachment.filename, attachment.contentType])).toEqual([
      ['Facture été 2026.pdf', 'application/pdf'],
    ]);
    expect(Buffer.from(parsed.attachments[0].content)).toEqual(Buffer.from(PDF_BYTES));
    expect(parsed.messageId).toMatch(/^<CA[0-9a-f]+@mail\.gmail\.com>$/);
    expect(world.quotas.remainingRecipients()).toBe(100 - 3);
    expect(world.accounting.total.recipients).toBe(3);
    // The API view of the sent message: its attachment has the decoded RFC 2231 name.
    const payload = world.globals.core.getMessage('me', sent.id).payload!;
    expect(payload.parts!.map((part) => part.filename)).toEqual(['', 'Facture été 2026.pdf']);
  });

  test('recipients per day: the consumer quota (100) refuses the send that would exceed it', () => {
    const world = makeWorld();
    const { GmailApp } = world.globals;
    const many = Array.from({ length: 60 }, (_, i) => `c${i}@acme.fr`).join(', ');
    GmailApp.sendEmail(many, 'Lot 1', 'x');
    expect(() => GmailApp.sendEmail(many, 'Lot 2', 'x')).toThrow('Service invoked too many times for one day: email.');
    expect(world.mailbox.sentMessages().map((entry) => entry.subject)).toEqual(['Lot 1']);
    expect(world.quotas.remainingRecipients()).toBe(40);
    const workspace = makeWorld({ quotas: { workspace: true } });
    workspace.globals.GmailApp.sendEmail(many, 'Lot 1', 'x');
    workspace.globals.GmailApp.sendEmail(many, 'Lot 2', 'x');
    expect(workspace.quotas.remainingRecipients()).toBe(1500 - 120);
  });

  test('invalid addresses and a foreign from are refused before anything is sent', () => {
    const world = makeWorld();
    const { GmailApp } = world.globals;
    expect(() => GmailApp.sendEmail('not-an-address', 's', 'b')).toThrow('Invalid email: not-an-address');
    expect(() => GmailApp.sendEmail('a@acme.fr', 's', 'b', { cc: 'x@@y' })).toThrow('Invalid email: x@@y');
    expect(() => GmailApp.sendEmail('a@acme.fr', 's', 'b', { from: 'boss@acme.fr' })).toThrow('Invalid argument: from');
    expect(world.mailbox.sentMessages()).toEqual([]);
  });

  test('createDraft puts the bytes in DRAFT; GmailDraft.send moves them to SENT once', async () => {
    const world = makeWorld();
    const { GmailApp } = world.globals;
    const draft = GmailApp.createDraft('client@acme.fr', 'Relance', 'Merci de régler.', { htmlBody: '<p>Merci de régler.</p>' });
    const draftMessageId = draft.getMessageId();
    expect(world.mailbox.getMessage(draftMessageId)!.labelIds.has('DRAFT')).toBe(true);
    expect(GmailApp.getDrafts().map((entry) => entry.getId())).toEqual([draft.getId()]);
    const bytes = world.mailbox.getMessage(draftMessageId)!.raw;
    const sent = draft.send();
    expect(world.mailbox.getMessage(draftMessageId)).toBeUndefined();
    expect(world.mailbox.getMessage(sent.getId())!.raw).toEqual(bytes);
    expect((await parseWithMailparser(bytes)).text).toBe('Merci de régler.');
    expect(() => draft.send()).toThrow('Draft not found');
    expect(world.mailbox.sentMessages()).toHaveLength(1);
  });
});
