// One user's whole emulated Google world: the virtual clock, accounting, fault plan and service
// context every call goes through, the quotas, and one store per service (Gmail mailbox, Drive,
// Spreadsheets with the "Postroom" container spreadsheet active, property stores, caches, locks,
// triggers), plus the session facts (user, locale, time zone), the add-on mode and the logs.
// A Workspace outlives executions: the Runner builds fresh globals over it for each execution
// (emulator/globals.ts), so state persists only where Apps Script persists it (stores), never in
// script globals. `Workspace.create(options)` is the one way to make one.

import { DriveStore } from './drive/drive-store';
import { GmailApiCore } from './gmail/api-core';
import { Mailbox } from './gmail/mailbox';
import type { DueTrigger, RunnerWorkspace } from './runner';
import { Accounting, FaultPlan, ServiceContext, VirtualClock } from './runtime/execution';
import { ScriptCpuMeter, type ScriptCpuOptions } from './runtime/script-cpu';
import { Quotas } from './runtime/quotas';
import { TRIGGER_RUNTIME_PER_DAY_MS, TriggerRuntimeBudget } from './runtime/trigger-budget';
import { BrowserDialogs } from './services/browser';
import { createCacheStores, type CacheStores } from './services/cache';
import { LockStore } from './services/lock';
import type { LogEntry } from './services/logger';
import { createPropertyStores, type PropertyStores } from './services/properties';
import { TriggerStore } from './services/script-app';
import { UiLog } from './sheets/ui';
import { SpreadsheetStore } from './sheets/spreadsheet-store';
import { SheetsRestQuota } from './sheets/sheets-rest';

export const DEFAULT_USER = 'compta@opticiens-demo.fr';
export const DEFAULT_LOCALE = 'fr';
export const DEFAULT_TIME_ZONE = 'Europe/Paris';
/** 2026-01-15 09:00 in Paris: a weekday morning in the demo's month. */
export const DEFAULT_NOW = Date.UTC(2026, 0, 15, 8, 0, 0);
export const CONTAINER_NAME = 'Postroom';

export interface WorkspaceOptions {
  /** Virtual start time: epoch ms, Date or ISO string. */
  now?: number | Date | string;
  user?: string;
  /** Session.getActiveUser().getEmail(); '' reproduces a consumer outside the owner's domain. Default: user. */
  activeUserEmail?: string;
  /** Apps Script locale tag of the user ("fr", "en", "fr_FR"). */
  locale?: string;
  timeZone?: string;
  /** Seed of fault injection and of deterministic ids. */
  seed?: number;
  /** Probability (0..1) of a transient fault on each faultable call. */
  faultRate?: number;
  /** Kill every execution at its Nth service call. */
  killEvery?: number;
  /**
   * Unflushed Sheets value writes are lost when an execution is killed (adversarial reading of the
   * undocumented platform behaviour; see emulator/FIDELITY.md). Default true.
   */
  loseUnflushedSheetWrites?: boolean;
  /** Published add-on rules (triggers at most hourly). */
  addonMode?: boolean;
  /** Google Workspace account (quotas of Workspace) rather than consumer; default: not @gmail.com. */
  workspaceAccount?: boolean;
  /** Create the bound "Postroom" spreadsheet (default true); false emulates a standalone script. */
  container?: boolean;
  /**
   * Charge the script's own JavaScript CPU time (× scale) to each execution (runtime/script-cpu.ts).
   * Default off: measured time is not reproducible, and tests and benchmarks need exact figures.
   */
  scriptCpu?: ScriptCpuOptions;
}

/** The session facts Session / ScriptApp report. */
export interface SessionFacts {
  /** The effective user: the account the script runs as (whose mailbox it is). */
  userEmail: string;
  /** What Session.getActiveUser().getEmail() returns ('' when the platform withholds it). */
  activeUserEmail: string;
  locale: string;
  timeZone: string;
}

function parseNow(now: WorkspaceOptions['now']): number {
  if (now === undefined) return DEFAULT_NOW;
  if (typeof now === 'number') return now;
  const ms = now instanceof Date ? now.getTime() : Date.parse(now);
  if (!Number.isFinite(ms)) throw new Error(`Workspace: invalid date ${String(now)}`);
  return ms;
}

export class Workspace implements RunnerWorkspace {
  readonly clock: VirtualClock;
  readonly accounting = new Accounting();
  readonly faults: FaultPlan;
  readonly ctx: ServiceContext;
  readonly quotas: Quotas;
  readonly session: SessionFacts;
  readonly addonMode: boolean;
  readonly workspaceAccount: boolean;
  readonly seed: number;

  readonly mailbox: Mailbox;
  /** The Gmail API core shared by every execution: attachment ids live by their TTL, across executions. */
  readonly gmailCore: GmailApiCore;
  readonly drive: DriveStore;
  readonly sheets: SpreadsheetStore;
  /** The spreadsheet the script is bound to (null for a standalone script). */
  readonly containerId: string | null;
  readonly ui = new UiLog();
  /** Browser.inputBox / msgBox: scripted answers and the record of the dialogs shown. */
  readonly browser = new BrowserDialogs();
  readonly properties: PropertyStores;
  readonly caches: CacheStores;
  readonly locks = new LockStore();
  readonly triggers: TriggerStore;
  readonly htmlFiles: Record<string, string> = {};
  readonly triggerBudget: TriggerRuntimeBudget;
  /** Every line Logger.log / console.* wrote, in order. */
  readonly logs: LogEntry[] = [];
  /** The OAuth token ScriptApp.getOAuthToken returns and the Gmail REST routes accept. */
  readonly oauthToken: string;
  /** The Sheets API's per-minute request quotas: they outlive an execution. */
  readonly sheetsRestQuota = new SheetsRestQuota();

  private constructor(options: WorkspaceOptions) {
    this.clock = new VirtualClock(parseNow(options.now));
    this.seed = options.seed ?? 1;
    this.faults = new FaultPlan({ seed: this.seed, rate: options.faultRate ?? 0, killEvery: options.killEvery });
    this.ctx = new ServiceContext(this.clock, this.accounting, this.faults, new ScriptCpuMeter(options.scriptCpu ?? { mode: 'off' }));
    const userEmail = (options.user ?? DEFAULT_USER).toLowerCase();
    this.session = {
      userEmail,
      activeUserEmail: options.activeUserEmail ?? userEmail,
      locale: options.locale ?? DEFAULT_LOCALE,
      timeZone: options.timeZone ?? DEFAULT_TIME_ZONE,
    };
    this.addonMode = options.addonMode ?? false;
    this.workspaceAccount = options.workspaceAccount ?? !/@(gmail|googlemail)\.com$/.test(userEmail);
    this.quotas = new Quotas(this.clock, { workspace: this.workspaceAccount });
    this.triggerBudget = new TriggerRuntimeBudget(
      this.workspaceAccount ? TRIGGER_RUNTIME_PER_DAY_MS.workspace : TRIGGER_RUNTIME_PER_DAY_MS.consumer,
    );
    this.oauthToken = `ya29.emulated-${this.seed}-${userEmail.replace(/[^a-z0-9]/g, '')}`;

    const now = () => this.clock.now();
    this.mailbox = new Mailbox({ userEmail, now });
    this.gmailCore = new GmailApiCore({ mailbox: this.mailbox, quotas: this.quotas, now, timeZone: this.session.timeZone });
    const idSeed = `postroom-${this.seed}`;
    this.drive = new DriveStore(this.clock, { idSeed });
    const sheetLocale = this.session.locale.replace('-', '_');
    this.sheets = new SpreadsheetStore(this.clock, {
      idSeed,
      locale: sheetLocale.includes('_') ? sheetLocale : `${sheetLocale}_${sheetLocale.toUpperCase()}`,
      timeZone: this.session.timeZone,
      loseUnflushedWritesOnKill: options.loseUnflushedSheetWrites ?? false,
    });
    const inContainer = options.container ?? true;
    this.containerId = inContainer
      ? this.sheets.create(CONTAINER_NAME, { firstSheetName: /^fr/i.test(this.session.locale) ? 'Feuille 1' : 'Sheet1' }).id
      : null;
    this.properties = createPropertyStores({ inContainer });
    this.caches = createCacheStores({ inContainer });
    this.triggers = new TriggerStore(idSeed);
  }

  static create(options: WorkspaceOptions = {}): Workspace {
    return new Workspace(options);
  }

  get timeZone(): string {
    return this.session.timeZone;
  }

  get inContainer(): boolean {
    return this.containerId !== null;
  }

  /**
   * Setup helper (outside any execution, costs nothing): writes `rows` as plain text (number format
   * "@", so nothing becomes a number, date or formula) into tab `name` of the container spreadsheet,
   * creating the tab when missing.
   */
  writeContainerTab(name: string, rows: string[][]): void {
    const data = this.containerId ? this.sheets.get(this.containerId) : undefined;
    if (!data) throw new Error('Workspace.writeContainerTab: no container spreadsheet (standalone workspace)');
    let sheet = data.sheets.find((candidate) => candidate.name === name);
    if (!sheet) {
      sheet = this.sheets.newSheet(name);
      data.sheets.push(sheet);
    }
    rows.forEach((row, r) =>
      row.forEach((value, c) => {
        const cell = this.sheets.cell(sheet, r + 1, c + 1, true);
        cell.value = value;
        cell.formula = null;
        cell.numberFormat = '@';
      }),
    );
  }

  // ---- RunnerWorkspace ----------------------------------------------------------------------

  releaseLocksOf(executionId: number): void {
    this.locks.releaseAllFor(executionId);
  }

  dueTriggers(now: number): DueTrigger[] {
    return this.triggers.dueTriggers(now).map((trigger) => ({ uid: trigger.uniqueId, handler: trigger.handlerFunction }));
  }

  markTriggerFired(uid: string, at: number): void {
    const trigger = this.triggers.get(uid);
    if (trigger) this.triggers.markFired(trigger, at);
  }

  nextTriggerAt(): number | null {
    return this.triggers.nextDueAt();
  }

  triggerEvent(uid: string, at: number): unknown {
    const trigger = this.triggers.get(uid);
    if (!trigger) throw new Error(`Workspace.triggerEvent: no trigger ${uid}`);
    return this.triggers.eventFor(trigger, at);
  }
}
