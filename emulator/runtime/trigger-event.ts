// The event object Apps Script passes to a time-driven trigger's handler, and the daily trigger
// runtime budget ("Triggers total runtime: 90 min / day consumer, 6 h / day Workspace").
// https://developers.google.com/apps-script/guides/triggers/events#time-driven_events
// https://developers.google.com/apps-script/guides/services/quotas

export interface TimeDrivenEvent {
  authMode: unknown;
  triggerUid: string;
  year: number;
  month: number;
  'day-of-month': number;
  'day-of-week': number;
  'week-of-year': number;
  hour: number;
  minute: number;
  second: number;
  timezone: string;
}

/** ISO-8601 week number of a UTC date. */
function isoWeek(date: Date): number {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  return Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

/** The documented fields, in UTC as the documentation's example shows ("timezone": "UTC"). */
export function buildTimeDrivenEvent(at: number, triggerUid: string, authMode: unknown = 'FULL'): TimeDrivenEvent {
  const date = new Date(at);
  return {
    authMode,
    triggerUid,
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    'day-of-month': date.getUTCDate(),
    'day-of-week': date.getUTCDay() || 7,
    'week-of-year': isoWeek(date),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    timezone: 'UTC',
  };
}

export const TRIGGER_RUNTIME_PER_DAY_MS = { consumer: 90 * 60_000, workspace: 6 * 60 * 60_000 } as const;

/** Apps Script's error when the daily trigger runtime is spent. */
export const TRIGGER_RUNTIME_EXCEEDED = 'Service using too much computer time for one day';

/**
 * Trigger runtime used per day. The real quota resets 24 h after its first use; the emulator uses
 * UTC calendar days (documented in FIDELITY.md).
 */
export class TriggerRuntimeBudget {
  private readonly usedByDay = new Map<string, number>();
  constructor(readonly limitMs: number) {}

  private static dayOf(at: number): string {
    return new Date(at).toISOString().slice(0, 10);
  }

  used(at: number): number {
    return this.usedByDay.get(TriggerRuntimeBudget.dayOf(at)) ?? 0;
  }

  isExhausted(at: number): boolean {
    return this.used(at) >= this.limitMs;
  }

  charge(at: number, ms: number): void {
    const day = TriggerRuntimeBudget.dayOf(at);
    this.usedByDay.set(day, (this.usedByDay.get(day) ?? 0) + ms);
  }
}
