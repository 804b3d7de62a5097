// Time-driven triggers fire as the virtual clock advances; the daily trigger runtime budget; lock
// exclusion between two interleaved executions; seeded kills and transient faults reproducible from a
// seed. Sources: https://developers.google.com/apps-script/guides/triggers/installable#time-driven_triggers,
// https://developers.google.com/apps-script/guides/services/quotas, https://developers.google.com/apps-script/reference/lock/lock

import { Runner } from '../../../emulator/runner';
import { Workspace, type WorkspaceOptions } from '../../../emulator/workspace';

function setUp(source: string, options: WorkspaceOptions = {}) {
  const workspace = Workspace.create(options);
  return { workspace, runner: new Runner(workspace, { source }) };
}

describe('time-driven triggers', () => {
  const source = `
    function install() { ScriptApp.newTrigger('tick').timeBased().everyMinutes(15).create(); }
    function installOnce() { ScriptApp.newTrigger('tick').timeBased().after(10 * 60 * 1000).create(); }
    function tick(event) {
      var props = PropertiesService.getScriptProperties();
      props.setProperty('ticks', String(Number(props.getProperty('ticks') || 0) + 1));
      props.setProperty('lastEvent', JSON.stringify(event));
    }
    function busy(event) {
      var props = PropertiesService.getScriptProperties();
      for (;;) props.getProperty('x');
    }
    function installBusy() { ScriptApp.newTrigger('busy').timeBased().everyMinutes(10).create(); }
  `;

  it('fires a recurring trigger each period as time advances, with its event object', () => {
    const { workspace, runner } = setUp(source, { now: '2026-01-15T08:00:00Z' });
    runner.menu('install');
    const fired = runner.advanceAndFire(60 * 60_000);
    expect(fired).toHaveLength(4);
    expect(fired.every((result) => result.kind === 'trigger' && result.outcome === 'completed')).toBe(true);
    expect(workspace.properties.script.values.get('ticks')).toBe('4');
    expect(workspace.accounting.triggersFired).toBe(4);
    const event = JSON.parse(workspace.properties.script.values.get('lastEvent')!);
    expect(event).toMatchObject({ authMode: 'FULL', year: 2026, month: 1, 'day-of-month': 15, timezone: 'UTC' });
    expect(event.hour * 60 + event.minute).toBeGreaterThanOrEqual(9 * 60);
    expect(typeof event.triggerUid).toBe('string');
    expect(workspace.clock.now()).toBeGreaterThanOrEqual(Date.parse('2026-01-15T09:00:00Z'));
  });

  it('runs a one-shot trigger once and is then idle', () => {
    const { workspace, runner } = setUp(source);
    runner.menu('installOnce');
    expect(runner.runDueTriggers()).toHaveLength(0);
    const results = runner.runUntilIdle();
    expect(results).toHaveLength(1);
    expect(workspace.properties.script.values.get('ticks')).toBe('1');
    expect(workspace.nextTriggerAt()).toBeNull();
  });

  it('stops trigger executions once the consumer daily runtime (90 min) is spent', () => {
    const { workspace, runner } = setUp(source, { user: 'someone@gmail.com', now: '2026-01-15T00:00:00Z' });
    runner.menu('installBusy');
    const results = runner.advanceAndFire(4 * 60 * 60_000); // 24 firings at most
    const timedOut = results.filter((result) => result.outcome === 'timed-out');
    const refused = results.filter((result) => result.outcome === 'threw');
    // 6-minute executions: 15 of them use the 90 minutes; every later firing that day is refused.
    expect(timedOut).toHaveLength(15);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].error?.message).toBe('Service using too much computer time for one day');
    expect(refused.every((result) => result.counts.virtualMs === 0)).toBe(true);
    expect(workspace.triggerBudget.used(workspace.clock.now())).toBe(90 * 60_000);
  });
});

describe('locks between interleaved executions', () => {
  const source = `
    function holdAndWork() {
      var lock = LockService.getScriptLock();
      if (!lock.tryLock(1000)) return 'busy';
      var props = PropertiesService.getScriptProperties();
      props.setProperty('owner', 'A');
      props.setProperty('step', 'A-1');
      props.setProperty('step', 'A-2');
      lock.releaseLock();
      return 'done';
    }
    function tryMeanwhile() {
      var lock = LockService.getScriptLock();
      return lock.tryLock(0) ? 'got it' : 'refused';
    }
    function waitMeanwhile() {
      var lock = LockService.getScriptLock();
      lock.waitLock(2000);
      return 'got it';
    }
    function holdAndForget() {
      LockService.getScriptLock().tryLock(1000);
      return 'left without releasing';
    }
  `;

  it('refuses tryLock to B while A holds the lock, and grants it after A releases', () => {
    const { runner } = setUp(source);
    let during: string | undefined;
    // A's calls: getScriptLock (1), tryLock (2), getScriptProperties (3) … B runs inside call 4.
    const a = runner.invoke('holdAndWork', [], 'menu', {
      during: [{ atCall: 4, run: () => (during = runner.menu('tryMeanwhile').value as string) }],
    });
    expect(a.value).toBe('done');
    expect(during).toBe('refused');
    expect(runner.menu('tryMeanwhile').value).toBe('got it');
  });

  it("makes B's waitLock throw Apps Script's timeout while A holds it", () => {
    const { runner } = setUp(source);
    let b: ReturnType<typeof runner.menu> | undefined;
    runner.invoke('holdAndWork', [], 'menu', { during: [{ atCall: 4, run: () => (b = runner.menu('waitMeanwhile')) }] });
    expect(b?.outcome).toBe('threw');
    expect(b?.error?.message).toBe('Lock timeout: another process was holding the lock for too long.');
  });

  it('releases the locks an execution held when it ends', () => {
    const { runner } = setUp(source);
    expect(runner.menu('holdAndForget').outcome).toBe('completed');
    expect(runner.menu('tryMeanwhile').value).toBe('got it');
  });
});

describe('seeded fault injection', () => {
  const source = `
    function writeTen() {
      var props = PropertiesService.getScriptProperties();
      for (var i = 1; i <= 10; i++) props.setProperty('n', String(i));
      return 'done';
    }
    function fetchMany() {
      var outcomes = [];
      for (var i = 0; i < 40; i++) {
        try {
          var response = UrlFetchApp.fetch('https://gmail.googleapis.com/gmail/v1/users/me/profile', {
            headers: { Authorization: 'Bearer ' + ScriptApp.getOAuthToken() }, muteHttpExceptions: true });
          outcomes.push(response.getResponseCode());
        } catch (e) { outcomes.push(e.message.slice(0, 40)); }
      }
      return outcomes;
    }
  `;

  it('kills every execution at its Nth call; nothing after the kill is written', () => {
    const { workspace, runner } = setUp(source, { killEvery: 5 });
    const result = runner.menu('writeTen');
    expect(result.outcome).toBe('killed');
    // Call 1 getScriptProperties, calls 2-4 write 1..3, call 5 is killed before it takes effect.
    expect(workspace.properties.script.values.get('n')).toBe('3');
    expect(workspace.accounting.killedExecutions).toBe(1);
  });

  it('injects the same transient faults for the same seed, and other ones for another seed', () => {
    const run = (seed: number) => setUp(source, { seed, faultRate: 0.3 }).runner.menu('fetchMany').value as unknown[];
    const first = run(7);
    expect(run(7)).toEqual(first);
    expect(first.filter((outcome) => outcome === 200).length).toBeLessThan(40);
    expect(first.filter((outcome) => outcome !== 200).length).toBeGreaterThan(3);
    expect(run(8)).not.toEqual(first);
  });
});
