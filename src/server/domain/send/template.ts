// Mail-merge templates: `{{column}}` placeholders (and the seeds' single-brace `{column}` form)
// replaced by the row's cells. Column names match case-, space- and accent-insensitively, like the
// headers (normalizeColumnName). A placeholder whose column does not exist or whose cell is empty is
// a problem, never a silent blank or a literal: an invoice must not go out as "Votre facture {cct}".
// HTML templates escape values (& < > " '); text templates and subjects do not.
//
// Placeholder names are letters, digits, "_", spaces, "-" and "." (starting with a letter, digit or
// "_"). So CSS blocks in an HTML template ("p { color: red }") are not placeholders. There is no
// escape for a literal "{name}".

import { normalizeColumnName } from './send-list';

export type TemplateMode = 'text' | 'html';

export interface TemplateProblem {
  kind: 'unknown' | 'empty';
  /** The placeholder as written, without braces. */
  placeholder: string;
}

export interface RenderResult {
  ok: boolean;
  /** The rendered text; placeholders with problems are left as written. */
  text: string;
  problems: TemplateProblem[];
}

const PLACEHOLDER = /\{\{\s*([\p{L}\p{N}_][\p{L}\p{N}_ .-]*?)\s*\}\}|\{\s*([\p{L}\p{N}_][\p{L}\p{N}_ .-]*?)\s*\}/gu;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** The distinct placeholder names of a template, normalised, in order of first use. */
export function listPlaceholders(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = normalizeColumnName(match[1] ?? match[2]);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Fills a template from a row's fields (normalised column name → text, as SendRow.fields). `ok` is
 * false when any placeholder is unknown or empty; each such placeholder is reported once.
 */
export function renderTemplate(template: string, fields: Readonly<Record<string, string>>, mode: TemplateMode = 'text'): RenderResult {
  const problems: TemplateProblem[] = [];
  const seen = new Set<string>();
  const report = (problem: TemplateProblem) => {
    const id = `${problem.kind}:${normalizeColumnName(problem.placeholder)}`;
    if (!seen.has(id)) {
      seen.add(id);
      problems.push(problem);
    }
  };
  const text = template.replace(PLACEHOLDER, (whole: string, double: string | undefined, single: string | undefined) => {
    const placeholder = (double ?? single ?? '').trim();
    const name = normalizeColumnName(placeholder);
    if (!Object.prototype.hasOwnProperty.call(fields, name)) {
      report({ kind: 'unknown', placeholder });
      return whole;
    }
    const value = fields[name];
    if (value.trim() === '') {
      report({ kind: 'empty', placeholder });
      return whole;
    }
    return mode === 'html' ? escapeHtml(value) : value;
  });
  return { ok: problems.length === 0, text, problems };
}

/** Turns plain text into a minimal HTML body (escaped, line breaks kept): for previews. */
export function textToHtml(text: string): string {
  return escapeHtml(text).replace(/\r\n|\r|\n/g, '<br>\n');
}
