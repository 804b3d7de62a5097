// `npm run conformance:build`: packages the conformance checks (emulator/conformance/checks.js, plain
// Apps Script) as a project anyone can push to a scratch Apps Script project and run there:
//   dist/conformance/Conformance.js   the checks and `runConformance()`
//   dist/conformance/appsscript.json  V8, Europe/Paris, the Advanced Gmail service enabled
// Then: `clasp create --type standalone --rootDir dist/conformance && clasp push`, open the editor,
// run `runConformance`, read the "Conformance" sheet (created on first run) or the execution log.
// The same file runs in the emulator in test/emulator/runtime/conformance.test.ts.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// CommonJS under tsx and jest (package.json has no "type": "module").
const here = __dirname;

export const CONFORMANCE_MANIFEST = {
  timeZone: 'Europe/Paris',
  runtimeVersion: 'V8',
  exceptionLogging: 'STACKDRIVER',
  dependencies: { enabledAdvancedServices: [{ userSymbol: 'Gmail', serviceId: 'gmail', version: 'v1' }] },
};

/** The Apps Script source of the conformance project. */
export function conformanceSource(): string {
  return readFileSync(join(here, 'checks.js'), 'utf8');
}

/** Writes the project into `outdir` (default dist/conformance); returns the written paths. */
export function buildConformance(outdir = resolve(here, '../../dist/conformance')): string[] {
  mkdirSync(outdir, { recursive: true });
  const code = join(outdir, 'Conformance.js');
  const manifest = join(outdir, 'appsscript.json');
  writeFileSync(code, conformanceSource());
  writeFileSync(manifest, `${JSON.stringify(CONFORMANCE_MANIFEST, null, 2)}\n`);
  return [code, manifest];
}

if (require.main === module) {
  for (const path of buildConformance()) console.log(`wrote ${path}`);
}
