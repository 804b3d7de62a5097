// Names of what an export writes in Drive: its folder `<YYYY-MM-DD_HHmm>_<query slug>` (the start time
// in the user's time zone), the batch files `messages-00001.json`…, `manifest.json`, and each stored
// attachment `<message id>_<part id>_<file name>` in the folder's `attachments/` (unique by message and
// part, so a file is found again by name after a crash). Names are sanitised for Drive and for the
// local file systems an export is downloaded to.

export const MANIFEST_NAME = 'manifest.json';
export const ATTACHMENTS_FOLDER = 'attachments';
const SLUG_MAX = 40;

/** "from:me has:attachment" → "from-me-has-attachment"; accents folded; "" → "all-mail". */
export function querySlug(query: string): string {
  const slug = query
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, '');
  return slug || 'all-mail';
}

/** The export folder's name; `stamp` is the start time formatted "yyyy-MM-dd_HHmm" in the user's zone. */
export function exportFolderName(stamp: string, query: string, attempt = 1): string {
  const base = `${stamp}_${querySlug(query)}`;
  return attempt <= 1 ? base : `${base}-${attempt}`;
}

/** messages-00001.json (1-based). */
export function batchFileName(index: number): string {
  return `messages-${String(index).padStart(5, '0')}.json`;
}

/** A file name safe on Drive and on Windows / macOS / Linux disks. */
export function safeFileName(name: string, fallback = 'file'): string {
  const clean = name
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 120);
  return clean || fallback;
}

/** The stored attachment's name: unique per message and part. */
export function attachmentFileName(messageId: string, partId: string, filename: string): string {
  return `${messageId}_${partId || '0'}_${safeFileName(filename, 'attachment')}`;
}
