// Conformance tests for ScriptApp triggers and the TriggerStore the runner drives.
// https://developers.google.com/apps-script/reference/script/clock-trigger-builder
// https://developers.google.com/apps-script/add-ons/concepts/triggers (add-on restrictions)
// https://developers.google.com/apps-script/guides/services/quotas (20 triggers / user / script)

import { createScriptApp, DEFAULT_OAUTH_TOKEN, TRIGGER_ERRORS, TriggerStore } from '../../../emulator/services/script-app';
import { newContext } from './helpers';

function setup(options: { addonMode?: boolean; userEmail?: string } = {}, start?: number) {
  const ctx = newContext(start);
  const store = new TriggerStore();
  const app = createScriptApp(store, ctx, { addonMode: options.addonMode, userEmail: options.userEmail, scriptTimeZone: 'Europe/Paris' });
  return { ctx, store, app };
}

describe('everyMinutes accepts only 1, 5, 10, 15 or 30; everyHours only 1, 2, 4, 6, 8 or 12', () => {
  it.each([1, 5, 10, 15, 30])('everyMinutes(%i) creates a trigger', (n) => {
    const { app, store } = setup();
    app.newTrigger('runCollect').timeBased().everyMinutes(n).create();
    expect(store.triggers).toHaveLength(1);
  });
  it.each([0, 2, 20, 60])('everyMinutes(%i) is refused', (n) => {
    const { app } = setup();
    expect(() => app.newTrigger('runCollect').timeBased().everyMinutes(n)).toThrow(TRIGGER_ERRORS.everyMinutes(n));
  });
  it('everyHours(3) is refused, atHour(24) too', () => {
    const { app } = setup();
    expect(() => app.newTrigger('f').timeBased().everyHours(3)).toThrow(TRIGGER_ERRORS.everyHours(3));
    expect(() => app.newTrigger('f').timeBased().everyDays(1).atHour(24)).toThrow(TRIGGER_ERRORS.atHour(24));
  });
  it('a builder without a schedule cannot create', () => {
    const { app } = setup();
    expect(() => app.newTrigger('f').timeBased().create()).toThrow(TRIGGER_ERRORS.noSchedule);
  });
});

describe('add-on mode: no time-based trigger more frequent than hourly', () => {
  it("refuses everyMinutes with Apps Script's message, accepts everyHours(1) and after()", () => {
    const { app, store } = setup({ addonMode: true });
    expect(() => app.newTrigger('runCollect').timeBased().everyMinutes(30).create()).toThrow(
      'Add-ons may not create time-based triggers to run more frequently than once per hour.',
    );
    app.newTrigger('runCollect').timeBased().everyHours(1).create();
    app.newTrigger('continueJob').timeBased().after(60_000).create();
    expect(store.triggers.map((t) => t.handlerFunction)).toEqual(['runCollect', 'continueJob']);
  });
});

describe('20 triggers per user per script', () => {
  it("the 21st is refused with Apps Script's message; another user still can", () => {
    const { app, store, ctx } = setup();
    for (let i = 0; i < 20; i++) app.newTrigger(`f${i}`).timeBased().everyHours(1).create();
    expect(() => app.newTrigger('f20').timeBased().everyHours(1).create()).toThrow(
      'This script has too many triggers. Triggers must be deleted from the script before more can be added.',
    );
    const other = createScriptApp(store, ctx, { userEmail: 'other@x.fr' });
    other.newTrigger('g').timeBased().everyHours(1).create();
    expect(other.getProjectTriggers()).toHaveLength(1);
    expect(app.getProjectTriggers()).toHaveLength(20);
  });
});

describe('getProjectTriggers / deleteTrigger / Trigger getters', () => {
  it('lists, describes and deletes triggers', () => {
    const { app } = setup();
    const clock = app.newTrigger('runCollect').timeBased().everyHours(1).create();
    const open = app.newTrigger('onOpenInstalled').forSpreadsheet('sheet-id').onOpen().create();
    expect(clock.getHandlerFunction()).toBe('runCollect');
    expect(clock.getEventType()).toBe(app.EventType.CLOCK);
    expect(clock.getTriggerSource()).toBe(app.TriggerSource.CLOCK);
    expect(open.getEventType()).toBe(app.EventType.ON_OPEN);
    expect(open.getTriggerSource()).toBe(app.TriggerSource.SPREADSHEETS);
    expect(open.getTriggerSourceId()).toBe('sheet-id');
    expect(clock.getUniqueId()).toMatch(/^\d+$/);
    app.deleteTrigger(app.getProjectTriggers()[0]);
    expect(app.getProjectTriggers().map((t) => t.getHandlerFunction())).toEqual(['onOpenInstalled']);
  });
  it('getOAuthToken returns the workspace token the Gmail REST route accepts', () => {
    expect(setup().app.getOAuthToken()).toBe(DEFAULT_OAUTH_TOKEN);
  });
});

describe('TriggerStore: due triggers and next runs, for the runner', () => {
  it('everyMinutes(5) is due every 5 minutes of virtual time', () => {
    const { app, store, ctx } = setup();
    const t0 = ctx.clock.now();
    app.newTrigger('runCollect').timeBased().everyMinutes(5).create();
    const created = store.triggers[0].createdAt;
    expect(store.dueTriggers(created + 299_999)).toHaveLength(0);
    const [due] = store.dueTriggers(created + 300_000);
    expect(due.handlerFunction).toBe('runCollect');
    store.markFired(due, created + 300_000);
    expect(due.nextRunAt).toBe(created + 600_000);
    expect(store.eventFor(due, created + 300_000)).toMatchObject({ triggerUid: due.uniqueId, timezone: 'UTC', year: 2026 });
    expect(created).toBeGreaterThanOrEqual(t0);
  });
  it('missed runs are skipped, not queued', () => {
    const { app, store } = setup();
    app.newTrigger('f').timeBased().everyMinutes(10).create();
    const trigger = store.triggers[0];
    const late = trigger.createdAt + 35 * 60_000;
    expect(store.dueTriggers(late)).toHaveLength(1);
    store.markFired(trigger, late);
    expect(trigger.nextRunAt).toBe(trigger.createdAt + 40 * 60_000);
  });
  it('after(ms) fires once and is then deleted', () => {
    const { app, store, ctx } = setup();
    const before = ctx.clock.now();
    app.newTrigger('continueJob').timeBased().after(90_000).create();
    const [trigger] = store.triggers;
    // 90 s after the moment after() was called (the builder calls themselves cost virtual time).
    expect(trigger.nextRunAt).toBeGreaterThan(before + 90_000);
    expect(trigger.nextRunAt).toBeLessThanOrEqual(ctx.clock.now() + 90_000);
    store.markFired(trigger, trigger.nextRunAt!);
    expect(store.triggers).toHaveLength(0);
  });
  it('everyDays(1).atHour(6) in Europe/Paris keeps 06:00 local across the DST change', () => {
    // Created on 2026-03-28 at 12:00 UTC (13:00 in Paris, winter time).
    const { app, store } = setup({}, Date.UTC(2026, 2, 28, 12, 0, 0));
    app.newTrigger('runDaily').timeBased().everyDays(1).atHour(6).inTimezone('Europe/Paris').create();
    const [trigger] = store.triggers;
    // Next day, 29 March, is the first day of summer time: 06:00 CEST = 04:00 UTC.
    expect(new Date(trigger.nextRunAt!).toISOString()).toBe('2026-03-29T04:00:00.000Z');
    store.markFired(trigger, trigger.nextRunAt!);
    expect(new Date(trigger.nextRunAt!).toISOString()).toBe('2026-03-30T04:00:00.000Z');
  });
  it('event triggers are never due on the clock', () => {
    const { app, store } = setup();
    app.newTrigger('onEditInstalled').forSpreadsheet('id').onEdit().create();
    expect(store.dueTriggers(Number.MAX_SAFE_INTEGER)).toHaveLength(0);
    expect(store.nextDueAt()).toBeNull();
  });
});
