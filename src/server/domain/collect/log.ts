// The collect job's log: JSON Lines events (one JSON object per line) buffered in memory and written
// to `logs/collect_from_gmail-YYYY-MM-DD.jsonl` on Drive once per execution (Drive files cannot be
// appended to, so the job rewrites the day's file with appendJsonl). Untrusted strings (file names,
// subjects, senders) are only ever values of JSON fields, escaped by JSON.stringify, so a name with a
// newline or a quote cannot forge a line; the event name is a fixed identifier chosen by the code.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogValue = string | number | boolean | null;

export interface LogEvent {
  /** ISO 8601 UTC time. */
  ts: string;
  level: LogLevel;
  /** A code-chosen identifier such as "attachment.ingested". */
  event: string;
  runId: string;
  messageId?: string;
  partId?: string;
  filename?: string;
  reason?: string;
  [field: string]: LogValue | undefined;
}

/** Longest string value kept in a log line; longer values are cut with "…". */
export const LOG_VALUE_MAX_CHARS = 2000;
const EVENT_NAME = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/;
const FIRST_FIELDS = ['ts', 'level', 'event', 'runId'];

export function logFileName(day: string): string {
  return `collect_from_gmail-${day}.jsonl`;
}

/** One event as one line (no trailing newline): fixed fields first, then the others in the order given; undefined fields dropped. */
export function logLine(event: LogEvent): string {
  if (!EVENT_NAME.test(event.event))
    throw new Error(`Log event names are identifiers such as "attachment.ingested", not ${JSON.stringify(event.event)}`);
  const ordered: Record<string, LogValue> = {};
  const keys = [...FIRST_FIELDS, ...Object.keys(event).filter((k) => !FIRST_FIELDS.includes(k))];
  for (const key of keys) {
    const value = event[key];
    if (value === undefined) continue;
    if (typeof value === 'number' && !Number.isFinite(value)) ordered[key] = String(value);
    else
      ordered[key] =
        typeof value === 'string' && value.length > LOG_VALUE_MAX_CHARS ? value.slice(0, LOG_VALUE_MAX_CHARS - 1) + '…' : value;
  }
  return JSON.stringify(ordered);
}

/** Parses JSON Lines text back into events (blank lines ignored); throws on a line that is not a JSON object. */
export function parseLogLines(text: string): LogEvent[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error(`log line ${index + 1} is not a JSON object`);
      return value as LogEvent;
    });
}

/** The day's file content with `lines` added at the end (each line ends with "\n"). */
export function appendJsonl(existing: string, lines: readonly string[]): string {
  if (!lines.length) return existing;
  const head = existing === '' || existing.endsWith('\n') ? existing : existing + '\n';
  return head + lines.join('\n') + '\n';
}

/** The events of one execution, buffered until the job writes them. */
export class RunLog {
  private readonly buffer: string[] = [];
  private readonly levels: Record<LogLevel, number> = { debug: 0, info: 0, warn: 0, error: 0 };

  constructor(
    readonly runId: string,
    private readonly now: () => number,
  ) {}

  write(level: LogLevel, event: string, fields: Omit<Partial<LogEvent>, 'ts' | 'level' | 'event' | 'runId'> = {}): void {
    this.buffer.push(logLine({ ...fields, ts: new Date(this.now()).toISOString(), level, event, runId: this.runId }));
    this.levels[level]++;
  }

  info(event: string, fields?: Omit<Partial<LogEvent>, 'ts' | 'level' | 'event' | 'runId'>): void {
    this.write('info', event, fields);
  }

  warn(event: string, fields?: Omit<Partial<LogEvent>, 'ts' | 'level' | 'event' | 'runId'>): void {
    this.write('warn', event, fields);
  }

  error(event: string, fields?: Omit<Partial<LogEvent>, 'ts' | 'level' | 'event' | 'runId'>): void {
    this.write('error', event, fields);
  }

  /** The buffered lines, oldest first. */
  lines(): string[] {
    return [...this.buffer];
  }

  /** Empties the buffer (after the job has written it) and returns what it held. */
  drain(): string[] {
    return this.buffer.splice(0, this.buffer.length);
  }

  count(level: LogLevel): number {
    return this.levels[level];
  }
}
