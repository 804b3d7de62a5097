// Keeps the server's arrows pointing down: entrypoints → ui → wiring → adapters → jobs → ports → domain.
// Each file under src/server may import only its own layer or the layers this table allows; nothing
// in src/ imports emulator/; the sidebar's code imports only its own files and the pure domain (it may
// import the server's TYPES, which the build erases).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

type Layer = 'entrypoints' | 'ui' | 'wiring' | 'adapters' | 'jobs' | 'ports' | 'domain' | 'other';

const ALLOWED: Record<Layer, readonly Layer[]> = {
  entrypoints: ['entrypoints', 'ui', 'wiring', 'adapters', 'jobs', 'ports', 'domain', 'other'],
  ui: ['ui', 'wiring', 'adapters', 'jobs', 'ports', 'domain', 'other'],
  wiring: ['wiring', 'adapters', 'jobs', 'ports', 'domain', 'other'],
  adapters: ['adapters', 'ports', 'domain', 'other'],
  jobs: ['jobs', 'ports', 'domain'],
  ports: ['ports', 'domain'],
  domain: ['domain'],
  other: ['domain', 'other'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The layer of a file under src/server: its first folder, or "entrypoints" / "other" for top-level files. */
function layerOf(file: string): Layer {
  const parts = relative(join(SRC, 'server'), file).split(sep);
  const first = parts[0].replace(/\.tsx?$/, '');
  if (first === 'entrypoints') return 'entrypoints';
  if (first === 'ports' || first === 'domain' || first === 'jobs' || first === 'adapters' || first === 'wiring' || first === 'ui')
    return first;
  return 'other';
}

/** Relative imports of a file, with whether each is type-only. */
function importsOf(file: string): Array<{ target: string; typeOnly: boolean }> {
  const text = readFileSync(file, 'utf8');
  const out: Array<{ target: string; typeOnly: boolean }> = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!m[3].startsWith('.')) continue;
    out.push({ target: resolve(dirname(file), m[3]), typeOnly: Boolean(m[2]) });
  }
  return out;
}

const serverFiles = filesUnder(join(SRC, 'server'));

describe('layers', () => {
  it('finds the server files', () => {
    expect(serverFiles.length).toBeGreaterThan(50);
  });

  it('every server import points down the layers', () => {
    const violations: string[] = [];
    for (const file of serverFiles) {
      const from = layerOf(file);
      for (const { target } of importsOf(file)) {
        if (!target.startsWith(join(SRC, 'server'))) {
          violations.push(`${relative(ROOT, file)} imports ${relative(ROOT, target)} (outside src/server)`);
          continue;
        }
        const to = layerOf(target);
        if (!ALLOWED[from].includes(to)) violations.push(`${relative(ROOT, file)} (${from}) imports ${relative(ROOT, target)} (${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('ports hold interfaces only (no runtime code)', () => {
    const offenders = filesUnder(join(SRC, 'server', 'ports')).filter((file) =>
      /^\s*(export\s+)?(function|class|const|let|var)\s/m.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('the sidebar imports at run time only itself and the pure domain (server types are erased)', () => {
    const violations: string[] = [];
    for (const file of filesUnder(join(SRC, 'sidebar'))) {
      for (const { target, typeOnly } of importsOf(file)) {
        const ok =
          target.startsWith(join(SRC, 'sidebar')) ||
          target.startsWith(join(SRC, 'server', 'domain')) ||
          (typeOnly && target.startsWith(join(SRC, 'server')));
        if (!ok) violations.push(`${relative(ROOT, file)} imports ${relative(ROOT, target)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('nothing in src/ imports the emulator', () => {
    const all = filesUnder(SRC);
    const offenders = all.filter((file) => importsOf(file).some(({ target }) => target.startsWith(join(ROOT, 'emulator'))));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
