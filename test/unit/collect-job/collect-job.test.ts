// Unit tests of the collect job's pure parts, without any Apps Script global: caller options, the
// Gmail query of a run, the run snapshot split over property values under the 9 KB limit, checkSetup
// over small stateful in-memory stores, and the recognition of an execution that is over.

import { PROPERTY_VALUE_LIMIT } from '../../../src/server/adapters/properties';
import { defaultCollectSettings } from '../../../src/server/domain/collect';
import { PostroomError } from '../../../src/server/domain/errors';
import {
  buildQuery,
  checkSetup,
  collectFromGmail,
  errorMessage,
  isExecutionOver,
  parseCollectInput,
  saveCollectSettings,
  type CollectDeps,
} from '../../../src/server/jobs/collect';
import { STATE_KEYS, chunkIds, loadSnapshot, saveSnapshot } from '../../../src/server/jobs/collect';
import type { FileStore } from '../../../src/server/ports/files';
import type { KeyValueStore } from '../../../src/server/ports/kv';
import type { Schedule, Scheduler } from '../../../src/server/ports/scheduler';

/** A KeyValueStore over a Map, storing JSON text as PropertiesService does. */
function memoryStore(): KeyValueStore & { raw: Map<string, string> } {
  const raw = new Map<string, string>();
  return {
    raw,
    get: <T>(key: string) => (raw.has(key) ? (JSON.parse(raw.get(key) as string) as T) : null),
    set: (key, value) => {
      const text = JSON.stringify(value);
      if (text.length > PROPERTY_VALUE_LIMIT) throw new Error(`${key} over 9 KB`);
      raw.set(key, text);
    },
    delete: (key) => void raw.delete(key),
  };
}

/** Triggers by handler, as ScriptApp keeps them. */
function memoryScheduler(refuseMinutes = false): Scheduler & { installedSchedules: Map<string, Schedule> } {
  const installedSchedules = new Map<string, Schedule>();
  return {
    installedSchedules,
    schedule(handler, schedule) {
      if (refuseMinutes && schedule.kind === 'everyMinutes')
        throw new Error('Add-ons may not create time-based triggers to run more frequently than once per hour.');
      if (schedule.kind === 'off') installedSchedules.delete(handler);
      else installedSchedules.set(handler, schedule);
    },
    installed: (handler) => (installedSchedules.has(handler) ? 1 : 0),
    continueAfter() {},
  };
}

/** Folders that exist, by path. */
function folders(existing: string[]): Pick<FileStore, 'findFolder'> {
  return { findFolder: (path) => (existing.includes(path.join('/')) ? `id:${path.join('/')}` : null) };
}

describe('parseCollectInput', () => {
  it('accepts the three options and nothing else', () => {
    expect(parseCollectInput(undefined)).toEqual({});
    expect(parseCollectInput({ dryRun: true, maxItems: 5, since: '2026-01-31' })).toEqual({
      dryRun: true,
      maxItems: 5,
      since: '2026-01-31',
    });
    expect(parseCollectInput({ maxItems: '', since: '' })).toEqual({});
  });

  it.each([
    [{ dryRun: 'yes' }, /^dryRun: must be true or false/],
    [{ maxItems: 0 }, /^maxItems: must be a whole number from 1/],
    [{ maxItems: 2.5 }, /^maxItems:/],
    [{ since: '2026-02-30' }, /^since: "2026-02-30" is not a day/],
    [{ since: '31/01/2026' }, /^since:/],
    [{ max: 3 }, /^max: not a collect option/],
    [[1], /must be an object/],
  ])('refuses %j', (input, message) => {
    expect(() => parseCollectInput(input)).toThrow(message);
    try {
      parseCollectInput(input);
    } catch (error) {
      expect((error as PostroomError).code).toBe('INVALID_INPUT');
    }
  });
});

describe('buildQuery', () => {
  it('adds after: in Gmail date form for since', () => {
    expect(buildQuery('is:unread has:attachment', null)).toBe('is:unread has:attachment');
    expect(buildQuery('is:unread has:attachment', '2026-01-05')).toBe('is:unread has:attachment after:2026/01/05');
  });
});

describe('the run snapshot in user properties', () => {
  const ids = Array.from({ length: 1200 }, (_, i) => (0x19bc0ab240000000 + i * 7919).toString(16).padStart(16, '0'));

  it('splits ids into chunks under the property limit and reads them back in order', () => {
    const store = memoryStore();
    const chunks = saveSnapshot(store, ids);
    expect(chunks).toBe(3);
    for (let i = 0; i < chunks; i++)
      expect((store.raw.get(STATE_KEYS.idsChunk(i)) as string).length).toBeLessThanOrEqual(PROPERTY_VALUE_LIMIT);
    expect(loadSnapshot(store, chunks, ids.length)).toEqual(ids);
  });

  it('detects a missing or short snapshot instead of silently working on part of it', () => {
    const store = memoryStore();
    const chunks = saveSnapshot(store, ids);
    store.delete(STATE_KEYS.idsChunk(1));
    expect(() => loadSnapshot(store, chunks, ids.length)).toThrow(/incomplete/);
    expect(() => loadSnapshot(memoryStore(), 0, 3)).toThrow(/holds 0 ids, not 3/);
  });

  it('refuses an id that would break the format', () => {
    expect(() => chunkIds(['a,b'])).toThrow(/Unexpected Gmail message id/);
    expect(chunkIds([])).toEqual([]);
  });
});

describe('checkSetup', () => {
  const tabsAbsent = { tabs: () => null };

  it('blocks on incoherent settings and names the key', () => {
    const report = checkSetup({
      store: memoryStore(),
      addonMode: false,
      files: folders([]) as FileStore,
      ledgerProbe: tabsAbsent,
      scheduler: memoryScheduler(),
    });
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ id: 'settings', ok: false, blocking: true });
    expect(report.checks[0].detail).toMatch(/^allowedSenders: /);
  });

  it('blocks on stored settings that do not parse', () => {
    const store = memoryStore();
    store.set(STATE_KEYS.settings, { maxSizeBytes: 'big' });
    const report = checkSetup({
      store,
      addonMode: false,
      files: folders([]) as FileStore,
      ledgerProbe: tabsAbsent,
      scheduler: memoryScheduler(),
    });
    expect(report.checks).toContainEqual({
      id: 'settings',
      ok: false,
      blocking: true,
      detail: 'maxSizeBytes: must be a whole number of bytes, not the text "big"',
    });
  });

  it('reports present folders, missing ledger columns and the trigger', () => {
    const settings = { ...defaultCollectSettings(), allowedSenders: ['@x.fr'], enabled: true, schedule: { kind: 'hourly' as const } };
    const scheduler = memoryScheduler();
    scheduler.schedule('runCollect', { kind: 'hourly' });
    const report = checkSetup(
      {
        store: memoryStore(),
        addonMode: false,
        files: folders(['Postroom', 'Postroom/incoming']) as FileStore,
        ledgerProbe: {
          tabs: () => ({ Receipts: { exists: true, headers: ['source', 'sha256'] }, JobRuns: { exists: false, headers: [] } }),
        },
        scheduler,
      },
      settings,
    );
    const details = Object.fromEntries(report.checks.map((check) => [check.id, `${check.ok} ${check.detail}`]));
    expect(details['folder.incoming']).toBe('true Postroom/incoming: present');
    expect(details['folder.quarantine']).toBe('true Postroom/quarantine: will be created on the first run');
    expect(details['ledger.Receipts']).toMatch(/^true tab "Receipts": columns gmail_message_id, attachment_key, .* will be added$/);
    expect(details['ledger.JobRuns']).toBe('true tab "JobRuns" will be created on the first run');
    expect(details.trigger).toBe('true one hourly trigger installed, as configured');
    expect(report.ok).toBe(true);
  });
});

describe('saveCollectSettings', () => {
  it('merges over the stored settings and schedules only while enabled', () => {
    const store = memoryStore();
    const scheduler = memoryScheduler();
    saveCollectSettings({ store, scheduler, addonMode: false }, { allowedSenders: ['@x.fr'], schedule: { kind: 'daily', hour: 6 } });
    expect(scheduler.installed('runCollect')).toBe(0);
    const view = saveCollectSettings({ store, scheduler, addonMode: false }, { enabled: true });
    expect(view.settings).toMatchObject({ enabled: true, allowedSenders: ['@x.fr'], schedule: { kind: 'daily', hour: 6 } });
    expect(scheduler.installedSchedules.get('runCollect')).toEqual({ kind: 'daily', hour: 6 });
  });

  it('turns the platform refusing a trigger into an INVALID_SETTING on schedule, storing nothing', () => {
    const store = memoryStore();
    expect(() =>
      saveCollectSettings(
        { store, scheduler: memoryScheduler(true), addonMode: false },
        { enabled: true, allowedSenders: ['@x.fr'], schedule: { kind: 'everyMinutes', minutes: 5 } },
      ),
    ).toThrow(/^schedule: Add-ons may not create/);
    expect(store.raw.size).toBe(0);
  });
});

describe('errors', () => {
  it('reads messages of errors from another realm, and recognises an execution that is over', () => {
    expect(errorMessage({ name: 'Error', message: 'x' })).toBe('x');
    expect(errorMessage('plain')).toBe('plain');
    expect(isExecutionOver(new Error('Exceeded maximum execution time'))).toBe(true);
    expect(isExecutionOver(new Error('Execution killed (emulator fault injection)'))).toBe(true);
    expect(isExecutionOver(new Error('Service Spreadsheets failed'))).toBe(false);
  });
});

describe('the lock is shared by every Postroom job', () => {
  function refusedWith(holder: { sinceMs: number; runId: string | null } | null, now: number): PostroomError {
    const store = memoryStore();
    if (holder) store.set(STATE_KEYS.lockHolder, holder);
    // Only what a refused start touches: the lock (held elsewhere), the store, the clock, the locale.
    const deps = { store, lock: { tryAcquire: () => null }, clock: { now: () => now }, locale: 'en' } as unknown as CollectDeps;
    try {
      collectFromGmail(deps, {});
    } catch (error) {
      return error as PostroomError;
    }
    throw new Error('collectFromGmail ran while the lock was held');
  }

  it('says a collection is running when the collect holds it', () => {
    const error = refusedWith({ sinceMs: Date.UTC(2026, 0, 15, 8), runId: 'r1' }, Date.UTC(2026, 0, 15, 8, 2));
    expect(error.code).toBe('ALREADY_RUNNING');
    expect(error.message).toBe('A collection is already running (since 2026-01-15T08:00:00.000Z).');
  });

  it('says another job is running when the collect has no live holder record', () => {
    expect(refusedWith(null, Date.UTC(2026, 0, 15, 8)).message).toBe('Another Postroom job is running; try again in a few minutes.');
    // A record older than an execution can last is left over from a killed execution.
    expect(refusedWith({ sinceMs: Date.UTC(2026, 0, 15, 8), runId: null }, Date.UTC(2026, 0, 15, 8, 7)).message).toBe(
      'Another Postroom job is running; try again in a few minutes.',
    );
  });
});
