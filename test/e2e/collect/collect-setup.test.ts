// Settings, checks and schedule of the collect job through the built bundle's api and triggers:
// checkCollectSetup reports each check; a run refuses while a blocking check fails and says which;
// saveCollectSettings validates (a bad value names its key, nothing is stored), installs or removes the
// `runCollect` trigger, refuses sub-hourly schedules in a published add-on; the time-driven handler
// collects with the saved settings and does nothing while `enabled` is false. Also the local CLI.

import { makePdf } from '../../../emulator/demo/binary-files';
import { attachment, textPart } from '../../../emulator/demo/mime-writer';
import { main } from '../../../emulator/cli';
import { SETTINGS_KEY, SUPPLIER, addMessage, collect, ensureBuilt, jobRuns, openWorkspace, receipts, type Opened } from './helpers';

beforeAll(ensureBuilt);

interface Check {
  id: string;
  ok: boolean;
  blocking: boolean;
  detail: string;
}

function withOneInvoice(opened: Opened): Opened {
  addMessage(opened.workspace, {
    messageId: 'setup-1@x',
    root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', 'S-1.pdf', makePdf(['S-1']))] },
  });
  return opened;
}

const triggersOf = (opened: Opened, handler: string) => opened.workspace.triggers.triggers.filter((t) => t.handlerFunction === handler);

describe('checkCollectSetup', () => {
  it('with the default settings: nobody is allowed, so the run refuses and names the check', () => {
    const opened = withOneInvoice(openWorkspace({ locale: 'en' }, null));
    const report = opened.runner.rpc('checkCollectSetup').value as { ok: boolean; checks: Check[] };
    expect(report.ok).toBe(false);
    const settings = report.checks.find((check) => check.id === 'settings')!;
    expect(settings).toMatchObject({ ok: false, blocking: true });
    expect(settings.detail).toMatch(/^allowedSenders: the list is empty/);
    const run = opened.runner.rpc('collectFromGmail', {});
    expect(run.outcome).toBe('threw');
    // Said in the user's words and recorded as a failed JobRuns row.
    expect(run.error!.message).toMatch(/^Collection not started: no allowed sender is set/);
    expect(jobRuns(opened.workspace).map((row) => row.status)).toEqual(['failed']);
    expect(receipts(opened.workspace)).toEqual([]);
  });

  it('refuses in the user’s language: French checks and refusal in a French workspace', () => {
    const opened = withOneInvoice(openWorkspace({ locale: 'fr' }, null));
    const report = opened.runner.rpc('checkCollectSetup').value as { ok: boolean; checks: Check[] };
    expect(report.checks.find((check) => check.id === 'settings')!.detail).toMatch(
      /^allowedSenders : la liste est vide, personne n’est collecté/,
    );
    expect(report.checks.find((check) => check.id === 'folder.incoming')!.detail).toBe(
      'Postroom/incoming : sera créé à la première collecte',
    );
    const run = opened.runner.rpc('collectFromGmail', {});
    expect(run.error!.message).toMatch(/^Collecte non lancée : aucun expéditeur autorisé n’est configuré/);
    const bad = opened.runner.rpc('collectFromGmail', { since: '2026-02-30' });
    expect(bad.error!.message).toBe('since : « 2026-02-30 » n’est pas un jour au format AAAA-MM-JJ');
  });

  it('reports folders and ledger tabs to be created, then present after a run', () => {
    const opened = withOneInvoice(openWorkspace({ locale: 'en' }));
    const before = opened.runner.rpc('checkCollectSetup').value as { ok: boolean; checks: Check[] };
    expect(before.ok).toBe(true);
    expect(Object.fromEntries(before.checks.map((check) => [check.id, check.detail]))).toEqual({
      settings: 'valid and coherent',
      'folder.root': 'Postroom: will be created on the first run',
      'folder.incoming': 'Postroom/incoming: will be created on the first run',
      'folder.quarantine': 'Postroom/quarantine: will be created on the first run',
      'folder.logs': 'Postroom/logs: will be created on the first run',
      'ledger.Receipts': 'tab "Receipts" will be created on the first run',
      'ledger.JobRuns': 'tab "JobRuns" will be created on the first run',
      trigger: 'no trigger installed, as configured',
    });
    collect(opened);
    const after = opened.runner.rpc('checkCollectSetup').value as { checks: Check[] };
    const details = Object.fromEntries(after.checks.map((check) => [check.id, check.detail]));
    expect(details['folder.incoming']).toBe('Postroom/incoming: present');
    expect(details['folder.logs']).toBe('Postroom/logs: present');
    expect(details['ledger.Receipts']).toBe('tab "Receipts" present');
  });

  it('says when the trigger is not installed as configured (not blocking a manual run)', () => {
    const opened = withOneInvoice(
      openWorkspace({ locale: 'en' }, { allowedSenders: [SUPPLIER], enabled: true, schedule: { kind: 'hourly' } }),
    );
    const report = opened.runner.rpc('checkCollectSetup').value as { ok: boolean; checks: Check[] };
    expect(report.checks.find((check) => check.id === 'trigger')).toEqual({
      id: 'trigger',
      ok: false,
      blocking: false,
      detail: 'one hourly trigger expected, 0 installed: save the settings to repair',
    });
    expect(report.ok).toBe(true);
  });
});

describe('saveCollectSettings and the schedule', () => {
  it('installs the runCollect trigger for an enabled schedule and removes it when switched off', () => {
    const opened = openWorkspace({}, null);
    const saved = opened.runner.rpc('saveCollectSettings', {
      enabled: true,
      allowedSenders: [SUPPLIER],
      schedule: { kind: 'daily', hour: 7 },
    });
    expect(saved.outcome).toBe('completed');
    expect(triggersOf(opened, 'runCollect')).toHaveLength(1);
    expect(triggersOf(opened, 'runCollect')[0].schedule).toMatchObject({ kind: 'days', hour: 7 });
    opened.runner.rpc('saveCollectSettings', { schedule: { kind: 'hourly' } });
    expect(triggersOf(opened, 'runCollect')).toHaveLength(1);
    opened.runner.rpc('saveCollectSettings', { enabled: false });
    expect(triggersOf(opened, 'runCollect')).toHaveLength(0);
    const view = opened.runner.rpc('getCollectSettings').value as {
      settings: { enabled: boolean; schedule: unknown; allowedSenders: string[] };
    };
    expect(view.settings).toMatchObject({ enabled: false, schedule: { kind: 'hourly' }, allowedSenders: [SUPPLIER] });
  });

  it('refuses a bad value naming the key, and stores nothing', () => {
    const opened = openWorkspace({}, null);
    const result = opened.runner.rpc('saveCollectSettings', { maxSizeBytes: 0 });
    expect(result.outcome).toBe('threw');
    expect(result.error!.message).toBe('maxSizeBytes: must be at least 1 bytes (got 0)');
    expect(opened.workspace.properties.user.values.has(SETTINGS_KEY)).toBe(false);
  });

  it('in a published add-on, refuses a schedule more frequent than hourly (the platform refuses the trigger)', () => {
    const opened = openWorkspace({ addonMode: true, locale: 'en' }, null);
    const result = opened.runner.rpc('saveCollectSettings', {
      enabled: true,
      allowedSenders: [SUPPLIER],
      schedule: { kind: 'everyMinutes', minutes: 15 },
    });
    expect(result.outcome).toBe('threw');
    expect(result.error!.message).toBe('schedule: Add-ons may not create time-based triggers to run more frequently than once per hour.');
    expect(triggersOf(opened, 'runCollect')).toHaveLength(0);
    expect(opened.workspace.properties.user.values.has(SETTINGS_KEY)).toBe(false);
    // With the add-on flag set, the settings refuse it before any trigger is touched.
    const flagged = openWorkspace({ addonMode: true }, null);
    flagged.workspace.properties.script.commit(new Map([['postroom.addonMode', 'true']]));
    const refused = flagged.runner.rpc('saveCollectSettings', {
      enabled: true,
      allowedSenders: [SUPPLIER],
      schedule: { kind: 'everyMinutes', minutes: 15 },
    });
    expect(refused.error!.message).toMatch(/^schedule: a published add-on may run at most once per hour/);
    expect(flagged.workspace.accounting.total.calls['ScriptApp.getProjectTriggers'] ?? 0).toBe(0);
  });

  it('the time-driven handler collects with the saved settings when it fires', () => {
    const opened = withOneInvoice(openWorkspace({}, null));
    opened.runner.rpc('saveCollectSettings', { enabled: true, allowedSenders: [SUPPLIER], schedule: { kind: 'hourly' } });
    const fired = opened.runner.advanceAndFire(61 * 60_000);
    expect(fired.map((r) => `${r.fn} ${r.kind} ${r.outcome}`)).toContain('runCollect trigger completed');
    expect(receipts(opened.workspace).map((row) => row.original_filename)).toEqual(['S-1.pdf']);
  });

  it('the handler does nothing while enabled is false', () => {
    const opened = withOneInvoice(openWorkspace({}, { allowedSenders: [SUPPLIER], enabled: false }));
    const result = opened.runner.invoke('runCollect', [{}], 'trigger');
    expect(result.outcome).toBe('completed');
    expect(result.value).toBeNull();
    expect(result.logs).toContain('Postroom collect: disabled in the settings, nothing done.');
    expect(receipts(opened.workspace)).toEqual([]);
    expect(opened.workspace.mailbox.dumpState()[0].unread).toBe(true);
  });
});

describe('the local CLI', () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
  }

  it('`collect --dry-run` on the demo workspace prints the summary, metrics and accounting', async () => {
    const { io, out } = capture();
    const code = await main(['collect', '--dry-run', '--max', '50'], io);
    expect(code).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/^Collect run collect-\S+: dry_run \(dry run\)$/m);
    expect(text).toMatch(/receipts_created\s+15$/m);
    expect(text).toMatch(/quarantined\s+4$/m);
    expect(text).toMatch(/Gmail quota units\s+\d+$/m);
    expect(text).toMatch(/Gmail calls per method\s+messages\.list 1, messages\.get 22, messages\.attachments\.get 19$/m);
  });

  it('`collect --json --since` prints the run as JSON', async () => {
    const { io, out } = capture();
    const code = await main(['collect', '--json', '--since', '2026-01-10'], io);
    expect(code).toBe(0);
    const report = JSON.parse(out.join(''));
    expect(report.summary.status).toBe('succeeded');
    expect(report.summary.metrics.emailsScanned).toBeLessThan(22);
    expect(report.accounting.executions).toBe(report.executions);
  });

  it('refuses a bad --since with usage', async () => {
    const { io, err } = capture();
    expect(await main(['collect', '--since', '15/01/2026'], io)).toBe(2);
    expect(err.join('')).toMatch(/--since must be a day such as 2026-01-05/);
  });
});
