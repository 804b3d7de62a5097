// Reading delivery-failure notices: RFC 3464 reports as Gmail, Postfix and Exchange write them (composed
// by the emulator's DSN writer), RFC 3464's own sample, plain-text qmail and Exim notices, a delay
// warning that is not a bounce, and ordinary mail that is not a notice.

import { bounceReason, parseBounce, permanentFailures } from '../../../src/server/domain/send/bounce';
import { buildMessage } from '../../../src/server/domain/send/mime';
import { utf8Encode } from '../../../src/server/domain/encoding';
import { composeDsn, type DsnStyle } from '../../../emulator/gmail/dsn';

const original = utf8Encode(
  buildMessage({
    from: { name: 'Comptabilité', address: 'compta@acme.fr' },
    to: [{ name: '', address: 'nobody@client.fr' }],
    subject: 'Votre facture CCT123 — janvier',
    text: 'Bonjour',
    attachments: [{ filename: 'FACTURE.pdf', mimeType: 'application/pdf', bytes: utf8Encode('%PDF-1.4 x') }],
    messageId: '<abc123.postroom@acme.fr>',
    date: Date.UTC(2026, 0, 15, 9),
    extraHeaders: { 'X-Postroom-Send-Id': 'run42/7' },
  }),
);

function compose(style: DsnStyle, extra: { status?: string; diagnostic?: string } = {}) {
  return composeDsn({
    style,
    to: 'compta@acme.fr',
    recipient: 'nobody@client.fr',
    original,
    date: Date.UTC(2026, 0, 15, 9, 1),
    token: 'tok1',
    ...extra,
  });
}

describe('parseBounce', () => {
  test.each(['gmail', 'postfix', 'exchange'] as const)('an RFC 3464 report written like %s', (style) => {
    const report = parseBounce(compose(style), 'compta@acme.fr');
    expect(report).not.toBeNull();
    expect(report!.kind).toBe('dsn');
    expect(report!.original.sendId).toBe('run42/7');
    expect(report!.original.messageId).toBe('<abc123.postroom@acme.fr>');
    const failed = permanentFailures(report!);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ recipient: 'nobody@client.fr', action: 'failed', status: '5.1.1' });
    expect(bounceReason(failed[0])).toMatch(/^550 5\.1\.1 /);
    expect(report!.reportingMta).not.toBe('');
  });

  test.each(['qmail', 'exim'] as const)('a plain-text notice written like %s', (style) => {
    const report = parseBounce(compose(style), 'compta@acme.fr');
    expect(report).not.toBeNull();
    expect(report!.kind).toBe('text');
    expect(report!.original.sendId).toBe('run42/7');
    expect(report!.original.messageId).toBe('<abc123.postroom@acme.fr>');
    const failed = permanentFailures(report!);
    expect(failed.map((r) => r.recipient)).toEqual(['nobody@client.fr']);
    expect(failed[0].status).toBe('5.1.1');
    expect(bounceReason(failed[0])).toContain('User unknown');
  });

  test('a delay warning is a report but not a failure', () => {
    const report = parseBounce(compose('delayed'));
    expect(report!.recipients[0]).toMatchObject({ action: 'delayed', status: '4.4.7' });
    expect(permanentFailures(report!)).toEqual([]);
  });

  test('a mailbox-full status and the server words survive', () => {
    const report = parseBounce(compose('postfix', { status: '5.2.2', diagnostic: 'smtp; 552 5.2.2 Mailbox full, quota exceeded' }));
    expect(bounceReason(permanentFailures(report!)[0])).toBe('552 5.2.2 Mailbox full, quota exceeded');
  });

  test("RFC 3464's own sample (appendix, several recipients, headers only returned)", () => {
    const sample = [
      'Date: Thu, 7 Jul 1994 17:16:05 -0400',
      'From: Mail Delivery Subsystem <MAILER-DAEMON@CS.UTK.EDU>',
      'Message-Id: <199407072116.RAA14128@CS.UTK.EDU>',
      'Subject: Returned mail: Cannot send message for 5 days',
      'To: <owner-info-mime@cs.utk.edu>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status;',
      '    boundary="RAA14128.773615765/CS.UTK.EDU"',
      '',
      '--RAA14128.773615765/CS.UTK.EDU',
      '',
      'The original message was received at Sat, 2 Jul 1994 17:10:28 -0400',
      '',
      '--RAA14128.773615765/CS.UTK.EDU',
      'content-type: message/delivery-status',
      '',
      'Reporting-MTA: dns; cs.utk.edu',
      '',
      'Original-Recipient: rfc822;arathib@vnet.ibm.com',
      'Final-Recipient: rfc822;arathib@vnet.ibm.com',
      'Action: failed',
      'Status: 4.0.0',
      '',
      'Original-Recipient: rfc822;wsnell@sdcc13.ucsd.edu',
      'Final-Recipient: rfc822;wsnell@sdcc13.ucsd.edu',
      'Action: failed',
      'Status: 4.0.0',
      '',
      '--RAA14128.773615765/CS.UTK.EDU',
      'content-type: message/rfc822',
      '',
      '[original message goes here]',
      '--RAA14128.773615765/CS.UTK.EDU--',
      '',
    ].join('\r\n');
    const report = parseBounce(sample)!;
    expect(report.reportingMta).toBe('cs.utk.edu');
    expect(permanentFailures(report).map((r) => r.recipient)).toEqual(['arathib@vnet.ibm.com', 'wsnell@sdcc13.ucsd.edu']);
    expect(bounceReason(report.recipients[0])).toBe('status 4.0.0');
  });

  test('ordinary mail, even from a postmaster, is not a notice', () => {
    expect(parseBounce(original)).toBeNull();
    const chat =
      'From: postmaster@client.fr\r\nTo: compta@acme.fr\r\nSubject: Question sur la facture\r\n\r\nBonjour, <compta@acme.fr>: merci\r\n';
    expect(parseBounce(chat)).toBeNull();
  });
});
