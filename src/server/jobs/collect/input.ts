// What a caller (sidebar JSON, card, CLI) may ask of a collect run, checked before anything runs, and
// the Gmail query the run lists.

import { MAX_ATTACHMENTS_PER_RUN_CEILING, checkDay, setupText } from '../../domain/collect';
import type { Locale } from '../../domain/i18n';
import { PostroomError } from '../../domain/errors';

export interface CollectInput {
  dryRun?: boolean;
  maxItems?: number;
  /** YYYY-MM-DD: only messages received on or after this day. */
  since?: string;
}

const OPTIONS = ['dryRun', 'maxItems', 'since'];

/** Validates what a caller passed; throws INVALID_INPUT naming the field. */
export function parseCollectInput(input: unknown, locale: Locale = 'en'): CollectInput {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new PostroomError('INVALID_INPUT', setupText(locale, 'input.object'));
  const record = input as Record<string, unknown>;
  const out: CollectInput = {};
  for (const key of Object.keys(record)) {
    if (!OPTIONS.includes(key)) throw new PostroomError('INVALID_INPUT', setupText(locale, 'input.unknown', { key }));
  }
  if (record.dryRun !== undefined && record.dryRun !== null) {
    if (typeof record.dryRun !== 'boolean') throw new PostroomError('INVALID_INPUT', setupText(locale, 'input.dryRun'));
    out.dryRun = record.dryRun;
  }
  if (record.maxItems !== undefined && record.maxItems !== null && record.maxItems !== '') {
    const n = record.maxItems;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_ATTACHMENTS_PER_RUN_CEILING) {
      throw new PostroomError('INVALID_INPUT', setupText(locale, 'input.maxItems', { max: MAX_ATTACHMENTS_PER_RUN_CEILING }));
    }
    out.maxItems = n;
  }
  if (record.since !== undefined && record.since !== null && record.since !== '') {
    if (typeof record.since !== 'string') throw new PostroomError('INVALID_INPUT', setupText(locale, 'input.since.type'));
    try {
      out.since = checkDay(record.since.trim());
    } catch {
      throw new PostroomError('INVALID_INPUT', setupText(locale, 'input.since.day', { value: record.since }));
    }
  }
  return out;
}

/** The Gmail query of a run: the settings' query, and `after:YYYY/MM/DD` for `since` (https://support.google.com/mail/answer/7190). */
export function buildQuery(query: string, since: string | null): string {
  return since ? `${query} after:${since.replace(/-/g, '/')}` : query;
}
