// The send extras' files respect the server's layers (wiring → adapters → jobs → ports → domain):
// jobs import only jobs, ports and domain; adapters only adapters, ports and domain; nothing in them
// imports the emulator or anything outside src/server. Read from the sources.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SERVER = join(__dirname, '../../../src/server');
const ALLOWED: Record<string, readonly string[]> = {
  domain: ['domain'],
  ports: ['ports', 'domain'],
  jobs: ['jobs', 'ports', 'domain'],
  adapters: ['adapters', 'ports', 'domain'],
  wiring: ['wiring', 'adapters', 'jobs', 'ports', 'domain'],
};

const layerOf = (file: string): string => relative(SERVER, file).split(/[\\/]/)[0].replace(/\.ts$/, '');

const files = [
  ...readdirSync(join(SERVER, 'jobs/send-extras')).map((f) => join(SERVER, 'jobs/send-extras', f)),
  join(SERVER, 'ports/send-extras.ts'),
  join(SERVER, 'adapters/drive-tree.ts'),
  join(SERVER, 'adapters/extras-triggers.ts'),
  join(SERVER, 'adapters/send-log-drive.ts'),
  join(SERVER, 'wiring/send-extras.ts'),
  join(SERVER, 'wiring/send-extras-deps.ts'),
  ...['attachment-patterns', 'bounce', 'draft-template', 'duplicates', 'raw-mime', 'schedule', 'send-log'].map((f) => join(SERVER, `domain/send/${f}.ts`)),
];

describe('send extras layers', () => {
  it.each(files.map((f) => [relative(SERVER, f), f]))('%s imports nothing above its layer', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    const imports = [...source.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    for (const path of imports) {
      expect(path.startsWith('.')).toBe(true); // no package: the bundle carries nothing else
      const target = resolve(dirname(file), path);
      expect(relative(SERVER, target).startsWith('..')).toBe(false);
      expect({ path, allowed: ALLOWED[layerOf(file)].includes(layerOf(`${target}.ts`)) }).toEqual({ path, allowed: true });
    }
  });
});
