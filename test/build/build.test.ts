// The build's own guarantees: the three outputs, a top-level function per declared entry point, and a
// clear failure when an entry point is missing or the bundle touches a global Apps Script lacks.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';

const root = join(__dirname, '../..');

function runBuild(args: string[]) {
  const outdir = mkdtempSync(join(tmpdir(), 'postroom-build-'));
  const result = spawnSync(process.execPath, ['build.mjs', '--outdir', outdir, ...args], { cwd: root, encoding: 'utf8' });
  return { outdir, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run build', () => {
  const build = runBuild([]);

  it('writes Code.js, Sidebar.html and appsscript.json and prints their sizes', () => {
    expect(build.status).toBe(0);
    for (const file of ['Code.js', 'Sidebar.html', 'appsscript.json']) {
      expect(existsSync(join(build.outdir, file))).toBe(true);
      expect(build.stdout).toMatch(new RegExp(`dist/${file.replace('.', '\\.')}\\s+[\\d.]+ KiB`));
    }
    expect(JSON.parse(readFileSync(join(build.outdir, 'appsscript.json'), 'utf8'))).toEqual(
      JSON.parse(readFileSync(join(root, 'appsscript.json'), 'utf8')),
    );
  });

  it('emits a top-level function for every declared entry point', () => {
    const code = readFileSync(join(build.outdir, 'Code.js'), 'utf8');
    const context = vm.createContext({});
    vm.runInContext(code, context);
    const groups = context.PostroomBundle.entryPoints as Record<string, Record<string, unknown>>;
    const names = Object.values(groups).flatMap((group) => Object.keys(group));
    expect(names).toEqual(expect.arrayContaining(['getStatus', 'onOpen', 'onInstall', 'onHomepage', 'showSidebar']));
    for (const name of names) {
      expect(code).toMatch(new RegExp(`^function ${name}\\(`, 'm'));
      expect(typeof context[name]).toBe('function');
    }
  });

  it('inlines the sidebar script and styles into one page', () => {
    const html = readFileSync(join(build.outdir, 'Sidebar.html'), 'utf8');
    expect(html).not.toContain('__SCRIPT__');
    expect(html).not.toContain('__STYLES__');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/);
    expect(html).toContain('google.script.run');
  });
});

describe('the build fails clearly', () => {
  it('when a declared entry point is missing from the output', () => {
    const result = runBuild(['--server-entry', 'test/build/fixtures/missing-entry.ts', '--no-sidebar']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Build failed: Declared entry point(s) missing from the output (not a function): api.notThere');
    expect(existsSync(join(result.outdir, 'Code.js'))).toBe(false);
  });

  it('when the bundle touches a Node global while loading', () => {
    const result = runBuild(['--server-entry', 'test/build/fixtures/node-global.ts', '--no-sidebar']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('touches `process` while loading');
  });

  it('when the bundle calls an Apps Script service while loading', () => {
    const result = runBuild(['--server-entry', 'test/build/fixtures/service-at-load.ts', '--no-sidebar']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('calls PropertiesService.getScriptProperties while loading');
  });
});

describe('verifyEntryPoints', () => {
  it('refuses a bundle whose forwarding function was removed', () => {
    const script = [
      "import { verifyEntryPoints } from './build.mjs';",
      "const code = 'var PostroomBundle = { entryPoints: { api: { a() {}, b() {} } } };\\nfunction a() {}\\n';",
      "try { verifyEntryPoints(code, [{ group: 'api', name: 'a' }, { group: 'api', name: 'b' }]); console.log('accepted'); }",
      'catch (error) { console.log(error.message); }',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(out).toContain('Declared entry point(s) missing from dist/Code.js: api.b');
  });
});

describe('clasp push file set', () => {
  it('pushes exactly Code.js, Sidebar.html and appsscript.json from dist/', () => {
    const clasp = JSON.parse(readFileSync(join(root, '.clasp.json'), 'utf8'));
    expect(clasp.rootDir).toBe('dist');
    void execFileSync;
  });
});
