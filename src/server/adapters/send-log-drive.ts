// Adapter: the lasting send log over Drive, `Postroom/logs/send-YYYY-MM-DD.jsonl` (the day in the
// script's time zone). Drive files cannot be appended to, so a day file is read once per execution and
// rewritten with the new lines (FileStore.writeTextFile); the job appends at its checkpoints (once per
// group of sends), never per email. Reading a run lists the logs folder once and reads the day files
// from the run's first day on.
// https://developers.google.com/apps-script/reference/drive/file#setContent(String)

import { readRunEntries, sendLogFileName, toJsonl, type SendLogEntry } from '../domain/send/send-log';
import type { FileStore } from '../ports';
import type { SendLogStore } from '../ports/send-extras';
import { driveFileUrl } from './drive';

export const SEND_LOG_FOLDER = ['Postroom', 'logs'];

export function driveSendLogStore(files: FileStore, timeZone: () => string): SendLogStore {
  const contents = new Map<string, string>();
  const urls = new Map<string, string>();
  let folderId: string | null = null;
  const folder = () => (folderId ??= files.ensureFolder(SEND_LOG_FOLDER));
  // Every zone's offset is a multiple of 15 minutes, so one formatDate per quarter hour gives the day.
  const days = new Map<number, string>();
  const dayOf = (epochMs: number) => {
    const quarter = Math.floor(epochMs / 900_000);
    let day = days.get(quarter);
    if (day === undefined) {
      day = Utilities.formatDate(new Date(quarter * 900_000), timeZone(), 'yyyy-MM-dd');
      days.set(quarter, day);
    }
    return day;
  };

  return {
    dayOf,
    append(entries: readonly SendLogEntry[]) {
      const byDay = new Map<string, SendLogEntry[]>();
      for (const entry of entries) {
        const day = dayOf(entry.at);
        byDay.set(day, [...(byDay.get(day) ?? []), entry]);
      }
      for (const [day, list] of byDay) {
        const name = sendLogFileName(day);
        const before = contents.get(day) ?? files.readTextFile(folder(), name) ?? '';
        const text = before + toJsonl(list);
        const stored = files.writeTextFile(folder(), name, text, 'application/x-ndjson');
        contents.set(day, text);
        urls.set(day, stored.url);
      }
    },
    readRun(runId: string, fromDay: string) {
      const id = files.findFolder(SEND_LOG_FOLDER);
      if (!id) return [];
      const names = files
        .listFileNames(id)
        .filter((name) => /^send-\d{4}-\d{2}-\d{2}\.jsonl$/.test(name) && name.slice(5, 15) >= fromDay)
        .sort();
      const text = names.map((name) => files.readTextFile(id, name) ?? '').join('\n');
      return readRunEntries(text, runId);
    },
    fileUrl(day: string) {
      const known = urls.get(day);
      if (known) return known;
      const id = files.findFolder(SEND_LOG_FOLDER);
      const file = id ? files.findFileByName(id, sendLogFileName(day)) : null;
      return file ? driveFileUrl(file.id) : '';
    },
  };
}
