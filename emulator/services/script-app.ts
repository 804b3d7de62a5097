// ScriptApp: installable triggers (time-based builder with its validation, spreadsheet onOpen/onEdit),
// getProjectTriggers / deleteTrigger, the OAuth token, and the enums. Triggers live in a TriggerStore
// shared by the workspace; the runner asks it which clock triggers are due (`dueTriggers(now)`) and
// reports each firing (`markFired`), which computes the next run. An ADD-ON mode applies the rules of a
// published add-on: no time-based trigger more frequent than hourly.
// https://developers.google.com/apps-script/reference/script/clock-trigger-builder
// https://developers.google.com/apps-script/guides/triggers/installable#limitations
// https://developers.google.com/apps-script/add-ons/concepts/triggers (add-on trigger restrictions)
// https://developers.google.com/apps-script/guides/services/quotas (20 triggers / user / script)

import { createHash } from 'node:crypto';
import type { ServiceContext } from '../runtime/execution';
import { FakeSpreadsheet } from '../sheets/spreadsheet-app';
import { isDateLike, notEmulated, withNotEmulated } from './fake-support';
import { isValidTimeZone, zonedParts, zonedTimeToEpoch } from './time-zone';

type Trigger = GoogleAppsScript.Script.Trigger;
type ClockTriggerBuilder = GoogleAppsScript.Script.ClockTriggerBuilder;
type SpreadsheetTriggerBuilder = GoogleAppsScript.Script.SpreadsheetTriggerBuilder;
type TriggerBuilder = GoogleAppsScript.Script.TriggerBuilder;

export const AuthMode = { NONE: 'NONE', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', LIMITED: 'LIMITED', FULL: 'FULL' } as const;
export const TriggerSource = {
  SPREADSHEETS: 'SPREADSHEETS',
  CLOCK: 'CLOCK',
  FORMS: 'FORMS',
  DOCUMENTS: 'DOCUMENTS',
  CALENDAR: 'CALENDAR',
} as const;
export const EventType = {
  CLOCK: 'CLOCK',
  ON_OPEN: 'ON_OPEN',
  ON_EDIT: 'ON_EDIT',
  ON_FORM_SUBMIT: 'ON_FORM_SUBMIT',
  ON_CHANGE: 'ON_CHANGE',
  ON_EVENT_UPDATED: 'ON_EVENT_UPDATED',
} as const;
export const WeekDay = {
  SUNDAY: 'SUNDAY',
  MONDAY: 'MONDAY',
  TUESDAY: 'TUESDAY',
  WEDNESDAY: 'WEDNESDAY',
  THURSDAY: 'THURSDAY',
  FRIDAY: 'FRIDAY',
  SATURDAY: 'SATURDAY',
} as const;
const WEEKDAY_INDEX: Record<string, number> = { SUNDAY: 0, MONDAY: 1, TUESDAY: 2, WEDNESDAY: 3, THURSDAY: 4, FRIDAY: 5, SATURDAY: 6 };

export const MAX_TRIGGERS_PER_USER = 20;
export const DEFAULT_OAUTH_TOKEN = 'ya29.postroom-emulator-oauth-token';

/**
 * Error messages. The add-on and too-many-triggers texts are Apps Script's (quoted in the add-on
 * triggers guide and in public reports); the builder-argument texts are the emulator's own wording
 * (emulator/FIDELITY.md), as the reference does not publish them.
 */
export const TRIGGER_ERRORS = {
  addonTooFrequent: 'Add-ons may not create time-based triggers to run more frequently than once per hour.',
  tooMany: 'This script has too many triggers. Triggers must be deleted from the script before more can be added.',
  everyMinutes: (n: unknown) => `Invalid argument: everyMinutes(${n}). The value must be 1, 5, 10, 15 or 30.`,
  everyHours: (n: unknown) => `Invalid argument: everyHours(${n}). The value must be 1, 2, 4, 6, 8 or 12.`,
  atHour: (h: unknown) => `Invalid argument: atHour(${h}). The hour must be between 0 and 23.`,
  nearMinute: (m: unknown) => `Invalid argument: nearMinute(${m}). The minute must be between 0 and 59.`,
  positive: (method: string, n: unknown) => `Invalid argument: ${method}(${n}). The value must be a positive integer.`,
  timeZone: (tz: unknown) => `Invalid argument: inTimezone(${tz}). Unknown time zone.`,
  noSchedule:
    'Invalid trigger: a time-based trigger needs a schedule (after, at, atDate, everyMinutes, everyHours, everyDays or everyWeeks).',
  atHourAlone: 'Invalid trigger: atHour and nearMinute apply only to everyDays or everyWeeks.',
  noEvent: 'Invalid trigger: a spreadsheet trigger needs an event (onOpen, onEdit, onChange or onFormSubmit).',
  unknownTrigger: 'Invalid argument: trigger',
};

export type ClockSchedule =
  | { kind: 'once'; at: number }
  | { kind: 'minutes'; n: number }
  | { kind: 'hours'; n: number }
  | { kind: 'days'; n: number; hour: number; minute: number; timeZone: string }
  | { kind: 'weeks'; n: number; weekday: number; hour: number; minute: number; timeZone: string };

export interface StoredTrigger {
  uniqueId: string;
  handlerFunction: string;
  eventType: keyof typeof EventType;
  triggerSource: keyof typeof TriggerSource;
  /** The spreadsheet id for spreadsheet triggers; '' for clock triggers. */
  triggerSourceId: string;
  userEmail: string;
  createdAt: number;
  schedule: ClockSchedule | null;
  /** Next time a clock trigger is due (epoch ms); null for event triggers. */
  nextRunAt: number | null;
  firedCount: number;
  lastFiredAt: number | null;
}

/** The event object a time-driven trigger passes to its handler (UTC fields). */
export interface ClockTriggerEvent {
  authMode: 'FULL';
  'day-of-month': number;
  'day-of-week': number;
  hour: number;
  minute: number;
  month: number;
  second: number;
  timezone: 'UTC';
  triggerUid: string;
  'week-of-year': number;
  year: number;
}

function periodMs(schedule: ClockSchedule): number | null {
  if (schedule.kind === 'minutes') return schedule.n * 60_000;
  if (schedule.kind === 'hours') return schedule.n * 3_600_000;
  return null;
}

/** The first run time of a schedule created at `createdAt`. */
function firstRun(schedule: ClockSchedule, createdAt: number): number {
  switch (schedule.kind) {
    case 'once':
      return schedule.at;
    case 'minutes':
    case 'hours':
      return createdAt + (periodMs(schedule) as number);
    case 'days':
    case 'weeks': {
      const p = zonedParts(createdAt, schedule.timeZone);
      let dayOffset = 0;
      if (schedule.kind === 'weeks') dayOffset = (schedule.weekday - p.weekday + 7) % 7;
      let at = zonedTimeToEpoch(schedule.timeZone, p.year, p.month, p.day + dayOffset, schedule.hour, schedule.minute);
      if (at <= createdAt)
        at = zonedTimeToEpoch(
          schedule.timeZone,
          p.year,
          p.month,
          p.day + dayOffset + (schedule.kind === 'weeks' ? 7 : 1),
          schedule.hour,
          schedule.minute,
        );
      return at;
    }
  }
}

/** The run after `previous`, strictly after `now` (missed runs are skipped, not queued). */
function nextRun(schedule: ClockSchedule, previous: number, now: number): number | null {
  if (schedule.kind === 'once') return null;
  const period = periodMs(schedule);
  if (period !== null) {
    let next = previous + period;
    if (next <= now) next += Math.ceil((now - next + 1) / period) * period;
    return next;
  }
  const s = schedule as Extract<ClockSchedule, { kind: 'days' | 'weeks' }>;
  const stepDays = s.kind === 'weeks' ? 7 * s.n : s.n;
  let next = previous;
  do {
    const p = zonedParts(next, s.timeZone);
    next = zonedTimeToEpoch(s.timeZone, p.year, p.month, p.day + stepDays, s.hour, s.minute);
  } while (next <= now);
  return next;
}

/** Installable triggers of a script project, shared by every execution of the workspace. */
export class TriggerStore {
  readonly triggers: StoredTrigger[] = [];
  private counter = 0;

  constructor(private readonly idSeed = 'postroom') {}

  nextUniqueId(): string {
    this.counter += 1;
    const digest = createHash('sha256').update(`${this.idSeed}:trigger:${this.counter}`).digest();
    // Apps Script trigger ids are large decimal numbers.
    return (digest.readBigUInt64BE(0) >> 1n).toString();
  }

  add(trigger: Omit<StoredTrigger, 'uniqueId' | 'firedCount' | 'lastFiredAt' | 'nextRunAt'>): StoredTrigger {
    const stored: StoredTrigger = {
      ...trigger,
      uniqueId: this.nextUniqueId(),
      firedCount: 0,
      lastFiredAt: null,
      nextRunAt: trigger.schedule ? firstRun(trigger.schedule, trigger.createdAt) : null,
    };
    this.triggers.push(stored);
    return stored;
  }

  get(uniqueId: string): StoredTrigger | undefined {
    return this.triggers.find((t) => t.uniqueId === uniqueId);
  }

  remove(uniqueId: string): boolean {
    const index = this.triggers.findIndex((t) => t.uniqueId === uniqueId);
    if (index < 0) return false;
    this.triggers.splice(index, 1);
    return true;
  }

  forUser(userEmail: string): StoredTrigger[] {
    return this.triggers.filter((t) => t.userEmail === userEmail);
  }

  /** Clock triggers due at `now`, earliest first. */
  dueTriggers(now: number): StoredTrigger[] {
    return this.triggers
      .filter((t) => t.nextRunAt !== null && t.nextRunAt <= now)
      .sort((a, b) => (a.nextRunAt as number) - (b.nextRunAt as number));
  }

  /** The earliest next run of any clock trigger, or null: lets the runner jump the clock to it. */
  nextDueAt(): number | null {
    const times = this.triggers.map((t) => t.nextRunAt).filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  }

  /** Records a firing at `now`: a one-shot trigger is deleted, a recurring one gets its next run. */
  markFired(trigger: StoredTrigger, now: number): void {
    trigger.firedCount += 1;
    trigger.lastFiredAt = now;
    if (!trigger.schedule) return;
    const next = nextRun(trigger.schedule, trigger.nextRunAt ?? now, now);
    if (next === null) this.remove(trigger.uniqueId);
    else trigger.nextRunAt = next;
  }

  /** The event object of a time-driven firing. */
  eventFor(trigger: StoredTrigger, firedAt: number): ClockTriggerEvent {
    const d = new Date(firedAt);
    const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
    return {
      authMode: 'FULL',
      'day-of-month': d.getUTCDate(),
      'day-of-week': d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      month: d.getUTCMonth() + 1,
      second: d.getUTCSeconds(),
      timezone: 'UTC',
      triggerUid: trigger.uniqueId,
      'week-of-year': Math.ceil(((firedAt - startOfYear) / 86_400_000 + new Date(startOfYear).getUTCDay() + 1) / 7),
      year: d.getUTCFullYear(),
    };
  }

  toJSON(): StoredTrigger[] {
    return this.triggers.map((t) => ({ ...t }));
  }
}

export interface ScriptAppOptions {
  /** Published add-on rules: time-based triggers at most hourly. */
  addonMode?: boolean;
  oauthToken?: string;
  userEmail?: string;
  scriptTimeZone?: string;
  scriptId?: string;
}

interface Settings {
  store: TriggerStore;
  ctx: ServiceContext;
  addonMode: boolean;
  userEmail: string;
  scriptTimeZone: string;
}

function checkLimit(settings: Settings): void {
  if (settings.store.forUser(settings.userEmail).length >= MAX_TRIGGERS_PER_USER) throw new Error(TRIGGER_ERRORS.tooMany);
}

export class FakeTrigger implements Pick<
  Trigger,
  'getHandlerFunction' | 'getUniqueId' | 'getTriggerSource' | 'getTriggerSourceId' | 'getEventType'
> {
  constructor(
    private readonly ctx: ServiceContext,
    readonly stored: StoredTrigger,
  ) {}

  getHandlerFunction(): string {
    return this.ctx.call('ScriptApp.Trigger.getHandlerFunction', () => this.stored.handlerFunction);
  }
  getUniqueId(): string {
    return this.ctx.call('ScriptApp.Trigger.getUniqueId', () => this.stored.uniqueId);
  }
  getTriggerSource(): GoogleAppsScript.Script.TriggerSource {
    return this.ctx.call(
      'ScriptApp.Trigger.getTriggerSource',
      () => this.stored.triggerSource as unknown as GoogleAppsScript.Script.TriggerSource,
    );
  }
  getTriggerSourceId(): string {
    return this.ctx.call('ScriptApp.Trigger.getTriggerSourceId', () => this.stored.triggerSourceId as string);
  }
  getEventType(): GoogleAppsScript.Script.EventType {
    return this.ctx.call('ScriptApp.Trigger.getEventType', () => this.stored.eventType as unknown as GoogleAppsScript.Script.EventType);
  }
}

function wrapTrigger(ctx: ServiceContext, stored: StoredTrigger): Trigger {
  return withNotEmulated(new FakeTrigger(ctx, stored), 'ScriptApp.Trigger') as unknown as Trigger;
}

export class FakeClockTriggerBuilder implements Pick<
  ClockTriggerBuilder,
  | 'after'
  | 'at'
  | 'atDate'
  | 'atHour'
  | 'create'
  | 'everyDays'
  | 'everyHours'
  | 'everyMinutes'
  | 'everyWeeks'
  | 'inTimezone'
  | 'nearMinute'
  | 'onWeekDay'
  | 'onMonthDay'
> {
  private once: number | null = null;
  private repeat: { kind: 'minutes' | 'hours' | 'days' | 'weeks'; n: number } | null = null;
  private hour: number | null = null;
  private minute: number | null = null;
  private weekday: number | null = null;
  private timeZone: string | null = null;

  constructor(
    private readonly settings: Settings,
    private readonly handlerFunction: string,
  ) {}

  private step(method: string, fn: () => void): ClockTriggerBuilder {
    return this.settings.ctx.call(`ScriptApp.ClockTriggerBuilder.${method}`, () => {
      fn();
      return this as unknown as ClockTriggerBuilder;
    });
  }

  after(durationMilliseconds: number): ClockTriggerBuilder {
    return this.step('after', () => {
      if (!(Number(durationMilliseconds) >= 0)) throw new Error(TRIGGER_ERRORS.positive('after', durationMilliseconds));
      this.once = this.settings.ctx.clock.now() + Number(durationMilliseconds);
    });
  }
  at(date: GoogleAppsScript.Base.Date): ClockTriggerBuilder {
    return this.step('at', () => {
      if (!isDateLike(date)) throw new Error('Invalid argument: date');
      this.once = date.getTime();
    });
  }
  atDate(year: number, month: number, day: number): ClockTriggerBuilder {
    return this.step('atDate', () => {
      this.once = zonedTimeToEpoch(this.timeZone ?? this.settings.scriptTimeZone, year, month, day);
    });
  }
  atHour(hour: number): ClockTriggerBuilder {
    return this.step('atHour', () => {
      if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new Error(TRIGGER_ERRORS.atHour(hour));
      this.hour = hour;
    });
  }
  nearMinute(minute: number): ClockTriggerBuilder {
    return this.step('nearMinute', () => {
      if (!Number.isInteger(minute) || minute < 0 || minute > 59) throw new Error(TRIGGER_ERRORS.nearMinute(minute));
      this.minute = minute;
    });
  }
  everyMinutes(n: number): ClockTriggerBuilder {
    return this.step('everyMinutes', () => {
      if (![1, 5, 10, 15, 30].includes(n)) throw new Error(TRIGGER_ERRORS.everyMinutes(n));
      this.repeat = { kind: 'minutes', n };
    });
  }
  everyHours(n: number): ClockTriggerBuilder {
    return this.step('everyHours', () => {
      if (![1, 2, 4, 6, 8, 12].includes(n)) throw new Error(TRIGGER_ERRORS.everyHours(n));
      this.repeat = { kind: 'hours', n };
    });
  }
  everyDays(n: number): ClockTriggerBuilder {
    return this.step('everyDays', () => {
      if (!Number.isInteger(n) || n < 1) throw new Error(TRIGGER_ERRORS.positive('everyDays', n));
      this.repeat = { kind: 'days', n };
    });
  }
  everyWeeks(n: number): ClockTriggerBuilder {
    return this.step('everyWeeks', () => {
      if (!Number.isInteger(n) || n < 1) throw new Error(TRIGGER_ERRORS.positive('everyWeeks', n));
      this.repeat = { kind: 'weeks', n };
    });
  }
  onWeekDay(day: GoogleAppsScript.Base.Weekday): ClockTriggerBuilder {
    return this.step('onWeekDay', () => {
      const index = WEEKDAY_INDEX[String(day)];
      if (index === undefined) throw new Error('Invalid argument: day');
      this.weekday = index;
    });
  }
  onMonthDay(_day: number): ClockTriggerBuilder {
    throw notEmulated('ScriptApp.ClockTriggerBuilder.onMonthDay');
  }
  inTimezone(timezone: string): ClockTriggerBuilder {
    return this.step('inTimezone', () => {
      if (!isValidTimeZone(String(timezone))) throw new Error(TRIGGER_ERRORS.timeZone(timezone));
      this.timeZone = String(timezone);
    });
  }

  private schedule(): ClockSchedule {
    const { ctx, scriptTimeZone } = this.settings;
    if (this.once !== null && this.repeat === null) return { kind: 'once', at: this.once };
    if (this.repeat === null) throw new Error(TRIGGER_ERRORS.noSchedule);
    if (this.repeat.kind === 'minutes' || this.repeat.kind === 'hours') {
      if (this.hour !== null || this.minute !== null) throw new Error(TRIGGER_ERRORS.atHourAlone);
      return { kind: this.repeat.kind, n: this.repeat.n };
    }
    const timeZone = this.timeZone ?? scriptTimeZone;
    const now = zonedParts(ctx.clock.now(), timeZone);
    // Without atHour the platform picks an hour; the emulator keeps the creation hour (deterministic).
    const hour = this.hour ?? now.hour;
    const minute = this.minute ?? (this.hour === null ? now.minute : 0);
    if (this.repeat.kind === 'weeks')
      return { kind: 'weeks', n: this.repeat.n, weekday: this.weekday ?? now.weekday, hour, minute, timeZone };
    return { kind: 'days', n: this.repeat.n, hour, minute, timeZone };
  }

  create(): Trigger {
    return this.settings.ctx.call('ScriptApp.ClockTriggerBuilder.create', () => {
      const schedule = this.schedule();
      if (this.settings.addonMode && schedule.kind === 'minutes') throw new Error(TRIGGER_ERRORS.addonTooFrequent);
      checkLimit(this.settings);
      const stored = this.settings.store.add({
        handlerFunction: this.handlerFunction,
        eventType: 'CLOCK',
        triggerSource: 'CLOCK',
        triggerSourceId: '',
        userEmail: this.settings.userEmail,
        createdAt: this.settings.ctx.clock.now(),
        schedule,
      });
      return wrapTrigger(this.settings.ctx, stored);
    });
  }
}

export class FakeSpreadsheetTriggerBuilder implements Pick<
  SpreadsheetTriggerBuilder,
  'onOpen' | 'onEdit' | 'onChange' | 'onFormSubmit' | 'create'
> {
  private event: StoredTrigger['eventType'] | null = null;

  constructor(
    private readonly settings: Settings,
    private readonly handlerFunction: string,
    private readonly spreadsheetId: string,
  ) {}

  private choose(event: StoredTrigger['eventType']): SpreadsheetTriggerBuilder {
    return this.settings.ctx.call(
      `ScriptApp.SpreadsheetTriggerBuilder.${event === 'ON_OPEN' ? 'onOpen' : event === 'ON_EDIT' ? 'onEdit' : event === 'ON_CHANGE' ? 'onChange' : 'onFormSubmit'}`,
      () => {
        this.event = event;
        return this as unknown as SpreadsheetTriggerBuilder;
      },
    );
  }

  onOpen(): SpreadsheetTriggerBuilder {
    return this.choose('ON_OPEN');
  }
  onEdit(): SpreadsheetTriggerBuilder {
    return this.choose('ON_EDIT');
  }
  onChange(): SpreadsheetTriggerBuilder {
    return this.choose('ON_CHANGE');
  }
  onFormSubmit(): SpreadsheetTriggerBuilder {
    return this.choose('ON_FORM_SUBMIT');
  }
  create(): Trigger {
    return this.settings.ctx.call('ScriptApp.SpreadsheetTriggerBuilder.create', () => {
      if (!this.event) throw new Error(TRIGGER_ERRORS.noEvent);
      checkLimit(this.settings);
      const stored = this.settings.store.add({
        handlerFunction: this.handlerFunction,
        eventType: this.event,
        triggerSource: 'SPREADSHEETS',
        triggerSourceId: this.spreadsheetId,
        userEmail: this.settings.userEmail,
        createdAt: this.settings.ctx.clock.now(),
        schedule: null,
      });
      return wrapTrigger(this.settings.ctx, stored);
    });
  }
}

export class FakeTriggerBuilder implements Pick<TriggerBuilder, 'timeBased' | 'forSpreadsheet'> {
  constructor(
    private readonly settings: Settings,
    private readonly handlerFunction: string,
  ) {}

  timeBased(): ClockTriggerBuilder {
    return this.settings.ctx.call(
      'ScriptApp.TriggerBuilder.timeBased',
      () =>
        withNotEmulated(
          new FakeClockTriggerBuilder(this.settings, this.handlerFunction),
          'ScriptApp.ClockTriggerBuilder',
        ) as unknown as ClockTriggerBuilder,
    );
  }
  forSpreadsheet(sheet: GoogleAppsScript.Spreadsheet.Spreadsheet | string): SpreadsheetTriggerBuilder {
    return this.settings.ctx.call('ScriptApp.TriggerBuilder.forSpreadsheet', () => {
      const id = typeof sheet === 'string' ? sheet : sheet instanceof FakeSpreadsheet ? sheet.id : null;
      if (!id) throw new Error('Invalid argument: sheet');
      return withNotEmulated(
        new FakeSpreadsheetTriggerBuilder(this.settings, this.handlerFunction, id),
        'ScriptApp.SpreadsheetTriggerBuilder',
      ) as unknown as SpreadsheetTriggerBuilder;
    });
  }
}

export class FakeScriptApp implements Pick<
  GoogleAppsScript.Script.ScriptApp,
  'newTrigger' | 'getProjectTriggers' | 'deleteTrigger' | 'getOAuthToken' | 'getScriptId' | 'getUserTriggers'
> {
  readonly AuthMode = AuthMode;
  readonly TriggerSource = TriggerSource;
  readonly EventType = EventType;
  readonly WeekDay = WeekDay;
  private readonly settings: Settings;

  constructor(
    store: TriggerStore,
    private readonly ctx: ServiceContext,
    private readonly options: ScriptAppOptions = {},
  ) {
    this.settings = {
      store,
      ctx,
      addonMode: Boolean(options.addonMode),
      userEmail: options.userEmail ?? 'user@example.com',
      scriptTimeZone: options.scriptTimeZone ?? 'Europe/Paris',
    };
  }

  newTrigger(functionName: string): TriggerBuilder {
    return this.ctx.call(
      'ScriptApp.newTrigger',
      () =>
        withNotEmulated(
          new FakeTriggerBuilder(this.settings, String(functionName)),
          'ScriptApp.TriggerBuilder',
        ) as unknown as TriggerBuilder,
    );
  }
  getProjectTriggers(): Trigger[] {
    return this.ctx.call('ScriptApp.getProjectTriggers', () =>
      this.settings.store.forUser(this.settings.userEmail).map((stored) => wrapTrigger(this.ctx, stored)),
    );
  }
  /** getUserTriggers(spreadsheet); documents and forms are not emulated (no triggers can name them). */
  getUserTriggers(
    spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet | GoogleAppsScript.Document.Document | GoogleAppsScript.Forms.Form,
  ): Trigger[] {
    return this.ctx.call('ScriptApp.getUserTriggers', () => {
      const id = spreadsheet instanceof FakeSpreadsheet ? spreadsheet.id : null;
      return this.settings.store
        .forUser(this.settings.userEmail)
        .filter((t) => t.triggerSourceId === id)
        .map((stored) => wrapTrigger(this.ctx, stored));
    });
  }
  deleteTrigger(trigger: Trigger): void {
    this.ctx.call('ScriptApp.deleteTrigger', () => {
      if (!(trigger instanceof FakeTrigger)) throw new Error(TRIGGER_ERRORS.unknownTrigger);
      this.settings.store.remove(trigger.stored.uniqueId);
    });
  }
  getOAuthToken(): string {
    return this.ctx.call('ScriptApp.getOAuthToken', () => this.options.oauthToken ?? DEFAULT_OAUTH_TOKEN);
  }
  getScriptId(): string {
    return this.ctx.call('ScriptApp.getScriptId', () => this.options.scriptId ?? '1postroom-emulated-script-id');
  }
}

/** ScriptApp for the sandbox over the workspace's TriggerStore. */
export function createScriptApp(
  store: TriggerStore,
  ctx: ServiceContext,
  options: ScriptAppOptions = {},
): GoogleAppsScript.Script.ScriptApp {
  return withNotEmulated(new FakeScriptApp(store, ctx, options), 'ScriptApp') as unknown as GoogleAppsScript.Script.ScriptApp;
}
