// Templates: {{column}} and {column}, case-insensitive, failing on unknown or empty placeholders.

import { escapeHtml, listPlaceholders, renderTemplate, textToHtml } from '../../../src/server/domain/send/template';

const fields = { key: 'CCT123', period: '2025-01', nom_client: 'Élodie & <Co> "L\'Atelier"', montant: '1 234,56 €', vide: '  ' };

describe('renderTemplate', () => {
  it('fills both placeholder forms, matching column names loosely', () => {
    const result = renderTemplate('Facture {{KEY}} ({period}) pour {{ Nom Client }} : {{montant}}', fields);
    expect(result).toEqual({ ok: true, text: 'Facture CCT123 (2025-01) pour Élodie & <Co> "L\'Atelier" : 1 234,56 €', problems: [] });
  });

  it('fails on an unknown placeholder and never blanks it', () => {
    const result = renderTemplate('Votre facture {cct} {{cct}} et {{key}}', fields);
    expect(result.ok).toBe(false);
    expect(result.text).toBe('Votre facture {cct} {{cct}} et CCT123');
    expect(result.problems).toEqual([{ kind: 'unknown', placeholder: 'cct' }]);
  });

  it('fails on an empty (or blank) cell', () => {
    expect(renderTemplate('x {{vide}} {{key}}', fields).problems).toEqual([{ kind: 'empty', placeholder: 'vide' }]);
  });

  it('escapes values in HTML mode only', () => {
    expect(renderTemplate('<b>{{nom_client}}</b>', fields, 'html').text).toBe('<b>Élodie &amp; &lt;Co&gt; &quot;L&#39;Atelier&quot;</b>');
    expect(renderTemplate('{{nom_client}}', fields, 'text').text).toBe('Élodie & <Co> "L\'Atelier"');
  });

  it('leaves CSS blocks and JSON alone', () => {
    const html = '<style>p { color: red } .a{margin:0}</style><p>{{key}}</p> {"a": 1}';
    expect(renderTemplate(html, fields, 'html')).toEqual({ ok: true, text: html.replace('{{key}}', 'CCT123'), problems: [] });
  });

  it('does not treat inherited object keys as columns', () => {
    expect(renderTemplate('{{constructor}} {toString}', fields).problems.map((p) => p.kind)).toEqual(['unknown', 'unknown']);
  });
});

describe('helpers', () => {
  it('lists placeholders normalised, once each', () => {
    expect(listPlaceholders('{{Key}} {key} {{Nom client}} {période}')).toEqual(['key', 'nom_client', 'periode']);
  });
  it('escapes the five HTML characters and converts text to HTML', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(textToHtml('a<b\nc')).toBe('a&lt;b<br>\nc');
  });
});
