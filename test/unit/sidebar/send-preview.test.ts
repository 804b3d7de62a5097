// The preview of a send row: the same rendering and checks as planning, nothing written; the first
// row a plan would pick when no row number is given; the row's problems in the reader's words.

import { parseSendSettings } from '../../../src/server/domain/send/settings';
import { previewSendRowJob, type SendPreviewDeps } from '../../../src/server/jobs/send/preview';

function deps(values: string[][], files: Record<string, number>): SendPreviewDeps & { reads: number } {
  const fake = {
    reads: 0,
    sheet: {
      read: () => {
        fake.reads++;
        return values.map((row) => [...row]);
      },
      timeZoneOffsetMinutes: () => 60,
    },
    attachments: {
      resolve: (_row: unknown, refs: ReadonlyArray<{ raw: string }>) => ({
        found: refs
          .filter((r) => r.raw in files)
          .map((r) => ({ id: `id-${r.raw}`, name: r.raw, size: files[r.raw], mimeType: 'application/pdf' })),
        missing: refs.filter((r) => !(r.raw in files)).map((r) => r.raw),
      }),
    },
    settings: () =>
      parseSendSettings({
        subjectTemplate: 'Facture {{key}} - {{period}}',
        textTemplate: 'Bonjour {{name}},',
        htmlTemplate: '<p>Bonjour {{name}}</p>',
        senderName: 'Compta',
        replyTo: 'reponse@exemple.fr',
        attachmentsFolder: 'F',
      }),
    sender: { address: 'compta@exemple.fr' },
  };
  return fake;
}

const sheet = [
  ['key', 'period', 'to', 'cc', 'attachments', 'name', 'status'],
  ['K1', '2026-01', 'a@exemple.fr', '', 'F1.pdf', 'Élan <b>&</b>', 'sent'],
  ['K2', '2026-01', 'b@exemple.fr', 'Chef <c@exemple.fr>', 'F2.pdf', 'Bâti', 'pending'],
  ['K3', '2026-02', 'pas@@exemple', '', 'F3.pdf', '', 'pending'],
];

describe('previewSendRowJob', () => {
  it('renders the first row a plan would pick, as it will be sent', () => {
    const preview = previewSendRowJob(deps(sheet, { 'F1.pdf': 10, 'F2.pdf': 2048 }), { period: '2026-01' }, 'fr');
    expect(preview).toEqual({
      rowNumber: 3,
      key: 'K2',
      period: '2026-01',
      from: 'Compta <compta@exemple.fr>',
      to: ['b@exemple.fr'],
      cc: ['Chef <c@exemple.fr>'],
      bcc: [],
      replyTo: 'reponse@exemple.fr',
      subject: 'Facture K2 - 2026-01',
      text: 'Bonjour Bâti,',
      html: '<p>Bonjour Bâti</p>',
      attachments: [{ name: 'F2.pdf', size: 2048 }],
      problems: [],
    });
  });

  it('escapes sheet values in the HTML part and gives a row its problems in the reader’s words', () => {
    const sent = previewSendRowJob(deps(sheet, { 'F1.pdf': 10 }), { rowNumber: 2 }, 'en');
    expect(sent?.html).toBe('<p>Bonjour Élan &lt;b&gt;&amp;&lt;/b&gt;</p>');
    const bad = previewSendRowJob(deps(sheet, {}), { rowNumber: 4 }, 'fr');
    expect(bad?.problems).toEqual([
      'Adresse to invalide « pas@@exemple » : plus d’un @',
      'Variable vide {{name}} dans le texte : la cellule est vide',
      'Variable vide {{name}} dans le HTML : la cellule est vide',
      'Pièce jointe introuvable : F3.pdf',
    ]);
    expect(previewSendRowJob(deps(sheet, {}), { key: 'nobody' }, 'en')).toBeNull();
    expect(() => previewSendRowJob(deps(sheet, {}), { rowNumber: 99 }, 'fr')).toThrow('Aucune ligne 99 dans l’onglet Sends.');
  });
});
