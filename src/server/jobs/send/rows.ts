// Small readings of a Sends row that several steps share: its attachment names and recipients (for
// progress events), its sheet times as epoch ms, and whether a progress is final.

import { parseAttachmentRefs, parseSheetTime, type SendRow } from '../../domain/send/send-list';
import type { SendProgress } from '../../domain/send/progress';

export function attachmentNames(row: SendRow): string[] {
  return parseAttachmentRefs(row.attachments).map((ref) => (ref.kind === 'name' ? ref.name : ref.raw.replace(/^.*\/d\/([^/?]+).*$/, '$1')));
}

export function recipientsOf(row: SendRow): string[] {
  return row.to
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function isFinalState(p: SendProgress | null): boolean {
  return !p || p.state === 'done' || p.state === 'cancelled';
}

/** A sheet time cell as epoch ms, null when empty. */
export function timeOf(text: string): number | null {
  return text ? parseSheetTime(text) : null;
}
