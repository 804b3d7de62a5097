// Adapter: time-driven triggers over ScriptApp. A published add-on may not run them more often than
// hourly; a script in the user's own project may use everyMinutes(1|5|10|15|30).
// https://developers.google.com/apps-script/guides/triggers/installable#restrictions

import { isExecutionOver } from '../domain/errors';
import type { Schedule, Scheduler } from '../ports/scheduler';

function triggersOf(handler: string): GoogleAppsScript.Script.Trigger[] {
  return ScriptApp.getProjectTriggers().filter((trigger) => trigger.getHandlerFunction() === handler);
}

/** True once the trigger is created; false when the platform refuses it (a kill is not a refusal). */
function createdOrRefused(create: () => unknown): boolean {
  try {
    create();
    return true;
  } catch (error) {
    if (isExecutionOver(error)) throw error;
    return false;
  }
}

export function scriptScheduler(): Scheduler {
  return {
    schedule(handler: string, schedule: Schedule): void {
      for (const trigger of triggersOf(handler)) ScriptApp.deleteTrigger(trigger);
      if (schedule.kind === 'off') return;
      const builder = ScriptApp.newTrigger(handler).timeBased();
      if (schedule.kind === 'everyMinutes') builder.everyMinutes(schedule.minutes);
      else if (schedule.kind === 'hourly') builder.everyHours(1);
      else builder.everyDays(1).atHour(schedule.hour);
      builder.create();
    },
    installed(handler: string): number {
      return triggersOf(handler).length;
    },
    continueAfter(handler: string, delayMs: number, keepOneOf?: string): void {
      // One-off triggers stay listed after they fire and count toward the 20 per user: keep one.
      let kept = false;
      for (const trigger of ScriptApp.getProjectTriggers()) {
        const name = trigger.getHandlerFunction();
        if (name === handler || (name === keepOneOf && kept)) ScriptApp.deleteTrigger(trigger);
        else if (name === keepOneOf) kept = true;
      }
      ScriptApp.newTrigger(handler)
        .timeBased()
        .after(Math.max(1, Math.round(delayMs)))
        .create();
    },
    armAfter(handler: string, delayMs: number): void {
      ScriptApp.newTrigger(handler)
        .timeBased()
        .after(Math.max(1, Math.round(delayMs)))
        .create();
    },
    repeatEvery(handler: string, minutes: 1 | 5 | 10 | 15 | 30): boolean {
      return createdOrRefused(() => ScriptApp.newTrigger(handler).timeBased().everyMinutes(minutes).create());
    },
    repeatHourly(handler: string): boolean {
      return createdOrRefused(() => ScriptApp.newTrigger(handler).timeBased().everyHours(1).create());
    },
    removeAll(...handlers: string[]): void {
      // Each trigger is deleted as soon as its handler is known: an execution cut short keeps what it removed.
      for (const trigger of ScriptApp.getProjectTriggers())
        if (handlers.includes(trigger.getHandlerFunction())) ScriptApp.deleteTrigger(trigger);
    },
  };
}
