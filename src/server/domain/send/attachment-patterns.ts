// Per-row attachment patterns: the `attachments` cell may hold, besides Drive ids, URLs and plain names,
//   FACTURE_{{key}}_{{period}}*.pdf     a pattern: placeholders filled from the row, then `*` (any run of
//                                       characters but "/"), `?` (one character), `**` (anything, "/" too)
//   2026-01/FACTURE_CCT1.pdf            a path below the attachments folder (subfolders)
//   2026-01/{{key}}/                    a folder: every file directly inside it
// A pattern or a path names ONE file: zero matches, or several, is a row error that names the pattern
// and the files it matched, so an invoice never goes out with the wrong PDF or without it. A folder
// (ending with "/") takes all its files and fails only when it has none.
// Matching runs over ONE listing of the attachments folder and its subfolders (made once per
// execution by the adapter), never one Drive search per row. Names compare exactly (Drive names are
// case-sensitive); paths use "/" between folder names.

import { renderTemplate } from './template';

export interface ListedFile {
  id: string;
  name: string;
  /** Path below the attachments folder, "/" between folders ("2026-01/FACTURE_CCT1.pdf"). */
  path: string;
  size: number;
  mimeType: string;
}

export type PatternProblem =
  | { code: 'patternNoMatch'; params: { pattern: string } }
  | { code: 'patternSeveral'; params: { pattern: string; count: number; files: string } }
  | { code: 'patternPlaceholder'; params: { pattern: string; name: string } };

export interface PatternResolution {
  found: ListedFile[];
  problems: PatternProblem[];
}

/** Whether an item of the attachments cell is a pattern, a path or a folder (not a plain name, id or URL). */
export function isAttachmentPattern(item: string): boolean {
  const text = item.trim();
  if (/^https?:\/\//i.test(text)) return false;
  return /[*?]/.test(text) || text.includes('/') || /\{\{?\s*[\p{L}\p{N}_]/u.test(text);
}

/** A glob as a regular expression over a whole path. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
      if (glob[i + 1] === '/') i++; // "**/" also matches no folder at all
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const SHOWN_FILES = 5;

/**
 * Resolves the pattern items of one row over the listing. Placeholders are filled from the row's
 * fields (normalised column → text, as SendRow.fields); an unknown or empty one is a problem.
 */
export function resolvePatterns(
  items: readonly string[],
  fields: Readonly<Record<string, string>>,
  listing: readonly ListedFile[],
): PatternResolution {
  const found: ListedFile[] = [];
  const problems: PatternProblem[] = [];
  for (const item of items) {
    const rendered = renderTemplate(item.trim(), fields, 'text');
    if (!rendered.ok) {
      for (const p of rendered.problems)
        problems.push({ code: 'patternPlaceholder', params: { pattern: item.trim(), name: p.placeholder } });
      continue;
    }
    const pattern = rendered.text.replace(/^\/+/, '');
    if (pattern.endsWith('/')) {
      const folder = pattern.replace(/\/+$/, '');
      const inFolder = globToRegExp(folder);
      const files = listing.filter((file) => {
        const slash = file.path.lastIndexOf('/');
        return slash > 0 && inFolder.test(file.path.slice(0, slash));
      });
      if (!files.length) problems.push({ code: 'patternNoMatch', params: { pattern: rendered.text } });
      found.push(...files);
      continue;
    }
    const regexp = globToRegExp(pattern);
    const matches = listing.filter((file) => regexp.test(file.path));
    if (matches.length === 1) found.push(matches[0]);
    else if (!matches.length) problems.push({ code: 'patternNoMatch', params: { pattern: rendered.text } });
    else {
      const names = matches.map((file) => file.path).sort();
      const shown = names.slice(0, SHOWN_FILES).join(', ') + (names.length > SHOWN_FILES ? ', …' : '');
      problems.push({ code: 'patternSeveral', params: { pattern: rendered.text, count: matches.length, files: shown } });
    }
  }
  const unique = new Map(found.map((file) => [file.id, file]));
  return { found: [...unique.values()], problems };
}
