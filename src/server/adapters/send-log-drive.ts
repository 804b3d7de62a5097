// Adapter: the lasting send log over Drive, `Postroom/logs/send-YYYY-MM-DD.jsonl` (the day in the
// script's time zone). Drive files cannot be appended to, so a day file is found and read once per
// execution and rewritten with the new lines (File.setContent on the kept handle: one call); the job
// appends at its checkpoints (once per group of sends), never per email. Reading a run lists the logs folder once and reads the day files
// from the run's first day on.
// https://developers.google.com/apps-script/reference/drive/file#setContent(String)

import { readRunEntries, sendLogFileName, toJsonl, type SendLogEntry } from '../domain/send/send-log';
import type { FileStore } from '../ports/files';
import type { SendLogStore } from '../ports/send-extras';
import { driveFileUrl } from './drive';

export const SEND_LOG_FOLDER = ['Postroom', 'logs'];

export function driveSendLogStore(files: FileStore, timeZone: () => string): SendLogStore {
  const contents = new Map<string, string>();
  const handles = new Map<string, GoogleAppsScript.Drive.File>();
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
        let file: GoogleAppsScript.Drive.File | null = handles.get(day) ?? null;
        if (!file) {
          // The day file, found once per execution; later writes are one setContent each.
          const found = DriveApp.getFolderById(folder()).getFilesByName(name);
          file = found.hasNext() ? found.next() : null;
          if (file) contents.set(day, file.getBlob().getDataAsString('UTF-8'));
        }
        const text = (contents.get(day) ?? '') + toJsonl(list);
        if (file) file.setContent(text);
        else file = DriveApp.getFolderById(folder()).createFile(name, text, 'application/x-ndjson');
        handles.set(day, file);
        contents.set(day, text);
        if (!urls.has(day)) urls.set(day, driveFileUrl(file.getId()));
      }
    },
    readRun(runId: string, fromDay: string, toDay: string) {
      const id = files.findFolder(SEND_LOG_FOLDER);
      if (!id) return [];
      const names = files
        .listFileNames(id)
        .filter((name) => /^send-\d{4}-\d{2}-\d{2}\.jsonl$/.test(name) && name.slice(5, 15) >= fromDay && name.slice(5, 15) <= toDay)
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
