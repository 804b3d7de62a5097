// Logger and console: every line a script logs is recorded (level, text, virtual time, execution id) in
// a log list the runner owns, so the CLI can print it and tests can read it. Logger.log supports its
// format-string form; console methods format like Node's (close to the Apps Script execution log).
// https://developers.google.com/apps-script/reference/base/logger
// https://developers.google.com/apps-script/reference/base/console

import { format } from 'node:util';
import type { ServiceContext } from '../runtime/execution';
import { withNotEmulated } from './fake-support';

export type LogLevel = 'Logger' | 'log' | 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  message: string;
  /** Virtual time of the entry. */
  at: number;
  executionId: number | null;
}

/** Logger.log(format, values…): %s, %d, %f and %% placeholders as the reference documents. */
function formatLoggerMessage(data: unknown, values: unknown[]): string {
  if (typeof data !== 'string' || values.length === 0) return typeof data === 'string' ? data : format('%O', data);
  let index = 0;
  return data.replace(/%[sdif%]/g, (token) => {
    if (token === '%%') return '%';
    const value = values[index++];
    if (token === '%s') return typeof value === 'string' ? value : format('%O', value);
    return String(Number(value));
  });
}

export class FakeLogger implements Pick<GoogleAppsScript.Base.Logger, 'log' | 'getLog' | 'clear'> {
  constructor(
    private readonly logs: LogEntry[],
    private readonly ctx: ServiceContext,
  ) {}

  log(data: unknown, ...values: unknown[]): GoogleAppsScript.Base.Logger {
    return this.ctx.call('Logger.log', () => {
      this.logs.push({
        level: 'Logger',
        message: formatLoggerMessage(data, values),
        at: this.ctx.clock.now(),
        executionId: this.ctx.execution?.id ?? null,
      });
      return this as unknown as GoogleAppsScript.Base.Logger;
    });
  }
  /** Lines Logger.log wrote in the current execution, newline-separated. */
  getLog(): string {
    return this.ctx.call('Logger.getLog', () =>
      this.logs
        .filter((entry) => entry.level === 'Logger' && entry.executionId === (this.ctx.execution?.id ?? null))
        .map((entry) => entry.message)
        .join('\n'),
    );
  }
  clear(): void {
    this.ctx.call('Logger.clear', () => {
      const executionId = this.ctx.execution?.id ?? null;
      for (let i = this.logs.length - 1; i >= 0; i--) {
        if (this.logs[i].level === 'Logger' && this.logs[i].executionId === executionId) this.logs.splice(i, 1);
      }
    });
  }
}

export class FakeConsole implements Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'time' | 'timeEnd'> {
  private readonly timers = new Map<string, number>();

  constructor(
    private readonly logs: LogEntry[],
    private readonly ctx: ServiceContext,
  ) {}

  private write(level: LogLevel, args: unknown[]): void {
    this.ctx.call(`console.${level}`, () => {
      this.logs.push({ level, message: format(...args), at: this.ctx.clock.now(), executionId: this.ctx.execution?.id ?? null });
    });
  }

  log(...args: unknown[]): void {
    this.write('log', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  /** time/timeEnd measure VIRTUAL time: "label: 1200ms". */
  time(label = 'default'): void {
    this.ctx.call('console.time', () => {
      this.timers.set(label, this.ctx.clock.now());
    });
  }
  timeEnd(label = 'default'): void {
    const started = this.timers.get(label);
    if (started === undefined) return;
    this.timers.delete(label);
    this.write('info', [`${label}: ${this.ctx.clock.now() - started}ms`]);
  }
}

/** Logger and console for the sandbox, both writing to `logs`. */
export function createLogger(logs: LogEntry[], ctx: ServiceContext): { Logger: GoogleAppsScript.Base.Logger; console: FakeConsole } {
  return {
    Logger: withNotEmulated(new FakeLogger(logs, ctx), 'Logger') as unknown as GoogleAppsScript.Base.Logger,
    console: withNotEmulated(new FakeConsole(logs, ctx), 'console'),
  };
}
