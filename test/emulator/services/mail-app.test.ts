// MailApp.sendEmail in its four documented overloads and getRemainingDailyQuota, run as scripts in
// the emulator: each send is a real RFC 5322 message (parsed back with mailparser) in the shared
// mailbox's SENT, seen by the Advanced Gmail service too, and its recipients (To + Cc + Bcc) come off
// the daily recipients quota. https://developers.google.com/apps-script/reference/mail/mail-app

import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';
import { addressesOf, simpleParser } from '../../unit/send/parse-mail';

const script = `
  function quota() { return MailApp.getRemainingDailyQuota(); }
  function threeArgs() { MailApp.sendEmail('client@exemple.fr', 'Facture janvier', 'Bonjour,\\nVotre facture.'); }
  function withOptions() {
    var pdf = Utilities.newBlob('%PDF-1.4 facture', 'application/pdf', 'F-001.pdf');
    var logo = Utilities.newBlob([137, 80, 78, 71, 13, 10, 26, 10], 'image/png', 'logo.png');
    MailApp.sendEmail('client@exemple.fr', 'Votre facture F-001 – janvier', 'Texte brut', {
      htmlBody: '<p>Bonjour <b>Zoë</b></p><img src="cid:logo">',
      attachments: [pdf],
      inlineImages: { logo: logo },
      cc: 'associe@exemple.fr',
      bcc: 'archive@exemple.fr, audit@exemple.fr',
      name: 'Comptabilité Démo',
      replyTo: 'compta-reponses@opticiens-demo.fr',
    });
  }
  function noReply() { MailApp.sendEmail('client@exemple.fr', 'Sans réponse', 'x', { noReply: true }); }
  function replyToForm() { MailApp.sendEmail('client@exemple.fr', 'reponses@opticiens-demo.fr', 'Objet 4 args', 'Corps'); }
  function messageForm() {
    MailApp.sendEmail({ to: 'a@exemple.fr, b@exemple.fr', subject: 'Objet', htmlBody: '<i>html</i>', body: 'texte', name: 'Équipe' });
  }
  function messageWithoutTo() { MailApp.sendEmail({ subject: 'x', body: 'y' }); }
  function badAddress() { MailApp.sendEmail('pas-une-adresse', 'x', 'y'); }
  function many(n) { for (var i = 0; i < n; i++) MailApp.sendEmail('c' + i + '@exemple.fr', 'n' + i, 'b'); }
  function seenByAdvanced() {
    var list = Gmail.Users.Messages.list('me', { q: 'in:sent' });
    return (list.messages || []).map(function (m) { return Gmail.Users.Messages.get('me', m.id, { format: 'metadata' }).labelIds; });
  }
`;

function setup(options: Parameters<typeof Workspace.create>[0] = {}) {
  const workspace = Workspace.create(options);
  return { workspace, runner: new Runner(workspace, { source: script }) };
}

async function lastSent(workspace: Workspace) {
  const sent = workspace.mailbox.sentMessages();
  return simpleParser(Buffer.from(sent[sent.length - 1].raw));
}

describe('MailApp.sendEmail(recipient, subject, body)', () => {
  it('puts a real message in SENT, from the user, and takes one recipient from the daily quota', async () => {
    const { workspace, runner } = setup();
    expect(runner.menu('quota').value).toBe(1500);
    expect(runner.menu('threeArgs').outcome).toBe('completed');
    const mail = await lastSent(workspace);
    expect(mail.subject).toBe('Facture janvier');
    expect(addressesOf(mail.from)).toEqual([{ name: '', address: 'compta@opticiens-demo.fr' }]);
    expect(addressesOf(mail.to)).toEqual([{ name: '', address: 'client@exemple.fr' }]);
    expect(mail.text?.trim()).toBe('Bonjour,\nVotre facture.');
    expect(mail.messageId).toMatch(/^<.+@mail\.gmail\.com>$/);
    expect(runner.menu('quota').value).toBe(1499);
    expect(workspace.accounting.total.calls['MailApp.sendEmail']).toBe(1);
  });
});

describe('MailApp.sendEmail(recipient, subject, body, options)', () => {
  it('honours htmlBody, attachments, inlineImages, cc, bcc, name and replyTo; counts To + Cc + Bcc', async () => {
    const { workspace, runner } = setup();
    expect(runner.menu('withOptions').outcome).toBe('completed');
    const mail = await lastSent(workspace);
    expect(mail.subject).toBe('Votre facture F-001 – janvier');
    expect(addressesOf(mail.from)).toEqual([{ name: 'Comptabilité Démo', address: 'compta@opticiens-demo.fr' }]);
    expect(addressesOf(mail.cc)).toEqual([{ name: '', address: 'associe@exemple.fr' }]);
    expect(addressesOf(mail.bcc).map((a) => a.address)).toEqual(['archive@exemple.fr', 'audit@exemple.fr']);
    expect(addressesOf(mail.replyTo)).toEqual([{ name: '', address: 'compta-reponses@opticiens-demo.fr' }]);
    expect(mail.html).toContain('<b>Zoë</b>');
    expect(mail.text?.trim()).toBe('Texte brut');
    const pdf = mail.attachments.find((a) => a.filename === 'F-001.pdf');
    expect(pdf?.contentType).toBe('application/pdf');
    expect(pdf?.content.toString()).toBe('%PDF-1.4 facture');
    const logo = mail.attachments.find((a) => a.contentType === 'image/png') as { contentId?: string; content: Buffer } | undefined;
    expect(logo?.contentId).toBe('<logo>');
    expect([...logo!.content]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(runner.menu('quota').value).toBe(1500 - 4);
  });

  it('sends from noreply@<domain> with noReply', async () => {
    const { workspace, runner } = setup();
    runner.menu('noReply');
    expect(addressesOf((await lastSent(workspace)).from)[0].address).toBe('noreply@opticiens-demo.fr');
  });
});

describe('MailApp.sendEmail(to, replyTo, subject, body) and sendEmail(message)', () => {
  it('reads the four-string form as to, replyTo, subject, body', async () => {
    const { workspace, runner } = setup();
    runner.menu('replyToForm');
    const mail = await lastSent(workspace);
    expect(mail.subject).toBe('Objet 4 args');
    expect(mail.text?.trim()).toBe('Corps');
    expect(addressesOf(mail.replyTo)[0].address).toBe('reponses@opticiens-demo.fr');
  });

  it('reads the one-object form (to, subject, body, htmlBody, name)', async () => {
    const { workspace, runner } = setup();
    runner.menu('messageForm');
    const mail = await lastSent(workspace);
    expect(addressesOf(mail.to).map((a) => a.address)).toEqual(['a@exemple.fr', 'b@exemple.fr']);
    expect(mail.html).toContain('<i>html</i>');
    expect(addressesOf(mail.from)[0].name).toBe('Équipe');
    expect(runner.menu('quota').value).toBe(1498);
  });

  it('refuses a message without `to` and a bad address, sending nothing and taking no quota', () => {
    const { workspace, runner } = setup();
    expect(runner.menu('messageWithoutTo').error?.message).toBe('Invalid argument: to');
    expect(runner.menu('badAddress').error?.message).toBe('Invalid email: pas-une-adresse');
    expect(workspace.mailbox.sentMessages()).toHaveLength(0);
    expect(runner.menu('quota').value).toBe(1500);
  });
});

describe('the daily recipients quota', () => {
  it("refuses the send that would exceed it, with Apps Script's message (consumer: 100 a day)", () => {
    const { workspace, runner } = setup({ user: 'someone@gmail.com' });
    expect(runner.menu('quota').value).toBe(100);
    const result = runner.invoke('many', [101]);
    expect(result.outcome).toBe('threw');
    expect(result.error?.message).toBe('Service invoked too many times for one day: email.');
    expect(workspace.mailbox.sentMessages()).toHaveLength(100);
    expect(runner.menu('quota').value).toBe(0);
    runner.advanceAndFire(24 * 60 * 60_000);
    expect(runner.menu('quota').value).toBe(100);
  });
});

describe('one mailbox for every view', () => {
  it('shows a MailApp send to the Advanced Gmail service as SENT', () => {
    const { runner } = setup({ container: false });
    runner.menu('threeArgs');
    expect(runner.menu('seenByAdvanced').value).toEqual([['SENT']]);
  });
});
