// A job's schedule as the settings describe it; the Scheduler port (ports/scheduler.ts) installs it as
// time-driven triggers. everyMinutes takes only the values ClockTriggerBuilder accepts.
// https://developers.google.com/apps-script/reference/script/clock-trigger-builder#everyMinutes(Integer)

export type Schedule =
  { kind: 'off' } | { kind: 'everyMinutes'; minutes: 1 | 5 | 10 | 15 | 30 } | { kind: 'hourly' } | { kind: 'daily'; hour: number };
