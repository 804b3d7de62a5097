// Ports of the send extras (test send, draft template, send-as, bounces, scheduled send, the lasting
// send log), in their own terms. The mail operations here are the few the MailGateway does not offer
// yet (drafts, send-as) plus the reads the bounce check needs; when the gateway's implementations are
// merged they move onto it (see the notes of the send extras).

import type { SendLogEntry } from '../domain/send/send-log';

/** A send-as address as Gmail's settings list it. */
export interface SendAsAlias {
  email: string;
  displayName: string;
  isPrimary: boolean;
  /** Gmail: "accepted" once confirmed by the address's owner, "pending" until then. */
  verificationStatus: string;
}

export interface DraftRaw {
  draftId: string;
  /** Gmail internalDate, epoch ms. */
  updatedAt: number;
  raw: Uint8Array;
}

export interface SendExtrasMail {
  /** Every draft of the account with its raw bytes (drafts.list, then drafts.get format=raw in parallel). */
  listDrafts(): DraftRaw[];
  /** One draft's raw bytes; null when the draft no longer exists. */
  getDraft(draftId: string): DraftRaw | null;
  /** The account's send-as addresses (users.settings.sendAs.list). */
  listSendAs(): SendAsAlias[];
  /** Ids of messages matching a Gmail search, newest first, at most `max`. */
  search(query: string, max: number): string[];
  /** Raw bytes of messages (format=raw), in parallel; null for one that could not be read. */
  getRaw(ids: readonly string[]): Array<Uint8Array | null>;
}

/** The lasting log: JSON Lines files per day in Postroom/logs. */
export interface SendLogStore {
  /** Adds entries at the end of their day's file (the day of each entry in the script's time zone). */
  append(entries: readonly SendLogEntry[]): void;
  /** Every entry of a run, from the day files on or after `fromDay` (YYYY-MM-DD). */
  readRun(runId: string, fromDay: string): SendLogEntry[];
  /** The URL of the day file (for the JobRuns log link), '' when unknown. */
  fileUrl(day: string): string;
  /** YYYY-MM-DD of an instant in the script's time zone. */
  dayOf(epochMs: number): string;
}

/** A small JSON store in the user's properties (the send extras' choices and watch lists). */
export interface ExtrasStore {
  get<T>(key: string): T | null;
  set(key: string, value: unknown): void;
  remove(key: string): void;
}

/** One-off and repeating triggers the extras install (scheduled start, bounce watch). */
export interface ExtrasTriggers {
  /** Replaces every trigger of `handler` with one firing once at `epochMs`. */
  at(handler: string, epochMs: number): void;
  /** Replaces every trigger of `handler` with one firing every hour. */
  hourly(handler: string): void;
  /** Removes every trigger of `handler`. */
  remove(handler: string): void;
  /** How many triggers `handler` has. */
  count(handler: string): number;
}
