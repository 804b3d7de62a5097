// Benchmark dispatcher: `npm run bench -- <name>` runs bench/<name>.ts, which exports
// `run(): Promise<string>` returning a Markdown report of deterministic figures (service calls, Gmail
// quota units, virtual time, executions) measured in the emulator. With no name, runs them all.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const available = readdirSync(__dirname)
    .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.endsWith('.d.ts'))
    .map((file) => file.replace(/\.ts$/, ''));
  const selected = names.length ? names : available;
  for (const name of selected) {
    if (!existsSync(join(__dirname, `${name}.ts`))) {
      console.error(`Unknown benchmark "${name}". Available: ${available.join(', ') || '(none)'}`);
      process.exit(2);
    }
    const bench = (await import(join(__dirname, `${name}.ts`))) as { run(): Promise<string> };
    console.log(await bench.run());
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
