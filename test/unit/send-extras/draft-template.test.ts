// A Gmail draft as the template: read from Gmail's own MIME shape, filled per row (HTML escaped), built
// into a message that mailparser reads back with the inline image (cid) and the draft's attachment;
// an edited draft changes the fingerprint, a deleted one is reported.

import { checkDraftUnchanged, mergeDraft, parseDraftTemplate, pickDraftBySubject } from '../../../src/server/domain/send/draft-template';
import { buildMessage } from '../../../src/server/domain/send/mime';
import { gmailDraftEml, PDF_CGV, PNG_1X1 } from '../../fixtures/gmail-draft';
import { simpleParser } from '../send/parse-mail';
import { base64Decode, utf8Encode } from '../../../src/server/domain/encoding';
import { sha256Hex } from '../../../src/server/domain/sha256';

/** The draft's byte work in plain JavaScript here (the job gives the platform's Utilities). */
const jsCodecs = { sha256Hex, sha256HexOfText: (text: string) => sha256Hex(utf8Encode(text)), base64Decode };

const fixture = {
  subject: 'Votre facture {{key}} — {{period}}',
  text: 'Bonjour {{nom}},\nVoici la facture {{key}}.',
  html: '<p>Bonjour {{nom}},</p><img src="cid:ii_logo1"><p>Facture {{key}}</p>',
  inline: { cid: 'ii_logo1', filename: 'logo.png', bytes: PNG_1X1 },
  attachment: { filename: 'CGV.pdf', bytes: PDF_CGV },
};

describe('draft as template', () => {
  const template = parseDraftTemplate('r123', gmailDraftEml(fixture), jsCodecs);

  test('reads subject, bodies, inline image and attachment', () => {
    expect(template.subject).toBe('Votre facture {{key}} — {{period}}');
    expect(template.text).toBe('Bonjour {{nom}},\nVoici la facture {{key}}.');
    expect(template.html).toContain('cid:ii_logo1');
    expect(template.inline.map((i) => [i.contentId, i.filename, i.mimeType, Buffer.from(i.bytes).equals(PNG_1X1)])).toEqual([
      ['ii_logo1', 'logo.png', 'image/png', true],
    ]);
    expect(template.attachments.map((a) => [a.filename, Buffer.from(a.bytes).equals(PDF_CGV)])).toEqual([['CGV.pdf', true]]);
  });

  test('merged per row and built: mailparser sees the cid image and both attachments', async () => {
    const merged = mergeDraft(template, { key: 'CCT1', period: '2026-01', nom: 'Élodie & Fils' });
    expect(merged.ok).toBe(true);
    expect(merged.html).toContain('Élodie &amp; Fils');
    const raw = buildMessage({
      from: { name: '', address: 'compta@acme.fr' },
      to: [{ name: '', address: 'client@x.fr' }],
      subject: merged.subject,
      text: merged.text,
      html: merged.html,
      inline: template.inline,
      attachments: [
        ...template.attachments,
        { filename: 'FACTURE_CCT1.pdf', mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.4 row') },
      ],
      messageId: '<m1@acme.fr>',
      date: Date.UTC(2026, 0, 15),
    });
    const parsed = await simpleParser(Buffer.from(raw, 'latin1'));
    expect(parsed.subject).toBe('Votre facture CCT1 — 2026-01');
    expect(parsed.text?.trim()).toBe('Bonjour Élodie & Fils,\nVoici la facture CCT1.');
    const atts = parsed.attachments as Array<{ filename?: string; contentId?: string; related?: boolean; content: Buffer }>;
    const logo = atts.find((a) => a.filename === 'logo.png')!;
    expect(logo.contentId).toBe('<ii_logo1>');
    expect(logo.related).toBe(true);
    expect(logo.content.equals(PNG_1X1)).toBe(true);
    expect(atts.filter((a) => !a.related).map((a) => a.filename)).toEqual(['CGV.pdf', 'FACTURE_CCT1.pdf']);
  });

  test('a missing column is a problem with where it is', () => {
    const merged = mergeDraft(template, { key: 'CCT1', period: '2026-01' });
    expect(merged.ok).toBe(false);
    expect(merged.problems.map((p) => [p.where, p.placeholder])).toEqual([
      ['text', 'nom'],
      ['html', 'nom'],
    ]);
  });

  test('fingerprint: same draft same print; any edit or a deletion is detected', () => {
    const again = parseDraftTemplate('r123', gmailDraftEml(fixture), jsCodecs);
    const choice = { draftId: 'r123', subject: template.subject, fingerprint: template.fingerprint };
    expect(checkDraftUnchanged(choice, again, 'fr')).toBeNull();
    const edited = parseDraftTemplate('r123', gmailDraftEml({ ...fixture, html: fixture.html.replace('Facture', 'Avoir') }), jsCodecs);
    expect(checkDraftUnchanged(choice, edited, 'fr')).toContain('a changé depuis la planification');
    const otherLogo = parseDraftTemplate(
      'r123',
      gmailDraftEml({ ...fixture, inline: { ...fixture.inline, bytes: Buffer.concat([PNG_1X1, Buffer.from([0])]) } }),
      jsCodecs,
    );
    expect(otherLogo.fingerprint).not.toBe(template.fingerprint);
    expect(checkDraftUnchanged(choice, null, 'en')).toContain('no longer exists');
  });

  test('picking by subject', () => {
    const drafts = [{ subject: 'A' }, { subject: 'Votre  facture' }, { subject: 'b' }, { subject: 'B' }];
    expect(pickDraftBySubject(drafts, 'votre facture')).toEqual({ draft: drafts[1] });
    expect(pickDraftBySubject(drafts, 'b')).toEqual({ problem: 'several', count: 2 });
    expect(pickDraftBySubject(drafts, 'zz')).toEqual({ problem: 'notFound', count: 0 });
  });
});
