// Attachment patterns in the Send job: an AttachmentSource that resolves the pattern items of a row's
// attachments cell (`FACTURE_{{key}}_{{period}}*.pdf`, `2026-01/{{key}}/`) over ONE listing of the
// attachments folder per execution, and hands every other reference (ids, URLs, plain names) to the
// job's own source. Bytes are read by the job's source as for any other file (by id).

import { isAttachmentPattern, resolvePatterns, type ListedFile } from '../../domain/send/attachment-patterns';
import type { AttachmentResolution, RowProblem } from '../../domain/send/plan';
import type { AttachmentSource } from '../../ports/send';

export function withAttachmentPatterns(inner: AttachmentSource, listFolder: (folder: string) => ListedFile[]): AttachmentSource {
  return {
    resolve(row, refs, folder): AttachmentResolution {
      const patterns = refs.filter((ref) => isAttachmentPattern(ref.raw));
      if (!patterns.length) return inner.resolve(row, refs, folder);
      const others = refs.filter((ref) => !isAttachmentPattern(ref.raw));
      const base = others.length ? inner.resolve(row, others, folder) : { found: [], missing: [] };
      const resolved = resolvePatterns(
        patterns.map((ref) => ref.raw),
        row.fields,
        listFolder(folder),
      );
      const found = [...base.found];
      for (const file of resolved.found)
        if (!found.some((f) => f.id === file.id)) found.push({ id: file.id, name: file.name, size: file.size, mimeType: file.mimeType });
      const problems: RowProblem[] = [
        ...(base.problems ?? []),
        ...resolved.problems.map((p) => ({ code: p.code, params: { ...p.params } })),
      ];
      return { found, missing: base.missing, problems };
    },
    loadAll: (ids) => inner.loadAll(ids),
  };
}
