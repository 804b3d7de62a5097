// The setup checks a run needs to pass before it starts (and the sidebar shows): settings valid and
// coherent, folders present or to be created, ledger tabs present or to be created, the schedule's
// trigger installed as configured. Reads only: it creates nothing.

import {
  JOB_RUNS_TABLE,
  LOGS_FOLDER,
  RECEIPTS_TABLE,
  STATE_FOLDER,
  adviseSettings,
  checkSettingsCoherence,
  setupText,
  type CollectSettings,
} from '../../domain/collect';
import type { Locale } from '../../domain/i18n';
import { errorMessage } from '../../domain/errors';
import { COLLECT_TRIGGER_HANDLER, type CollectDeps } from './deps';
import { loadCollectSettings } from './settings';

export interface SetupCheck {
  /** Stable id: "settings", "folder.incoming", "ledger.Receipts", "trigger"… */
  id: string;
  ok: boolean;
  /** A failing blocking check stops a run. */
  blocking: boolean;
  detail: string;
}

export interface SetupReport {
  ok: boolean;
  checks: SetupCheck[];
  advice: string[];
}

type SetupDeps = Pick<CollectDeps, 'store' | 'addonMode' | 'files' | 'ledgerProbe' | 'scheduler'> & { locale?: Locale };

export function folderPaths(settings: Pick<CollectSettings, 'rootFolder'>): Record<'root' | 'incoming' | 'quarantine' | 'logs', string[]> {
  return {
    root: [settings.rootFolder],
    incoming: [settings.rootFolder, STATE_FOLDER.ingested],
    quarantine: [settings.rootFolder, STATE_FOLDER.quarantined],
    logs: [settings.rootFolder, LOGS_FOLDER],
  };
}

/**
 * Every check, blocking or not. `given` is checked instead of the stored settings when passed (a run
 * checks the settings it has just read).
 */
export function checkSetup(deps: SetupDeps, given?: CollectSettings): SetupReport {
  const checks: SetupCheck[] = [];
  let settings: CollectSettings | null = given ?? null;
  if (!settings) {
    try {
      settings = loadCollectSettings(deps);
    } catch (error) {
      checks.push({ id: 'settings', ok: false, blocking: true, detail: errorMessage(error) });
    }
  }
  if (settings) checks.push(...settingsAndFolderChecks(deps, settings));
  checks.push(...ledgerChecks(deps));
  if (settings) checks.push(triggerCheck(deps, settings));
  return { ok: checks.every((check) => check.ok || !check.blocking), checks, advice: settings ? adviseSettings(settings) : [] };
}

function settingsAndFolderChecks(deps: SetupDeps, settings: CollectSettings): SetupCheck[] {
  const locale = deps.locale ?? 'en';
  const problems = checkSettingsCoherence(settings, { addonMode: deps.addonMode }, locale);
  const checks: SetupCheck[] = [
    {
      id: 'settings',
      ok: problems.length === 0,
      blocking: true,
      detail: problems.length ? problems.join('; ') : setupText(locale, 'check.valid'),
    },
  ];
  for (const [name, path] of Object.entries(folderPaths(settings))) {
    const present = deps.files.findFolder(path) !== null;
    checks.push({
      id: `folder.${name}`,
      ok: true,
      blocking: true,
      detail: setupText(locale, present ? 'check.folder.present' : 'check.folder.later', { path: path.join('/') }),
    });
  }
  return checks;
}

function ledgerChecks(deps: SetupDeps): SetupCheck[] {
  const locale = deps.locale ?? 'en';
  const tabs = deps.ledgerProbe.tabs([RECEIPTS_TABLE.name, JOB_RUNS_TABLE.name]);
  return [RECEIPTS_TABLE, JOB_RUNS_TABLE].map((spec) => {
    const tab = tabs?.[spec.name];
    let detail: string;
    if (!tabs) detail = setupText(locale, 'check.ledger.none');
    else if (!tab?.exists) detail = setupText(locale, 'check.ledger.later', { tab: spec.name });
    else {
      const missing = spec.headers.filter((header) => !tab.headers.includes(header));
      detail = missing.length
        ? setupText(locale, 'check.ledger.columns', { tab: spec.name, columns: missing.join(', ') })
        : setupText(locale, 'check.ledger.present', { tab: spec.name });
    }
    return { id: `ledger.${spec.name}`, ok: true, blocking: true, detail };
  });
}

function triggerCheck(deps: SetupDeps, settings: CollectSettings): SetupCheck {
  const expected = settings.enabled && settings.schedule.kind !== 'off' ? 1 : 0;
  const locale = deps.locale ?? 'en';
  const installed = deps.scheduler.installed(COLLECT_TRIGGER_HANDLER);
  const want = expected
    ? setupText(locale, 'check.trigger.one', { schedule: describeSchedule(settings) })
    : setupText(locale, 'check.trigger.none');
  return {
    id: 'trigger',
    ok: installed === expected,
    // A schedule out of step does not make a manual run wrong; saving the settings repairs it.
    blocking: false,
    detail: setupText(locale, installed === expected ? 'check.trigger.ok' : 'check.trigger.off', { want, installed }),
  };
}

function describeSchedule(settings: CollectSettings): string {
  const s = settings.schedule;
  if (s.kind === 'everyMinutes') return `every-${s.minutes}-minutes`;
  if (s.kind === 'daily') return `daily-at-${s.hour}h`;
  return s.kind;
}
