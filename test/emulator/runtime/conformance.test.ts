// The conformance checks that `npm run conformance:build` packages for a real Apps Script project
// (emulator/conformance/checks.js) run here, unchanged, in the emulator: every check must pass. A
// failing check here means the emulator no longer does what it claims about the platform.

import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConformance, CONFORMANCE_MANIFEST } from '../../../emulator/conformance/build';
import { buildGlobals } from '../../../emulator/globals';
import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';

interface ConformanceReport {
  passed: number;
  failed: number;
  results: Array<{ name: string; ok: boolean; detail: string; doc: string }>;
}

const outdir = mkdtempSync(join(tmpdir(), 'postroom-conformance-'));
const [codePath, manifestPath] = buildConformance(outdir);

describe('the packaged conformance project', () => {
  it('is one plain Apps Script file and a V8 manifest with the Advanced Gmail service', () => {
    expect(JSON.parse(readFileSync(manifestPath, 'utf8'))).toEqual(CONFORMANCE_MANIFEST);
    const code = readFileSync(codePath, 'utf8');
    expect(code).toMatch(/function runConformance\(\)/);
    expect(code).not.toMatch(/\brequire\(|\bimport\s|\bexport\s/);
  });
});

describe.each([
  ['container-bound (the Postroom spreadsheet)', true],
  ['standalone (no active spreadsheet)', false],
])('every check passes in the emulator, %s', (_label, container) => {
  let report: ConformanceReport;
  let workspace: Workspace;

  beforeAll(() => {
    workspace = Workspace.create({ container });
    const runner = new Runner(workspace, { scriptPath: codePath, sidebarPath: null });
    const result = runner.menu('runConformance');
    if (result.outcome !== 'completed') throw new Error(`runConformance ${result.outcome}: ${result.error?.message}`);
    report = result.value as ConformanceReport;
  });

  it('runs at least 20 checks', () => {
    expect(report.results.length).toBeGreaterThanOrEqual(20);
  });

  it('passes each one', () => {
    const failures = report.results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.detail}`);
    expect(failures).toEqual([]);
  });

  it('writes one PASS row per check into the Conformance sheet', () => {
    const spreadsheet = workspace.sheets.all().find((s) => s.sheets.some((sheet) => sheet.name === 'Conformance'))!;
    const rows = workspace.sheets.tabValues(spreadsheet.id).Conformance;
    expect(rows[0]).toEqual(['check', 'result', 'detail', 'documentation']);
    expect(rows.slice(1).map((row) => row[1])).toEqual(report.results.map(() => 'PASS'));
  });
});

describe('the checks can fail', () => {
  it('reports a FAIL when a service departs from the platform (unsigned digest bytes, unpadded base64)', () => {
    const workspace = Workspace.create();
    const runner = new Runner(workspace, {
      scriptPath: codePath,
      sidebarPath: null,
      globals: (ws, environment) => {
        const globals = buildGlobals(ws, environment);
        const real = globals.Utilities as GoogleAppsScript.Utilities.Utilities;
        // A deliberately wrong Utilities: unsigned digest bytes and web-safe base64 without padding.
        const wrong = Object.create(real) as GoogleAppsScript.Utilities.Utilities;
        Object.assign(wrong, {
          DigestAlgorithm: real.DigestAlgorithm,
          Charset: real.Charset,
          computeDigest: (...args: Parameters<typeof real.computeDigest>) => real.computeDigest(...args).map((b) => b & 0xff),
          base64EncodeWebSafe: (data: string) => real.base64EncodeWebSafe(data).replace(/=+$/, ''),
        });
        return { ...globals, Utilities: wrong };
      },
    });
    const report = runner.menu('runConformance').value as ConformanceReport;
    const failed = report.results.filter((r) => !r.ok).map((r) => r.name);
    expect(failed).toEqual([
      'Utilities.computeDigest returns signed bytes',
      'Utilities.computeDigest MD5 of UTF-8 text',
      'Utilities.base64EncodeWebSafe keeps = padding',
    ]);
  });
});
