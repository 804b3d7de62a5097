// What the send extras are given: the Send job's own deps (the same sheet, attachments, mail gateway,
// state, lock) and the extras' ports (drafts and send-as, the lasting log, a JSON store, triggers,
// the attachments folder listing, the script's time zone).

import type { ListedFile } from '../../domain/send/attachment-patterns';
import type { DraftCodecs } from '../../domain/send/draft-template';
import type { OffsetAt } from '../../domain/send/schedule';
import type { SendSettings } from '../../domain/send/settings';
import type { ExtrasStore, ExtrasTriggers, SendExtrasMail, SendLogStore } from '../../ports/send-extras';
import type { SendDeps } from '../send/deps';

export interface SendExtrasDeps {
  send: SendDeps;
  mail: SendExtrasMail;
  /** Base64 and SHA-256 of a draft's parts, by the platform. */
  codecs: DraftCodecs;
  log: SendLogStore;
  store: ExtrasStore;
  triggers: ExtrasTriggers;
  /** One listing of the attachments folder tree per execution. */
  listFolder(folderSetting: string): ListedFile[];
  /** The script's IANA time zone and its offset from UTC at an instant (minutes). */
  timeZone: string;
  offsetAt: OffsetAt;
  /** The user's own address (test sends go there). */
  userAddress: string;
  /** Changes keys of the saved send settings (draftId, sendFrom); refused while none are saved. */
  updateSettings(patch: Partial<Pick<SendSettings, 'draftId' | 'sendFrom'>>): SendSettings;
}

/** Keys of the extras in the user's properties (below the "postroom." prefix). */
export const EXTRAS_KEYS = {
  draftPrint: 'send.draftPrint',
  schedule: 'send.schedule',
  watch: 'send.bounceWatch',
  seen: 'send.bounceSeen',
} as const;

/** Trigger handlers (top-level functions declared in entrypoints through the wiring). */
export const SCHEDULED_SEND_HANDLER = 'runScheduledSend';
export const BOUNCE_CHECK_HANDLER = 'runSendBounceCheck';

/**
 * The chosen draft as the last plan (or the choice) took it: its subject and fingerprint. The choice
 * itself is the send setting `draftId` (read with the settings, at no extra cost when none is chosen).
 */
export interface DraftPrint {
  draftId: string;
  subject: string;
  fingerprint: string;
}

/** The stored print of `draftId` (a print of another draft does not count). */
export function readDraftPrint(store: ExtrasStore, draftId: string): DraftPrint | null {
  const print = store.get<DraftPrint>(EXTRAS_KEYS.draftPrint);
  return print && print.draftId === draftId ? print : null;
}

export function writeDraftPrint(store: ExtrasStore, print: DraftPrint | null): void {
  if (print) store.set(EXTRAS_KEYS.draftPrint, print);
  else store.remove(EXTRAS_KEYS.draftPrint);
}

/** `target` with some members replaced, its other members (lazy getters included) left as they are. */
export function overriding<T extends object>(target: T, changes: Partial<T>): T {
  const copy = Object.create(Object.getPrototypeOf(target), Object.getOwnPropertyDescriptors(target)) as T;
  for (const [key, value] of Object.entries(changes))
    Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}
