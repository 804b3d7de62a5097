// The setting that picks the gateway's transport for every job: settings.mail.transport, else
// settings.send.transport, else REST; and REST's batches of at most 50 requests per fetchAll.

import { buildGlobals } from '../../../emulator/globals';
import { Runner } from '../../../emulator/runner';
import { harnessSource, makeWorld, type World } from './helpers';

function store(world: World, values: Record<string, unknown>): void {
  const next = new Map(world.workspace.properties.user.values);
  for (const [key, value] of Object.entries(values)) next.set(`postroom.${key}`, JSON.stringify(value));
  world.workspace.properties.user.commit(next);
}

describe('mail gateway choice from the settings', () => {
  it('defaults to REST', () => {
    const world = makeWorld(1);
    const answer = world.run('settings', 'profile');
    expect(answer.kind).toBe('rest');
    expect(answer.emulator.fetchAll).toBe(1);
  });

  it('follows the send settings’ transport, and the mail settings over it', () => {
    const world = makeWorld(1);
    store(world, { 'settings.send': { subjectTemplate: 'x', transport: 'advanced' } });
    const advanced = world.run('settings', 'getMessages', world.invoices, 'minimal');
    expect(advanced.kind).toBe('advanced');
    expect(advanced.emulator).toEqual({ calls: 1, units: 5, fetchAll: 0 });
    store(world, { 'settings.mail': { transport: 'rest' } });
    expect(world.run('settings', 'profile').kind).toBe('rest');
  });

  it('refuses an unknown transport with a clear error', () => {
    const world = makeWorld(1);
    store(world, { 'settings.mail': { transport: 'smtp' } });
    expect(() => world.run('settings', 'profile')).toThrow('Le transport de messagerie « smtp » (settings.mail.transport) est inconnu');
  });
});

describe('REST batches', () => {
  it('reads 60 messages in two fetchAll calls (at most 50 requests each), every one answered', () => {
    const world = makeWorld(60);
    const answer = world.run('rest', 'getMessages', world.invoices, 'metadata');
    expect(answer.result.filter((o: { ok: boolean }) => o.ok)).toHaveLength(60);
    expect(answer.result.map((o: { value: { id: string } }) => o.value.id)).toEqual(world.invoices);
    expect(answer.emulator).toEqual({ calls: 60, units: 300, fetchAll: 2 });
  });
});

describe('Advanced service not enabled', () => {
  it('every request fails with a PermissionError that says how to fix it; nothing is thrown', () => {
    const world = makeWorld(1);
    const runner = new Runner(world.workspace, {
      source: harnessSource(),
      sidebarPath: null,
      globals: (workspace, environment) => {
        const globals = buildGlobals(workspace, environment);
        delete globals.Gmail;
        return globals;
      },
    });
    const outcome = runner.invoke('gatewayRun', ['advanced', 'getMessages', JSON.stringify([world.invoices, 'minimal'])], 'cli');
    const { result, usage } = JSON.parse(String(outcome.value));
    expect(result).toEqual([
      { ok: false, error: expect.objectContaining({ name: 'PermissionError', status: 0, operation: 'getMessages' }) },
    ]);
    expect(result[0].error.en).toBe(
      'The Advanced Gmail service is not enabled in this project: choose the REST transport in the mail settings, or enable the service (appsscript.json).',
    );
    expect(result[0].error.fr).toContain('Le service Gmail avancé n’est pas activé dans ce projet');
    expect(usage).toEqual({ calls: 0, units: 0 });
  });
});

describe('ensureLabels racing another execution', () => {
  // The label appears (created by another execution) between this gateway's labels.list and its
  // labels.create: Gmail answers 409, the gateway lists again and uses the existing label.
  it.each([
    ['rest', 3], // ScriptApp.getOAuthToken, fetchAll(labels.list), fetchAll(labels.create)
    ['advanced', 2], // Labels.list, Labels.create
  ] as const)('%s: a 409 on create is resolved by listing again', (kind, createCall) => {
    const world = makeWorld(1);
    let raced = '';
    const outcome = world.runner.invoke('gatewayRun', [kind, 'ensureLabels', JSON.stringify([['Postroom/imported']])], 'cli', {
      during: [{ atCall: createCall, run: () => (raced = world.workspace.mailbox.createLabel('Postroom').id) }],
    });
    const { result, usage } = JSON.parse(String(outcome.value));
    const byName = Object.fromEntries(
      world.workspace.mailbox
        .labels()
        .filter((l) => l.type === 'user')
        .map((l) => [l.name, l.id]),
    );
    expect(Object.keys(byName).sort()).toEqual(['Postroom', 'Postroom/imported']);
    expect(byName.Postroom).toBe(raced);
    expect(result).toEqual({ ok: true, value: { 'Postroom/imported': byName['Postroom/imported'] } });
    expect(usage).toEqual({ calls: 4, units: 1 + 5 + 1 + 5 });
  });
});
