// getSendLog(runId): every event of one send, in the reader's language, from the day files of the
// lasting log (Postroom/logs/send-YYYY-MM-DD.jsonl) from the run's first day on. The run id starts
// with its UTC start time ("S20260115T090000-ab12"), so the files to read are known without a lookup.

import { PostroomError } from '../../domain/errors';
import type { Locale } from '../../domain/i18n';
import { renderLogEntry, type SendLogLine } from '../../domain/send/send-log';
import type { SendLogStore } from '../../ports/send-extras';

export interface SendLogView {
  runId: string;
  lines: SendLogLine[];
}

/** The first day whose file may hold the run: the day before its id's UTC date (any zone's day). */
export function firstLogDay(runId: string): string {
  const match = /^S(\d{4})(\d{2})(\d{2})T/.exec(runId);
  if (!match) return '0000-00-00';
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - 86_400_000);
  return day.toISOString().slice(0, 10);
}

export function readSendLog(log: SendLogStore, runId: string, locale: Locale): SendLogView {
  if (typeof runId !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(runId)) throw new PostroomError('INVALID_INPUT', `runId: expected a send run id, got ${JSON.stringify(runId)}`);
  return { runId, lines: log.readRun(runId, firstLogDay(runId)).map((entry) => renderLogEntry(entry, locale)) };
}
