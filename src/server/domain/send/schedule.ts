// Scheduled sends ("Envoyer le 29/03/2026 à 09:00"): a date and a time typed in the user's time zone
// become one instant, correct across daylight-saving changes. The zone's offset is asked of the caller
// (`offsetAt(epochMs)` in minutes east of UTC: Utilities.formatDate(date, tz, 'Z') in Apps Script),
// so this stays pure.
// - A wall-clock time that happens twice (the autumn change: 02:30 in Paris on the last Sunday of
//   October) is taken at its FIRST occurrence (summer time), so the send is never later than asked.
// - A wall-clock time that does not exist (the spring change: 02:30 in Paris on the last Sunday of
//   March) is moved forward by the gap (03:30 summer time), and `shiftedMinutes` says so.
// The stored schedule is plain JSON (user properties); the job installs a one-off ClockTrigger `.at()`.

import type { Locale } from '../i18n';
import { defineMessages } from '../i18n';

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export type OffsetAt = (epochMs: number) => number;

export interface ZonedInstant {
  /** Epoch ms. */
  at: number;
  /** Minutes the time was moved forward because it fell in a spring-forward gap (0 otherwise). */
  shiftedMinutes: number;
}

/** What a scheduled send keeps until it starts. */
export interface ScheduledSend {
  version: 1;
  /** Epoch ms at which the send starts. */
  runAt: number;
  /** As the user typed them, for display: "2026-03-29", "09:00", "Europe/Paris". */
  date: string;
  time: string;
  timeZone: string;
  /** The rows to send (the same filter as startSend). */
  filter: { key?: string; period?: string; max?: number };
  createdAt: number;
  createdBy: string;
}

/** The earliest and latest a send may be scheduled, from now. */
export const MIN_SCHEDULE_LEAD_MS = 60_000;
export const MAX_SCHEDULE_LEAD_MS = 366 * 86_400_000;

const en = {
  'schedule.badDate': 'Invalid date "{input}": expected YYYY-MM-DD or DD/MM/YYYY',
  'schedule.badTime': 'Invalid time "{input}": expected HH:MM',
  'schedule.noSuchDay': 'There is no {input}',
  'schedule.past': 'The scheduled time {when} is already past (or less than a minute away)',
  'schedule.tooFar': 'The scheduled time {when} is more than a year away',
  'schedule.label': 'Scheduled for {date} at {time} ({timeZone})',
  'schedule.shifted': '{time} does not exist that day (clocks go forward): the send will start at {shifted}',
  'schedule.cancelled': 'Scheduled send cancelled',
  'schedule.none': 'No scheduled send',
  'schedule.started': 'The scheduled send of {date} at {time} has started',
};

export const translateSchedule = defineMessages<keyof typeof en>({
  en,
  fr: {
    'schedule.badDate': 'Date invalide « {input} » : attendu AAAA-MM-JJ ou JJ/MM/AAAA',
    'schedule.badTime': 'Heure invalide « {input} » : attendu HH:MM',
    'schedule.noSuchDay': 'Le {input} n’existe pas',
    'schedule.past': 'L’heure programmée {when} est déjà passée (ou dans moins d’une minute)',
    'schedule.tooFar': 'L’heure programmée {when} est à plus d’un an',
    'schedule.label': 'Envoi programmé le {date} à {time} ({timeZone})',
    'schedule.shifted': '{time} n’existe pas ce jour-là (passage à l’heure d’été) : l’envoi partira à {shifted}',
    'schedule.cancelled': 'Envoi programmé annulé',
    'schedule.none': 'Aucun envoi programmé',
    'schedule.started': 'L’envoi programmé du {date} à {time} a démarré',
  },
});

export class ScheduleError extends Error {
  constructor(
    readonly key: keyof typeof en,
    readonly params: Record<string, string>,
  ) {
    super(translateSchedule('en', key, params));
    this.name = 'ScheduleError';
  }
  /** The message in the user's language. */
  describe(locale: Locale): string {
    return translateSchedule(locale, this.key, this.params);
  }
}

/** "2026-03-29" or "29/03/2026" and "09:00" (or "9h00", "09:00:00") → a local date-time. */
export function parseLocalDateTime(date: string, time: string): LocalDateTime {
  const d = date.trim();
  let year: number;
  let month: number;
  let day: number;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(d);
  if (m) [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(d);
    if (!m) throw new ScheduleError('schedule.badDate', { input: date });
    [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const check = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) {
    throw new ScheduleError('schedule.noSuchDay', { input: date });
  }
  const t = /^(\d{1,2})[:hH](\d{2})(?::(\d{2}))?$/.exec(time.trim());
  if (!t || Number(t[1]) > 23 || Number(t[2]) > 59) throw new ScheduleError('schedule.badTime', { input: time });
  return { year, month, day, hour: Number(t[1]), minute: Number(t[2]) };
}

/** The instant of a wall-clock time in a zone (see the top comment for repeated and missing times). */
export function zonedToEpoch(local: LocalDateTime, offsetAt: OffsetAt): ZonedInstant {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // The offsets in force around that day (a zone changes at most once within a few hours here).
  const offsets = [...new Set([offsetAt(naive - 86_400_000), offsetAt(naive), offsetAt(naive + 86_400_000)])];
  const valid = offsets.map((offset) => naive - offset * 60_000).filter((at) => offsetAt(at) * 60_000 === naive - at);
  if (valid.length) return { at: Math.min(...valid), shiftedMinutes: 0 };
  // In a gap: read the time with the offset before the change, which lands after it.
  const before = offsetAt(naive - 86_400_000);
  const after = offsetAt(naive + 86_400_000);
  return { at: naive - before * 60_000, shiftedMinutes: Math.abs(after - before) };
}

/** The wall-clock date and time of an instant in a zone, "2026-03-29" / "03:30". */
export function epochToLocal(at: number, offsetAt: OffsetAt): { date: string; time: string } {
  const shifted = new Date(at + offsetAt(at) * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${shifted.getUTCFullYear()}-${two(shifted.getUTCMonth() + 1)}-${two(shifted.getUTCDate())}`,
    time: `${two(shifted.getUTCHours())}:${two(shifted.getUTCMinutes())}`,
  };
}

/**
 * Validates a request to send later and builds what to store. Throws ScheduleError (FR/EN message
 * with describe) for a bad date or time, a time past or under a minute away, or more than a year away.
 */
export function planSchedule(
  input: { date: string; time: string; filter?: ScheduledSend['filter'] },
  context: { now: number; timeZone: string; offsetAt: OffsetAt; user: string },
): { schedule: ScheduledSend; shiftedMinutes: number } {
  const local = parseLocalDateTime(input.date, input.time);
  const { at, shiftedMinutes } = zonedToEpoch(local, context.offsetAt);
  const shown = epochToLocal(at, context.offsetAt);
  const when = `${shown.date} ${shown.time}`;
  if (at < context.now + MIN_SCHEDULE_LEAD_MS) throw new ScheduleError('schedule.past', { when });
  if (at > context.now + MAX_SCHEDULE_LEAD_MS) throw new ScheduleError('schedule.tooFar', { when });
  return {
    schedule: {
      version: 1,
      runAt: at,
      date: shown.date,
      time: shown.time,
      timeZone: context.timeZone,
      filter: { ...(input.filter ?? {}) },
      createdAt: context.now,
      createdBy: context.user,
    },
    shiftedMinutes,
  };
}

/** "Envoi programmé le 29/03/2026 à 03:30 (Europe/Paris)" / "Scheduled for 2026-03-29 at 03:30 (Europe/Paris)". */
export function describeSchedule(schedule: ScheduledSend, locale: Locale): string {
  const [y, m, d] = schedule.date.split('-');
  const date = locale === 'fr' ? `${d}/${m}/${y}` : schedule.date;
  return translateSchedule(locale, 'schedule.label', { date, time: schedule.time, timeZone: schedule.timeZone });
}

/** Reads a stored schedule; null for anything that is not one. */
export function parseScheduledSend(json: string | null): ScheduledSend | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as Partial<ScheduledSend>;
    if (value && value.version === 1 && typeof value.runAt === 'number' && typeof value.date === 'string' && typeof value.time === 'string')
      return value as ScheduledSend;
  } catch {
    return null;
  }
  return null;
}
