// The Send job's own persisted record (beside its progress): which run, what was asked, the pacer's
// windows carried from one execution to the next, a bitmap of the rows whose result is already in
// the progress events (so an execution killed between the sheet write and the progress write never
// counts a row twice), and the job's usage counters. Plain JSON, a few KB (the pacer keeps one timestamp
// per send of the last minute: 150 × 14 bytes) plus the bitmap (rows / 6 characters), stored in the
// user properties (9 KB a value, 500 KB in all): the store splits a long bitmap over keys of its own.

import { base64Decode, base64Encode } from '../encoding';
import type { PacerState } from './pacing';
import { PostroomError } from '../errors';

export interface SendJobState {
  version: 1;
  runId: string;
  filter: { key: string; period: string; max: number | null };
  /** Rows of the run (ready + failed at planning). */
  total: number;
  createdAt: number;
  startedAt: number | null;
  /** base64 bitmap over send indexes (1-based n of "<runId>/<n>"), bit set = result recorded in progress. */
  counted: string;
  pacer: PacerState | null;
  executions: number;
  gmailCalls: number;
  gmailUnits: number;
  /** Rows whose attachments the plan had no time to check (checked again before each send anyway). */
  uncheckedAttachments: number;
  lastError: string;
  /** When the continuation trigger last set will fire (epoch ms), null when none is set. */
  continuationAt?: number | null;
  /**
   * One-off continuation triggers armed without removing the earlier ones (fired ones stay listed and
   * count toward the 20 per user) since the handler's triggers were last all removed.
   */
  armedTriggers?: number;
  /** A recurring trigger continues the run (none to arm); `noRepeat`: the platform refused one (add-on). */
  repeating?: boolean;
  noRepeat?: boolean;
  /**
   * Where a 10-minute one is refused (add-on): an HOURLY recurring trigger of a handler of its own
   * continues the run (nothing to arm before an execution's work); `noHourlyNet`: refused too.
   */
  hourlyNet?: boolean;
  noHourlyNet?: boolean;
  /** false from the save that ends the run until its row is in JobRuns. */
  runRecorded?: boolean;
  /** How far the owed JobRuns row is written in steps (jobs/send/job-run-steps.ts); dropped once written. */
  jobRunSteps?: JobRunSteps | null;
  /**
   * A plan made in pieces: the index (in the tab's data rows) of the next row to examine, null once
   * every row is planned; the counts so far; and whether the send starts as soon as the plan is whole.
   */
  plan?: { cursor: number | null; counts: PlanCounts; autoStart: boolean; confirmDuplicates?: boolean | number[] } | null;
}

/**
 * The steps of the run's JobRuns row done so far, each saved: the log's link, the ledger's id with its
 * time zone (the tab made), then the tab's header (completed) and the row found or claimed, then written.
 */
export interface JobRunSteps {
  /** The log's link; null: asked once already and cut short (the row goes without it). */
  logUrl?: string | null;
  spreadsheetId?: string;
  timeZone?: string;
  header?: string[];
  row?: number;
  /** The row is written (what follows it, the log's last lines and the bounce watch, is tried once). */
  written?: boolean;
}

/** SendPlan['counts'] (kept here so the state does not depend on the planner). */
export interface PlanCounts {
  rows: number;
  matching: number;
  selected: number;
  ready: number;
  invalid: number;
  deferred: number;
  byStatus: Record<string, number>;
  /** Ready rows failed as duplicates of an earlier row (the send extras). */
  duplicates?: number;
}

export function createJobState(runId: string, filter: SendJobState['filter'], total: number, now: number): SendJobState {
  return {
    version: 1,
    runId,
    filter,
    total,
    createdAt: now,
    startedAt: null,
    counted: base64Encode(new Uint8Array(Math.ceil(total / 8))),
    pacer: null,
    executions: 0,
    gmailCalls: 0,
    gmailUnits: 0,
    uncheckedAttachments: 0,
    lastError: '',
  };
}

export function parseJobState(value: unknown): SendJobState {
  const s = value as Partial<SendJobState> | null;
  if (!s || s.version !== 1 || typeof s.runId !== 'string' || typeof s.total !== 'number' || typeof s.counted !== 'string') {
    throw new PostroomError('INTERNAL', 'Stored send job has an unknown shape');
  }
  return s as SendJobState;
}

/** The last bitmap decoded (a chunk reads it once per row: decoding it each time would cost O(rows²)). */
let decoded: { text: string; bits: Uint8Array } | null = null;
function countedBits(text: string): Uint8Array {
  if (!decoded || decoded.text !== text) decoded = { text, bits: base64Decode(text) };
  return decoded.bits;
}

/** Whether send index `n` (1-based) is marked counted. */
export function isCounted(state: SendJobState, n: number): boolean {
  const bits = countedBits(state.counted);
  const i = n - 1;
  return i >= 0 && i >> 3 < bits.length && (bits[i >> 3] & (1 << (i & 7))) !== 0;
}

/** A copy of the state with send indexes `ns` marked counted. */
export function markCounted(state: SendJobState, ns: readonly number[]): SendJobState {
  if (!ns.length) return state;
  const bits = new Uint8Array(Math.max(Math.ceil(state.total / 8), 1));
  bits.set(countedBits(state.counted).subarray(0, bits.length));
  for (const n of ns) {
    const i = n - 1;
    if (i >= 0 && i >> 3 < bits.length) bits[i >> 3] |= 1 << (i & 7);
  }
  return { ...state, counted: base64Encode(bits) };
}

/** "<runId>/<n>" for the n-th row of a run. */
export function makeSendId(runId: string, n: number): string {
  return `${runId}/${n}`;
}

/** n of "<runId>/<n>", or null when the send id is not of this run. */
export function sendIndexOf(sendId: string, runId: string): number | null {
  const prefix = `${runId}/`;
  if (!sendId.startsWith(prefix)) return null;
  const n = Number(sendId.slice(prefix.length));
  return Number.isInteger(n) && n >= 1 ? n : null;
}

/** A run id: "S" + UTC time to the second + 4 random base-36 characters, e.g. "S20260115T080000-k3f9". */
export function makeRunId(now: number, random: () => number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15);
  let tail = '';
  for (let i = 0; i < 4; i++) tail += Math.floor(random() * 36).toString(36);
  return `S${stamp}-${tail}`;
}

/**
 * The most rows one run may hold: its bitmap (rows / 6 characters of base64) must fit the user
 * properties' 500 KB beside everything else. A Sheet (10 million cells) cannot hold that many rows of
 * the Sends tab, so this refusal is a guard, not a limit users meet.
 */
export const MAX_RUN_ROWS = 2_000_000;
