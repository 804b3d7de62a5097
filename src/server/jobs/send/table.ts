// The Sends tab in memory for one execution: the rows as read (one getValues), and the changes not
// written yet, written back in ONE batched write per commit (flushed when a send is about to depend on
// it). Steps change rows only through `set`, so every change reaches the sheet.

import type { Locale } from '../../domain/i18n';
import { parseSendRows, toSheetText, type SendRow, type SendStatus } from '../../domain/send/send-list';
import type { CellValue } from '../../ports/ledger';
import type { SendSheet } from '../../ports/send';

export type RowChange = Partial<{
  status: SendStatus;
  attempts: number;
  sentAt: string;
  messageId: string;
  threadId: string;
  error: string;
  rfc822MessageId: string;
  attemptAt: string;
  nextAttemptAt: string;
  runId: string;
  sendId: string;
}>;

/** The sheet column each change is written to. */
const CHANGE_COLUMNS: Record<keyof RowChange, string> = {
  status: 'status',
  attempts: 'attempts',
  sentAt: 'sent_at',
  messageId: 'message_id',
  threadId: 'thread_id',
  error: 'error',
  rfc822MessageId: 'rfc822_message_id',
  attemptAt: 'attempt_at',
  nextAttemptAt: 'next_attempt_at',
  runId: 'run_id',
  sendId: 'send_id',
};

export class SendTableModel {
  readonly rows: SendRow[];
  private readonly dirty = new Map<number, Record<string, CellValue>>();
  private unflushed = false;

  constructor(
    private readonly sheet: SendSheet,
    locale: Locale = 'en',
    read = true,
  ) {
    this.rows = read ? parseSendRows(sheet.read(), { timeZoneOffsetMinutes: (d) => sheet.timeZoneOffsetMinutes(d), locale }).rows : [];
  }

  /** The tab of a run that ended, not read: no row is left to reconcile or write (its JobRuns row may be). */
  static unread(sheet: SendSheet): SendTableModel {
    return new SendTableModel(sheet, 'en', false);
  }

  ofRun(runId: string): SendRow[] {
    return this.rows.filter((row) => row.runId === runId);
  }

  set(row: SendRow, change: RowChange): void {
    const cells = this.dirty.get(row.rowNumber) ?? {};
    for (const [key, value] of Object.entries(change) as Array<[keyof RowChange, string | number]>) {
      const column = CHANGE_COLUMNS[key];
      if (key === 'status') {
        row.status = value as SendStatus;
        row.statusText = value as string;
      } else {
        (row as unknown as Record<string, unknown>)[key] = value;
      }
      cells[column] = typeof value === 'string' && key === 'error' ? toSheetText(value) : value;
    }
    this.dirty.set(row.rowNumber, cells);
  }

  get pending(): number {
    return this.dirty.size;
  }

  /**
   * One batched write of every change so far; `flush` makes it durable before what follows (skipped
   * when nothing was written since the last flush).
   */
  commit(flush: boolean): void {
    if (this.dirty.size) {
      const updates = [...this.dirty.entries()].sort((a, b) => a[0] - b[0]).map(([rowNumber, values]) => ({ rowNumber, values }));
      this.dirty.clear();
      this.sheet.write(updates);
      this.unflushed = true;
    }
    if (flush && this.unflushed) {
      this.sheet.flush();
      this.unflushed = false;
    }
  }
}
