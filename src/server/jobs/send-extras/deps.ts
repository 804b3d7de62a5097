// What the send extras are given: the Send job's own deps (the same sheet, attachments, transport,
// state, lock) and the extras' ports (drafts and send-as, the lasting log, a JSON store, triggers,
// the attachments folder listing, the script's time zone).

import type { ListedFile } from '../../domain/send/attachment-patterns';
import type { OffsetAt } from '../../domain/send/schedule';
import type { ExtrasStore, ExtrasTriggers, SendExtrasMail, SendLogStore } from '../../ports/send-extras';
import type { SendDeps } from '../send/deps';

export interface SendExtrasDeps {
  send: SendDeps;
  mail: SendExtrasMail;
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
}

/** Keys of the extras in the user's properties (below the "postroom." prefix). */
export const EXTRAS_KEYS = {
  choices: 'send.extras',
  schedule: 'send.schedule',
  watch: 'send.bounceWatch',
  seen: 'send.bounceSeen',
} as const;

/** Trigger handlers (top-level functions declared in entrypoints through the wiring). */
export const SCHEDULED_SEND_HANDLER = 'runScheduledSend';
export const BOUNCE_CHECK_HANDLER = 'runSendBounceCheck';

/** What the user chose for the send besides the settings: a draft as template, a send-as address. */
export interface SendChoices {
  draft: { draftId: string; subject: string; fingerprint: string } | null;
  /** '' for the account's own address. */
  from: string;
}

export function readChoices(store: ExtrasStore): SendChoices {
  const stored = store.get<Partial<SendChoices>>(EXTRAS_KEYS.choices);
  return { draft: stored?.draft ?? null, from: stored?.from ?? '' };
}

export function writeChoices(store: ExtrasStore, choices: SendChoices): void {
  store.set(EXTRAS_KEYS.choices, choices);
}

/** `target` with some members replaced, its other members (lazy getters included) left as they are. */
export function overriding<T extends object>(target: T, changes: Partial<T>): T {
  const copy = Object.create(Object.getPrototypeOf(target), Object.getOwnPropertyDescriptors(target)) as T;
  for (const [key, value] of Object.entries(changes)) Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}
