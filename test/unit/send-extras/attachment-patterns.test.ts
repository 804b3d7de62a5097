// Attachment patterns over one listing: a pattern matching 0, 1 and 2 files, subfolder paths, folders,
// placeholders from the row, and what is (not) a pattern.

import { globToRegExp, isAttachmentPattern, resolvePatterns, type ListedFile } from '../../../src/server/domain/send/attachment-patterns';

const file = (path: string, id = path): ListedFile => ({ id, name: path.split('/').pop()!, path, size: 100, mimeType: 'application/pdf' });
const listing = [
  file('FACTURE_CCT1_2026-01.pdf'),
  file('FACTURE_CCT2_2026-01.pdf'),
  file('FACTURE_CCT2_2026-01_v2.pdf'),
  file('CGV.pdf'),
  file('2026-01/CCT1/releve.pdf'),
  file('2026-01/CCT1/annexe.pdf'),
  file('2026-01/FACTURE_CCT3_2026-01.pdf'),
];
const fields = (key: string) => ({ key, period: '2026-01' });

describe('resolvePatterns', () => {
  test('one match', () => {
    const r = resolvePatterns(['FACTURE_{{key}}_{{period}}*.pdf'], fields('CCT1'), listing);
    expect(r).toEqual({ found: [listing[0]], problems: [] });
  });
  test('no match names the pattern as filled', () => {
    const r = resolvePatterns(['FACTURE_{{key}}_{{period}}*.pdf'], fields('CCT9'), listing);
    expect(r.problems).toEqual([{ code: 'patternNoMatch', params: { pattern: 'FACTURE_CCT9_2026-01*.pdf' } }]);
    expect(r.found).toEqual([]);
  });
  test('two matches name both files', () => {
    const r = resolvePatterns(['FACTURE_{{key}}_{{period}}*.pdf'], fields('CCT2'), listing);
    expect(r.problems).toEqual([
      {
        code: 'patternSeveral',
        params: { pattern: 'FACTURE_CCT2_2026-01*.pdf', count: 2, files: 'FACTURE_CCT2_2026-01.pdf, FACTURE_CCT2_2026-01_v2.pdf' },
      },
    ]);
  });
  test('a star does not cross folders; ** does; paths and folders', () => {
    expect(resolvePatterns(['FACTURE_CCT3*.pdf'], {}, listing).problems[0].code).toBe('patternNoMatch');
    expect(resolvePatterns(['**/FACTURE_CCT3*.pdf'], {}, listing).found.map((f) => f.path)).toEqual(['2026-01/FACTURE_CCT3_2026-01.pdf']);
    expect(resolvePatterns(['{{period}}/FACTURE_CCT3_2026-01.pdf'], fields('x'), listing).found).toHaveLength(1);
    expect(
      resolvePatterns(['{{period}}/{{key}}/'], fields('CCT1'), listing)
        .found.map((f) => f.name)
        .sort(),
    ).toEqual(['annexe.pdf', 'releve.pdf']);
    expect(resolvePatterns(['{{period}}/{{key}}/'], fields('CCT2'), listing).problems[0]).toEqual({
      code: 'patternNoMatch',
      params: { pattern: '2026-01/CCT2/' },
    });
  });
  test('an unknown or empty placeholder is a problem, never a blank', () => {
    expect(resolvePatterns(['FACTURE_{{client}}*.pdf'], fields('CCT1'), listing).problems).toEqual([
      { code: 'patternPlaceholder', params: { pattern: 'FACTURE_{{client}}*.pdf', name: 'client' } },
    ]);
  });
  test('what is a pattern', () => {
    expect(isAttachmentPattern('FACTURE_*.pdf')).toBe(true);
    expect(isAttachmentPattern('a/b.pdf')).toBe(true);
    expect(isAttachmentPattern('FACTURE_{{key}}.pdf')).toBe(true);
    expect(isAttachmentPattern('FACTURE.pdf')).toBe(false);
    expect(isAttachmentPattern('https://drive.google.com/file/d/abc/view')).toBe(false);
    expect(globToRegExp('a.b?*').test('a.bc-x')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});
