// Port: time-driven triggers: a job's schedule, and one-off continuations of a run in progress.

import type { Schedule } from '../domain/schedule';

export type { Schedule };

export interface Scheduler {
  /** Replaces the time-driven trigger(s) of `handler` with one for `schedule` (none for "off"). */
  schedule(handler: string, schedule: Schedule): void;
  /** How many triggers `handler` has. */
  installed(handler: string): number;
  /**
   * A one-off trigger that continues a job soon (e.g. after a quota pause). It replaces every earlier
   * trigger of `handler`, so give continuations a handler of their own. With `keepOneOf`, the same
   * listing keeps one trigger of that handler and removes any other (a duplicate a kill left).
   */
  continueAfter(handler: string, delayMs: number, keepOneOf?: string): void;
  /**
   * A one-off trigger added WITHOUT removing the earlier ones (no listing: the fewest calls, for an
   * execution that may be cut short). A fired one-off stays listed and counts toward the 20 triggers
   * per user: the caller counts what it armed and removes them (`removeAll`, or `continueAfter`).
   */
  armAfter?(handler: string, delayMs: number): void;
  /**
   * A recurring trigger every `minutes` added without removing the others; false when the platform
   * refuses it (an add-on may not run one more often than hourly).
   */
  repeatEvery?(handler: string, minutes: 1 | 5 | 10 | 15 | 30): boolean;
  /** A recurring trigger every hour (allowed in an add-on), added the same way; false when refused. */
  repeatHourly?(handler: string): boolean;
  /** Removes every trigger of these handlers, each as soon as it is found (a cut-short call keeps its progress). */
  removeAll?(...handlers: string[]): void;
}
