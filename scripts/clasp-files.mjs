// Lists the files `clasp push` would push, using clasp's own file collection (.clasp.json rootDir and
// .claspignore), without logging in. Usage: node scripts/clasp-files.mjs  → JSON array of paths.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// clasp exports no library API; load its core module by path (pinned by package-lock.json).
const claspRoot = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '@google', 'clasp');
const { initClaspInstance } = await import(pathToFileURL(join(claspRoot, 'build/src/core/clasp.js')).href);

const clasp = await initClaspInstance({ rootDir: process.cwd() });
const { files } = await clasp.files.collectLocalFiles();
console.log(JSON.stringify(files.map((file) => file.localPath).sort()));
