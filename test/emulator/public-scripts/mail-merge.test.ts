// Google's "Mail merge" Apps Script sample, run UNCHANGED in the emulator (attributed copy in
// test/fixtures/public-scripts/mail-merge/, Apache-2.0). What it uses, and what this test checks:
// onOpen's menu (SpreadsheetApp.getUi().createMenu…addToUi), Browser.inputBox with
// Browser.Buttons.OK_CANCEL for the draft's subject, GmailApp.getDrafts / GmailDraft.getMessage /
// GmailMessage.getSubject, getBody, getPlainBody, getAttachments({includeInlineImages,
// includeAttachments}) for the template, Sheet.getDataRange().getDisplayValues(), GmailApp.sendEmail
// with htmlBody, attachments and inlineImages (or MailApp.sendEmail, the swap the sample's own comment
// suggests for Unicode), and Range.setValues of the "Email Sent" column (a Date, or the error's message).
// https://developers.google.com/apps-script/samples/automations/mail-merge

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';
import { addressesOf, simpleParser } from '../../unit/send/parse-mail';

const SAMPLE = readFileSync(join(__dirname, '../../fixtures/public-scripts/mail-merge/Code.js'), 'utf8');
const SUBJECT = 'Facture {{Invoice}} pour {{First name}}';
const PNG = [137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13];

// How a user prepares the template: a Gmail draft with an inline logo (alt = its file name, as Gmail
// writes it) and an attachment. Run as a script so the draft is what GmailApp itself composes.
const SETUP = `
  function makeTemplate(subject) {
    GmailApp.createDraft('', subject, 'Bonjour {{First name}},\\nVotre facture {{Invoice}} : {{Amount}}.', {
      htmlBody: '<p>Bonjour {{First name}},</p><p>Votre facture <b>{{Invoice}}</b> : {{Amount}}.</p><img src="cid:ii_logo" alt="logo.png" width="80">',
      inlineImages: { ii_logo: Utilities.newBlob(${JSON.stringify(PNG)}, 'image/png', 'logo.png') },
      attachments: [Utilities.newBlob('%PDF-1.4 conditions', 'application/pdf', 'Conditions.pdf')],
    });
  }
`;

const ROWS = [
  ['Recipient', 'First name', 'Invoice', 'Amount', 'Email Sent'],
  ['achats@clinique-saint-luc.fr', 'Claire', 'F-1001', '1 240,00 €', ''],
  ['intendance@lycee-jean-moulin.fr', 'Zoë', 'F-1003', '312,00 €', ''],
  ['pas-une-adresse', 'Marc', 'F-1008', '75,20 €', ''],
  ['deja@envoye.fr', 'Paul', 'F-1000', '10,00 €', '2026-01-02'],
  ['tresorier@vuepourtous.org', 'Léa', 'F-1007', '150,00 €', ''],
];

function setup(source: string) {
  const workspace = Workspace.create({ locale: 'en' });
  workspace.writeContainerTab('Sheet1', ROWS);
  new Runner(workspace, { source: SETUP }).invoke('makeTemplate', [SUBJECT]);
  return { workspace, runner: new Runner(workspace, { source }) };
}

function emailSentColumn(workspace: Workspace): unknown[] {
  return workspace.sheets
    .tabValues(workspace.containerId as string)
    .Sheet1.slice(1)
    .map((row) => row[4]);
}

async function checkMerge(workspace: Workspace) {
  const sent = workspace.mailbox.sentMessages();
  expect(sent.map((m) => m.to)).toEqual(['achats@clinique-saint-luc.fr', 'intendance@lycee-jean-moulin.fr', 'tresorier@vuepourtous.org']);
  const zoe = await simpleParser(Buffer.from(sent[1].raw));
  expect(zoe.subject).toBe('Facture F-1003 pour Zoë');
  expect(addressesOf(zoe.from)[0].address).toBe('compta@opticiens-demo.fr');
  expect(zoe.text?.trim()).toBe('Bonjour Zoë,\nVotre facture F-1003 : 312,00 €.');
  expect(zoe.html).toContain('<p>Votre facture <b>F-1003</b> : 312,00 €.</p>');
  // mailparser resolves the cid: reference to the inline part: the logo is the draft's image.
  expect(zoe.html).toContain(`<img src="data:image/png;base64,${Buffer.from(PNG).toString('base64')}" alt="logo.png"`);
  const attachment = zoe.attachments.find((a) => a.filename === 'Conditions.pdf');
  expect(attachment?.content.toString()).toBe('%PDF-1.4 conditions');
  const logo = zoe.attachments.find((a) => a.contentType === 'image/png') as { contentId?: string; content: Buffer } | undefined;
  expect(logo?.contentId).toBe('<ii_logo>');
  expect([...logo!.content]).toEqual(PNG);
  // The sheet: a date for each sent row (tabValues shows Dates as ISO strings; virtual time of the run),
  // the error for the bad one, the earlier value kept.
  const column = emailSentColumn(workspace);
  expect(column[0]).toMatch(/^2026-01-15T08:0\d:\d\d\.\d{3}Z$/);
  expect(column[1]).toMatch(/^2026-01-15T08:0\d:\d\d\.\d{3}Z$/);
  expect(column[2]).toBe('Invalid email: pas-une-adresse');
  expect(column[3]).toBe('2026-01-02');
  expect(column[4]).toMatch(/^2026-01-15T08:0\d:\d\d\.\d{3}Z$/);
  // The template draft is still a draft; three recipients came off the daily quota.
  expect(workspace.mailbox.drafts()).toHaveLength(1);
  expect(workspace.quotas.remainingRecipients()).toBe(1500 - 3);
}

describe("Google's mail-merge sample, unchanged", () => {
  it('adds its menu, asks for the draft subject, sends one personalised message per pending row and records it', async () => {
    const { workspace, runner } = setup(SAMPLE);
    expect(runner.simpleTrigger('onOpen').outcome).toBe('completed');
    expect(workspace.ui.menus[0]).toMatchObject({
      caption: 'Mail Merge',
      entries: [{ caption: 'Send Emails', functionName: 'sendEmails' }],
    });
    workspace.browser.answer({ button: 'ok', text: SUBJECT, afterMs: 8_000 });
    const run = runner.menu('sendEmails');
    expect(run.outcome).toBe('completed');
    expect(workspace.browser.dialogs).toEqual([
      expect.objectContaining({ kind: 'inputBox', title: 'Mail Merge', buttons: 'OK_CANCEL', returned: SUBJECT }),
    ]);
    await checkMerge(workspace);
    expect(run.counts.calls['GmailApp.sendEmail']).toBe(4); // the bad address is refused by sendEmail itself

    // A second run finds every row done: nothing more is sent.
    workspace.browser.answer({ text: SUBJECT });
    expect(runner.menu('sendEmails').outcome).toBe('completed');
    expect(workspace.mailbox.sentMessages()).toHaveLength(3);
  });

  it('stops without sending when the prompt is cancelled', () => {
    const { workspace, runner } = setup(SAMPLE);
    workspace.browser.answer({ button: 'cancel' });
    expect(runner.menu('sendEmails').outcome).toBe('completed');
    expect(workspace.mailbox.sentMessages()).toHaveLength(0);
    expect(emailSentColumn(workspace)[0]).toBe('');
  });

  it('fails clearly with a subject no draft has', () => {
    const { workspace, runner } = setup(SAMPLE);
    workspace.browser.answer({ text: 'Pas de brouillon' });
    expect(runner.menu('sendEmails').error?.message).toBe("Oops - can't find Gmail draft");
    expect(workspace.mailbox.sentMessages()).toHaveLength(0);
  });
});

describe('the same sample with MailApp.sendEmail (the swap its comment suggests for Unicode)', () => {
  it('sends the same messages through MailApp', async () => {
    const swapped = SAMPLE.replace('GmailApp.sendEmail(', 'MailApp.sendEmail(');
    expect(swapped).not.toBe(SAMPLE);
    expect(swapped).not.toContain('GmailApp.sendEmail(');
    const { workspace, runner } = setup(swapped);
    const run = runner.invoke('sendEmails', [SUBJECT]);
    expect(run.outcome).toBe('completed');
    expect(workspace.browser.dialogs).toHaveLength(0); // a subject given as argument skips the prompt
    await checkMerge(workspace);
    expect(run.counts.calls['MailApp.sendEmail']).toBe(4);
    expect(run.counts.calls['GmailApp.sendEmail']).toBeUndefined();
  });
});
