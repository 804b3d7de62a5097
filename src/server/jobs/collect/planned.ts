// The first step of an execution that finds a file decided but not known to be stored (noted "planned"
// by an execution of this run that was cut short during its probe or upload, see notePlanned): the
// file is stored now, the careful way (a probe of Drive first, so a file the dead execution did upload
// is reused, not copied), from its message fetched again. It comes before the ledger is read: a run
// whose executions are cut short after a few calls gets each file to a durable record in few calls.

import { STATE_FOLDER } from '../../domain/collect';
import { errorMessage, isExecutionOver } from '../../domain/errors';
import type { Execution, PendingUpload } from './execution';
import { fetchAttachments, fetchMessages } from './mail';
import { folderId, storeEachCarefully } from './store';

export function storePlanned(ex: Execution): void {
  for (const [ref, noted] of Object.entries(ex.stored)) {
    const planned = noted.planned;
    if (!planned || !noted.key || !noted.decided) continue;
    try {
      // The folder first (each level saved as found): a step of its own for an execution cut short.
      const { state, day } = noted.decided;
      const folder = planned.folderId || folderId(ex, planned.folderKey, [ex.settings.rootFolder, STATE_FOLDER[state], day]);
      const content = noted.decided.size === 0 ? new Uint8Array(0) : bytesAgain(ex, noted.key);
      // Not fetched (a fault, the message gone) or not the same size: the message's own turn decides it again.
      if (!content || content.length !== noted.decided.size) continue;
      const upload: PendingUpload = {
        folderId: folder,
        folderKey: planned.folderKey,
        base: planned.base,
        name: noted.name,
        content,
        mimeType: planned.mimeType,
        sha: ref.slice(ref.lastIndexOf('#') + 1).includes(':') ? '' : ref.slice(ref.lastIndexOf('#') + 1),
        result: null,
        ref,
        recordAs: { key: noted.key, decided: noted.decided },
      };
      storeEachCarefully(ex, [upload]);
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      ex.log.warn('file.planned_not_stored', { filename: noted.name, reason: errorMessage(error) });
    }
  }
}

/** The bytes of the attachment `key` ("<message id>:<part id>"), by a messages.get and its attachment's get; null when not to be had. */
function bytesAgain(ex: Execution, key: string): Uint8Array | null {
  const colon = key.indexOf(':');
  const messageId = key.slice(0, colon);
  const partId = key.slice(colon + 1);
  const [plan] = fetchMessages(ex.deps.mail, [messageId], ex.deps.pause);
  const candidate = plan.walk?.candidates.find((c) => c.partId === partId);
  if (!candidate) return null;
  if (!candidate.attachmentId) return candidate.inlineData ? ex.deps.codecs.base64Decode(candidate.inlineData) : new Uint8Array(0);
  const [reply] = fetchAttachments(
    ex.deps.mailOneByOne ?? ex.deps.mail,
    [{ messageId, attachmentId: candidate.attachmentId }],
    ex.deps.pause,
  );
  return reply.ok ? reply.value : null;
}
