// GmailThread.moveToArchive / moveToInbox / moveToTrash and GmailApp's moveThread(s)To… / moveMessage(s)ToTrash:
// labels INBOX and TRASH on every message of the thread, in the one mailbox, so the Advanced service
// (and the REST API over the same core) sees the move. https://developers.google.com/apps-script/reference/gmail/gmail-thread

import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';

const script = `
  function labels(id) { return Gmail.Users.Messages.get('me', id, { format: 'minimal' }).labelIds.slice().sort(); }
  function threadOf(subject) { return GmailApp.search('subject:"' + subject + '" in:anywhere')[0]; }
  function archive(subject) { var t = threadOf(subject); t.moveToArchive(); return [t.isInInbox(), t.getMessages().map(function (m) { return labels(m.getId()); })]; }
  function inbox(subject) { var t = threadOf(subject); t.moveToInbox(); return [t.isInInbox(), t.isInTrash(), t.getMessages().map(function (m) { return labels(m.getId()); })]; }
  function trash(subject) { var t = threadOf(subject); t.moveToTrash(); return [t.isInTrash(), t.getMessages().map(function (m) { return labels(m.getId()); })]; }
  function appMoves(a, b) {
    GmailApp.moveThreadsToArchive([threadOf(a), threadOf(b)]);
    var archived = GmailApp.search('in:inbox').length;
    GmailApp.moveThreadToInbox(threadOf(a));
    GmailApp.moveMessageToTrash(threadOf(b).getMessages()[0]);
    return [archived, GmailApp.search('in:inbox').length, GmailApp.search('in:trash').length];
  }
  function restLabels(id) {
    var response = UrlFetchApp.fetch('https://gmail.googleapis.com/gmail/v1/users/me/messages/' + id + '?format=minimal', {
      headers: { Authorization: 'Bearer ' + ScriptApp.getOAuthToken() },
    });
    return JSON.parse(response.getContentText()).labelIds.slice().sort();
  }
  function archiveSeenByRest(subject) { var t = threadOf(subject); t.moveToArchive(); return t.getMessages().map(function (m) { return restLabels(m.getId()); }); }
  function badThread() { GmailApp.moveThreadToArchive({ getId: function () { return 'nope'; } }); }
`;

function eml(subject: string, id: string, inReplyTo?: string): Uint8Array {
  const lines = [
    `From: Fournisseur <factures@fournisseur.fr>`,
    'To: compta@opticiens-demo.fr',
    `Subject: ${inReplyTo ? 'Re: ' : ''}${subject}`,
    `Message-ID: <${id}@fournisseur.fr>`,
    'Date: Tue, 13 Jan 2026 10:00:00 +0100',
  ];
  if (inReplyTo) lines.push(`In-Reply-To: <${inReplyTo}@fournisseur.fr>`, `References: <${inReplyTo}@fournisseur.fr>`);
  return new Uint8Array(Buffer.from(`${lines.join('\r\n')}\r\n\r\nCorps\r\n`));
}

function setup() {
  const workspace = Workspace.create();
  workspace.mailbox.importRaw(eml('Facture 1', 'a1'));
  workspace.mailbox.importRaw(eml('Facture 1', 'a2', 'a1'));
  workspace.mailbox.importRaw(eml('Facture 2', 'b1'));
  return { workspace, runner: new Runner(workspace, { source: script }) };
}

describe('GmailThread moves', () => {
  it('moveToArchive takes INBOX off every message of the thread (the API sees it)', () => {
    const { runner } = setup();
    const result = runner.invoke('archive', ['Facture 1']);
    expect(result.value).toEqual([false, [['UNREAD'], ['UNREAD']]]);
  });

  it('moveToTrash puts TRASH on every message and takes INBOX off; moveToInbox brings it back', () => {
    const { runner } = setup();
    expect(runner.invoke('trash', ['Facture 1']).value).toEqual([
      true,
      [
        ['TRASH', 'UNREAD'],
        ['TRASH', 'UNREAD'],
      ],
    ]);
    expect(runner.invoke('inbox', ['Facture 1']).value).toEqual([
      true,
      false,
      [
        ['INBOX', 'UNREAD'],
        ['INBOX', 'UNREAD'],
      ],
    ]);
  });

  it('is seen by the Gmail REST API through UrlFetchApp too', () => {
    const { runner } = setup();
    expect(runner.invoke('archiveSeenByRest', ['Facture 1']).value).toEqual([['UNREAD'], ['UNREAD']]);
  });

  it('leaves the other threads alone', () => {
    const { workspace, runner } = setup();
    runner.invoke('archive', ['Facture 1']);
    const other = workspace.mailbox.dumpState().filter((m) => m.labels.includes('INBOX'));
    expect(other).toHaveLength(1);
  });
});

describe('GmailApp moveThread(s)To… and moveMessageToTrash', () => {
  it('archive, un-archive and trash through GmailApp', () => {
    const { runner } = setup();
    expect(runner.invoke('appMoves', ['Facture 1', 'Facture 2']).value).toEqual([0, 1, 1]);
  });

  it('refuses a thread that does not exist, changing nothing', () => {
    const { workspace, runner } = setup();
    expect(runner.menu('badThread').error?.message).toBe('Invalid argument: thread');
    expect(workspace.mailbox.dumpState().every((m) => m.labels.includes('INBOX'))).toBe(true);
  });
});
