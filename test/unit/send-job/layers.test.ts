// The Send engine's files respect the server's layers (entrypoints → ui → wiring → adapters → jobs →
// ports → domain): domain imports only domain, ports only domain, jobs only ports and domain, adapters
// (implementations of ports) only ports and domain, and nothing in src/ imports the emulator. Read from the sources, so a new upward import fails here.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SERVER = join(__dirname, '../../../src/server');
/** What each layer may import (adapters implement ports: they import no job). */
const ALLOWED: Record<string, readonly string[]> = {
  domain: ['domain'],
  ports: ['ports', 'domain'],
  jobs: ['jobs', 'ports', 'domain'],
  adapters: ['adapters', 'ports', 'domain'],
  wiring: ['wiring', 'adapters', 'jobs', 'ports', 'domain'],
};

function layerOf(file: string): string {
  const top = relative(SERVER, file).split(/[\\/]/)[0].replace(/\.ts$/, '');
  return top === 'ports' ? 'ports' : top;
}

function sendFiles(): string[] {
  const list = (dir: string) => readdirSync(join(SERVER, dir)).filter((f) => f.endsWith('.ts')).map((f) => join(SERVER, dir, f));
  return [
    ...list('domain/send'),
    ...list('jobs/send'),
    join(SERVER, 'ports/send.ts'),
    join(SERVER, 'ports/base64.ts'),
    ...list('adapters').filter((f) => /adapters[\\/](send-[^/\\]+|base64)\.ts$/.test(f)),
    join(SERVER, 'wiring/send.ts'),
  ];
}

describe('send engine layers', () => {
  it.each(sendFiles().map((f) => [relative(SERVER, f), f]))('%s imports nothing above its layer', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    const imports = [...source.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]).filter((path) => path.startsWith('.'));
    const allowed = ALLOWED[layerOf(file)];
    expect(allowed).toBeDefined();
    for (const path of imports) {
      const target = resolve(dirname(file), path);
      expect(relative(SERVER, target).startsWith('..')).toBe(false); // not the emulator, not outside src/server
      // `ports.ts` (the shared ports, beside the ports/ folder) is the ports layer too.
      const layer = layerOf(`${target}.ts`);
      expect({ file: relative(SERVER, file), path, allowed: allowed.includes(layer) }).toEqual({ file: relative(SERVER, file), path, allowed: true });
    }
  });
});
