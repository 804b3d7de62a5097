// The BUILT bundle (dist/Code.js, dist/Sidebar.html) run as Apps Script runs it, through the
// emulator's runner: every declared entry point is a top-level function; onOpen adds the Postroom menu
// in the user's language; showSidebar serves the built sidebar; getStatus answers google.script.run;
// onHomepage builds the Gmail card. Entry points are read from the bundle itself
// (PostroomBundle.entryPoints), never listed by hand here.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Runner } from '../../emulator/runner';
import { renderCard } from '../../emulator/services/card-service';
import { Workspace, type WorkspaceOptions } from '../../emulator/workspace';

const ROOT = join(__dirname, '../..');
const CODE = join(ROOT, 'dist/Code.js');
const SIDEBAR = join(ROOT, 'dist/Sidebar.html');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

beforeAll(() => {
  if (!existsSync(CODE) || !existsSync(SIDEBAR)) execFileSync('node', ['build.mjs', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
});

function open(options: WorkspaceOptions = {}) {
  const workspace = Workspace.create(options);
  return { workspace, runner: new Runner(workspace, { scriptPath: CODE, sidebarPath: SIDEBAR }) };
}

describe('the entry points of dist/Code.js', () => {
  it('declares api and triggers, and each declared name is a top-level function', () => {
    const { runner } = open();
    const result = runner.evaluate(`(() => {
      const groups = PostroomBundle.entryPoints;
      return Object.keys(groups).map((group) => Object.keys(groups[group]).map((name) => [group, name, typeof globalThis[name]]));
    })()`);
    expect(result.outcome).toBe('completed');
    const declared = (result.value as Array<Array<[string, string, string]>>).flat();
    expect(declared.map(([group]) => group)).toEqual(expect.arrayContaining(['api', 'triggers']));
    expect(declared.map(([, name]) => name)).toEqual(expect.arrayContaining(['getStatus', 'onOpen', 'showSidebar', 'onHomepage']));
    for (const [group, name, type] of declared) expect(`${group}.${name}: ${type}`).toBe(`${group}.${name}: function`);
  });

  it('calls no service while loading', () => {
    const { runner } = open();
    const result = runner.evaluate('typeof PostroomBundle');
    expect(result.value).toBe('object');
    expect(result.counts.calls).toEqual({});
  });
});

describe('onOpen: the Postroom menu in the user language', () => {
  it.each([
    ['fr', 'Ouvrir le panneau'],
    ['fr_CA', 'Ouvrir le panneau'],
    ['en', 'Open sidebar'],
    ['de', 'Open sidebar'],
  ])('locale %s shows "%s"', (locale, item) => {
    const { runner, workspace } = open({ locale });
    const result = runner.simpleTrigger('onOpen', { authMode: 'LIMITED' });
    expect(result.outcome).toBe('completed');
    expect(workspace.ui.menus).toEqual([
      { caption: 'Postroom', addon: expect.any(Boolean), entries: [{ caption: item, functionName: 'showSidebar' }] },
    ]);
  });
});

describe('showSidebar', () => {
  it('shows the built Sidebar.html, titled Postroom', () => {
    const { runner, workspace } = open();
    expect(runner.menu('showSidebar').outcome).toBe('completed');
    expect(workspace.ui.sidebars).toHaveLength(1);
    expect(workspace.ui.sidebars[0].title).toBe('Postroom');
    expect(workspace.ui.sidebars[0].html).toBe(readFileSync(SIDEBAR, 'utf8'));
  });
});

describe('getStatus over google.script.run', () => {
  it.each([
    ['fr', 'fr'],
    ['en_GB', 'en'],
  ])('locale %s: version, user, locale %s and time zone', (locale, expected) => {
    const { runner } = open({ locale, user: 'marie@opticiens-demo.fr', timeZone: 'America/Montreal' });
    const result = runner.rpc('getStatus');
    expect(result.outcome).toBe('completed');
    expect(result.value).toEqual({
      app: 'Postroom',
      version: VERSION,
      user: 'marie@opticiens-demo.fr',
      locale: expected,
      timeZone: 'America/Montreal',
    });
  });

  it('falls back to the effective user when the active user is withheld', () => {
    const { runner } = open({ activeUserEmail: '' });
    expect((runner.rpc('getStatus').value as { user: string }).user).toBe('compta@opticiens-demo.fr');
  });
});

describe('onHomepage: the Gmail add-on card', () => {
  it('builds a card holding the status, within the 30-second card limit', () => {
    const { runner } = open();
    const result = runner.card('onHomepage', { commonEventObject: { hostApp: 'GMAIL' } });
    expect(result.outcome).toBe('completed');
    const card = JSON.stringify(renderCard(result.value));
    for (const text of ['Postroom', 'État', VERSION, 'compta@opticiens-demo.fr', 'Europe/Paris']) expect(card).toContain(text);
    expect(result.endedAt - result.startedAt).toBeLessThan(30_000);
  });
});
