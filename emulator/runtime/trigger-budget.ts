// The daily trigger runtime budget ("Triggers total runtime: 90 min / day consumer, 6 h / day
// Workspace"). (The time-driven event object comes from the TriggerStore, emulator/services/script-app.ts.)
// https://developers.google.com/apps-script/guides/services/quotas

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
