// What the emulated Gmail learnt for the send extras: an exported .eml carrying `X-Gmail-Labels: DRAFT`
// becomes a draft (drafts.list / drafts.get raw), send-as aliases in Gmail's settings.sendAs shape over
// REST and the Advanced service, a From outside the verified aliases replaced by the primary address,
// and an address set to bounce answering with an RFC 3464 notice that refers to the sent message.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBounce, permanentFailures } from '../../../src/server/domain/send/bounce';
import { gmailDraftEml, PDF_CGV, PNG_1X1 } from '../../fixtures/gmail-draft';
import { crlf, makeWorld, TOKEN, toBase64Url, USER } from './world';

const API = 'https://gmail.googleapis.com/gmail/v1/users/me';
const auth = { Authorization: `Bearer ${TOKEN}` };

describe('drafts imported from .eml files', () => {
  test('X-Gmail-Labels: DRAFT makes a draft listed and read over REST; other labels map to system labels', () => {
    const world = makeWorld();
    const dir = mkdtempSync(join(tmpdir(), 'drafts-'));
    writeFileSync(
      join(dir, '1-draft.eml'),
      gmailDraftEml({
        subject: 'Facture {{key}}',
        text: 'Bonjour {{nom}}',
        html: '<p>{{nom}}</p><img src="cid:logo">',
        inline: { cid: 'logo', filename: 'logo.png', bytes: PNG_1X1 },
        attachment: { filename: 'CGV.pdf', bytes: PDF_CGV },
      }),
    );
    writeFileSync(
      join(dir, '2-sent.eml'),
      crlf(`X-Gmail-Labels: Sent,Starred\nFrom: ${USER}\nTo: a@x.fr\nSubject: old\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n\nhello\n`),
    );
    writeFileSync(
      join(dir, '3-plain.eml'),
      crlf(`From: a@x.fr\nTo: ${USER}\nSubject: hi\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n\nhello\n`),
    );
    world.mailbox.importEmlDir(dir);
    const list = JSON.parse(world.UrlFetchApp.fetch(`${API}/drafts`, { headers: auth }).getContentText());
    expect(list.drafts).toHaveLength(1);
    const draft = JSON.parse(world.UrlFetchApp.fetch(`${API}/drafts/${list.drafts[0].id}?format=raw`, { headers: auth }).getContentText());
    expect(Buffer.from(draft.message.raw, 'base64url').toString('utf8')).toContain('Subject: Facture {{key}}');
    expect(draft.message.labelIds).toEqual(['DRAFT']);
    const labels = world.mailbox
      .dumpState()
      .map((m) => m.labels.join(','))
      .sort();
    expect(labels).toEqual(['DRAFT', 'INBOX,UNREAD', 'SENT,STARRED']);
  });
});

describe('send-as aliases (users.settings.sendAs)', () => {
  test('listed over REST and the Advanced service, primary first; a pending alias is listed as pending', () => {
    const world = makeWorld();
    world.mailbox.addSendAs({ email: 'factures@cabinet-durand.fr', displayName: 'Factures Durand' });
    world.mailbox.addSendAs({ email: 'nouveau@cabinet-durand.fr', verified: false });
    const rest = JSON.parse(world.UrlFetchApp.fetch(`${API}/settings/sendAs`, { headers: auth }).getContentText());
    expect(
      rest.sendAs.map((a: { sendAsEmail: string; isPrimary: boolean; verificationStatus: string }) => [
        a.sendAsEmail,
        a.isPrimary,
        a.verificationStatus,
      ]),
    ).toEqual([
      [USER, true, 'accepted'],
      ['factures@cabinet-durand.fr', false, 'accepted'],
      ['nouveau@cabinet-durand.fr', false, 'pending'],
    ]);
    const advanced = world.globals.Gmail.Users.Settings.SendAs.list('me');
    expect(advanced.sendAs).toHaveLength(3);
    expect(world.globals.Gmail.Users.Settings.SendAs.get('me', 'factures@cabinet-durand.fr').displayName).toBe('Factures Durand');
    expect(() => world.globals.Gmail.Users.Settings.SendAs.get('me', 'x@y.fr')).toThrow('Requested entity was not found.');
    expect(world.accounting.snapshot().calls['Gmail.REST.settings.sendAs.list']).toBe(1);
  });

  test('a send from an accepted alias keeps its From; from a pending or unknown address, Gmail puts the primary', () => {
    const world = makeWorld();
    world.mailbox.addSendAs({ email: 'factures@cabinet-durand.fr' });
    world.mailbox.addSendAs({ email: 'nouveau@cabinet-durand.fr', verified: false });
    const send = (from: string) => {
      const raw = crlf(`From: Compta <${from}>\nTo: client@x.fr\nSubject: s\n\nbody\n`);
      const response = world.UrlFetchApp.fetch(`${API}/messages/send`, {
        method: 'post',
        contentType: 'application/json',
        headers: auth,
        payload: JSON.stringify({ raw: toBase64Url(raw, false) }),
      });
      return world.mailbox.getMessage(JSON.parse(response.getContentText()).id)!.view.from;
    };
    expect(send('factures@cabinet-durand.fr')).toBe('Compta <factures@cabinet-durand.fr>');
    expect(send('nouveau@cabinet-durand.fr')).toBe(`Compta <${USER}>`);
    expect(send('someone@else.fr')).toBe(`Compta <${USER}>`);
  });
});

describe('bounces', () => {
  test('a send to an address set to bounce brings a notice into INBOX that refers to the sent message', () => {
    const world = makeWorld();
    world.mailbox.setBounce('nobody@client.fr', { style: 'postfix', delayMs: 30_000 });
    const raw = crlf(
      `From: ${USER}\nTo: nobody@client.fr, ok@client.fr\nSubject: Facture\nMessage-ID: <m1@cabinet-durand.fr>\nX-Postroom-Send-Id: run1/3\n\nbody\n`,
    );
    world.UrlFetchApp.fetch(`${API}/messages/send`, {
      method: 'post',
      contentType: 'application/json',
      headers: auth,
      payload: JSON.stringify({ raw: toBase64Url(raw, false) }),
    });
    const inbox = () =>
      JSON.parse(world.UrlFetchApp.fetch(`${API}/messages?labelIds=INBOX`, { headers: auth }).getContentText()).messages ?? [];
    expect(inbox()).toHaveLength(0);
    world.clock.advance(30_000);
    const [notice] = inbox();
    const full = JSON.parse(world.UrlFetchApp.fetch(`${API}/messages/${notice.id}?format=raw`, { headers: auth }).getContentText());
    const report = parseBounce(new Uint8Array(Buffer.from(full.raw, 'base64url')), USER)!;
    expect(report.original).toMatchObject({ sendId: 'run1/3', messageId: '<m1@cabinet-durand.fr>' });
    expect(permanentFailures(report).map((r) => r.recipient)).toEqual(['nobody@client.fr']);
    const search = JSON.parse(
      world.UrlFetchApp.fetch(`${API}/messages?q=${encodeURIComponent('from:mailer-daemon')}`, { headers: auth }).getContentText(),
    );
    expect(search.messages).toHaveLength(1);
  });
});
