// Scheduled sends ("Envoyer le 29/03/2026 à 09:00"): the send is planned now (rows checked, invalid
// ones failed with their reasons, the others queued), and a one-off clock trigger starts it at the
// instant the date and time mean in the user's time zone. The plan and the schedule live in the
// user's properties and the trigger in the project, so closing the sidebar changes nothing. Until it
// starts the send can be cancelled (its rows go back to pending). Its JobRuns row says `scheduled`
// from the moment it is planned; getSendProgress shows it with its label.

import { PostroomError } from '../../domain/errors';
import type { Locale } from '../../domain/i18n';
import type { SendFilter } from '../../domain/send/plan';
import { describeSchedule, planSchedule, ScheduleError, translateSchedule, type ScheduledSend } from '../../domain/send/schedule';
import { makeLogEntry } from '../../domain/send/send-log';
import { cancelSendJob, planSendJob, startSendJob, type ContinueResult, type PlanResult } from '../send';
import { EXTRAS_KEYS, SCHEDULED_SEND_HANDLER, type SendExtrasDeps } from './deps';

export interface StoredSchedule extends ScheduledSend {
  runId: string;
}

export interface ScheduleView {
  runId: string;
  runAt: number;
  label: string;
}

export function readSchedule(deps: SendExtrasDeps): StoredSchedule | null {
  return deps.store.get<StoredSchedule>(EXTRAS_KEYS.schedule);
}

export function viewSchedule(schedule: StoredSchedule | null, locale: Locale): ScheduleView | null {
  return schedule ? { runId: schedule.runId, runAt: schedule.runAt, label: describeSchedule(schedule, locale) } : null;
}

/** Plans the send now and sets its start at `date` `time` in the user's zone. */
export function scheduleSend(
  deps: SendExtrasDeps,
  input: { date: string; time: string; filter: SendFilter },
  locale: Locale,
): { schedule: ScheduleView; plan: PlanResult; notice: string | null } {
  const sd = deps.send;
  let planned: ReturnType<typeof planSchedule>;
  try {
    planned = planSchedule(
      { date: input.date, time: input.time, filter: { key: input.filter.key, period: input.filter.period, max: input.filter.max } },
      { now: sd.clock.now(), timeZone: deps.timeZone, offsetAt: deps.offsetAt, user: sd.user },
    );
  } catch (error) {
    if (error instanceof ScheduleError) throw new PostroomError('INVALID_INPUT', error.describe(locale));
    throw error;
  }
  const plan = planSendJob(sd, input.filter, locale);
  const stored: StoredSchedule = { ...planned.schedule, runId: plan.runId };
  deps.store.set(EXTRAS_KEYS.schedule, stored);
  deps.triggers.at(SCHEDULED_SEND_HANDLER, stored.runAt);
  const label = describeSchedule(stored, locale);
  sd.jobRuns.record({
    runId: plan.runId,
    status: 'scheduled',
    startedAt: stored.runAt,
    finishedAt: stored.runAt,
    total: plan.counts.ready + plan.counts.invalid,
    sent: 0,
    failed: plan.counts.invalid,
    gmailCalls: 0,
    summary: label,
  });
  deps.log.append([makeLogEntry(plan.runId, sd.clock.now(), { kind: 'scheduled', runAt: stored.runAt, label })]);
  const notice = planned.shiftedMinutes ? translateSchedule(locale, 'schedule.shifted', { time: input.time, shifted: stored.time }) : null;
  return { schedule: { runId: plan.runId, runAt: stored.runAt, label }, plan, notice };
}

/** The trigger: starts the scheduled send when its time has come (an early firing sets it again). */
export function runScheduled(deps: SendExtrasDeps, locale: Locale): ContinueResult | null {
  const schedule = readSchedule(deps);
  if (!schedule) {
    deps.triggers.remove(SCHEDULED_SEND_HANDLER);
    return null;
  }
  const now = deps.send.clock.now();
  if (now < schedule.runAt - 30_000) {
    deps.triggers.at(SCHEDULED_SEND_HANDLER, schedule.runAt);
    return null;
  }
  deps.store.remove(EXTRAS_KEYS.schedule);
  deps.triggers.remove(SCHEDULED_SEND_HANDLER);
  const { progress, job } = deps.send.state.load();
  if (!progress || !job || progress.state !== 'planned' || job.runId !== schedule.runId) return null;
  return startSendJob(deps.send, null, locale);
}

/** Cancels the scheduled send before it starts: the trigger goes, the planned rows go back to pending. */
export function cancelScheduledSend(deps: SendExtrasDeps, locale: Locale): { cancelled: boolean; message: string } {
  const schedule = readSchedule(deps);
  deps.triggers.remove(SCHEDULED_SEND_HANDLER);
  if (!schedule) return { cancelled: false, message: translateSchedule(locale, 'schedule.none') };
  deps.store.remove(EXTRAS_KEYS.schedule);
  const { progress, job } = deps.send.state.load();
  if (progress && job && progress.state === 'planned' && job.runId === schedule.runId) cancelSendJob(deps.send, locale);
  const now = deps.send.clock.now();
  deps.send.jobRuns.record({
    runId: schedule.runId,
    status: 'cancelled',
    startedAt: schedule.runAt,
    finishedAt: now,
    total: 0,
    sent: 0,
    failed: 0,
    gmailCalls: 0,
    summary: translateSchedule(locale, 'schedule.cancelled'),
  });
  return { cancelled: true, message: translateSchedule(locale, 'schedule.cancelled') };
}
