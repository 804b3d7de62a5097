// Builds the files Apps Script runs, into dist/:
//   dist/Code.js          src/server as one ES2020 IIFE (global `PostroomBundle`), followed by one
//                         top-level `function name(...args)` per declared entry point, so that Apps
//                         Script finds each by name (menus, triggers, google.script.run).
//   dist/Sidebar.html     src/sidebar as one self-contained page (script and styles inlined).
//   dist/appsscript.json  the manifest.
// The build fails when the bundle touches a global Apps Script lacks while loading, when a declared
// entry point is not a function, or when a declared entry point is not a top-level function of the
// output. Usage: node build.mjs [--server-entry FILE] [--outdir DIR] [--no-sidebar] [--quiet]

import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync, statSync, copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const root = dirname(fileURLToPath(import.meta.url));
const GLOBAL_NAME = 'PostroomBundle';

/** Globals a V8 Apps Script project has: services, Advanced services, and the JS built-ins. */
export const APPS_SCRIPT_GLOBALS = [
  'CalendarApp',
  'CardService',
  'CacheService',
  'ContentService',
  'DataStudioApp',
  'DocumentApp',
  'DriveApp',
  'FormApp',
  'GmailApp',
  'Gmail',
  'HtmlService',
  'LanguageApp',
  'LockService',
  'Logger',
  'MailApp',
  'Maps',
  'PropertiesService',
  'ScriptApp',
  'Session',
  'SitesApp',
  'SlidesApp',
  'SpreadsheetApp',
  'UrlFetchApp',
  'Utilities',
  'XmlService',
  'Browser',
  'Charts',
  'Jdbc',
  'console',
];

/** Globals that Node or browsers have and Apps Script does not (V8 runtime guide). */
export const FORBIDDEN_GLOBALS = [
  'require',
  'module',
  'exports',
  'process',
  'global',
  'Buffer',
  'setTimeout',
  'setInterval',
  'clearTimeout',
  'clearInterval',
  'setImmediate',
  'fetch',
  'TextEncoder',
  'TextDecoder',
  'atob',
  'btoa',
  'window',
  'document',
  'self',
  'navigator',
  'XMLHttpRequest',
  '__dirname',
  '__filename',
];

class BuildError extends Error {}

function parseArgs(argv) {
  const options = {
    serverEntry: join(root, 'src/server/entrypoints.ts'),
    sidebarEntry: join(root, 'src/sidebar/main.ts'),
    outdir: join(root, 'dist'),
    sidebar: true,
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--server-entry') options.serverEntry = resolve(argv[++i]);
    else if (arg === '--outdir') options.outdir = resolve(argv[++i]);
    else if (arg === '--no-sidebar') options.sidebar = false;
    else if (arg === '--quiet') options.quiet = true;
    else throw new BuildError(`Unknown option ${arg}`);
  }
  return options;
}

/** A context holding only Apps Script's globals (inert stand-ins: loading must not call services). */
function appsScriptContext() {
  const context = {};
  for (const name of APPS_SCRIPT_GLOBALS) {
    context[name] = new Proxy(
      {},
      {
        get(_target, property) {
          if (property === Symbol.toPrimitive || property === 'then') return undefined;
          throw new BuildError(
            `The bundle calls ${name}.${String(property)} while loading; Apps Script services may only be used inside functions.`,
          );
        },
      },
    );
  }
  return vm.createContext(context);
}

function loadInSandbox(code, what) {
  const context = appsScriptContext();
  try {
    vm.runInContext(code, context, { filename: what, timeout: 5000 });
  } catch (error) {
    if (error instanceof BuildError) throw error;
    const match = /^(\w+) is not defined$/.exec(error?.message ?? '');
    if (match && FORBIDDEN_GLOBALS.includes(match[1])) {
      throw new BuildError(
        `${what} touches \`${match[1]}\` while loading: Apps Script has no such global (no Node or browser globals in its V8 runtime).`,
      );
    }
    throw new BuildError(`${what} fails to load in an Apps Script sandbox: ${error?.message ?? error}`);
  }
  return context;
}

/** Reads the declared entry points from the loaded bundle: { group: [names] }. */
function declaredEntryPoints(context) {
  const bundle = context[GLOBAL_NAME];
  const groups = bundle?.entryPoints;
  if (!groups || typeof groups !== 'object') {
    throw new BuildError(`The server entry must export \`entryPoints\` ({ api, triggers }); none found on ${GLOBAL_NAME}.`);
  }
  const declared = [];
  const seen = new Set();
  for (const [group, members] of Object.entries(groups)) {
    for (const [name, value] of Object.entries(members ?? {})) {
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new BuildError(`Entry point ${group}.${name} is not a valid function name.`);
      if (group === 'api' && name.endsWith('_')) {
        throw new BuildError(`Entry point api.${name} ends with "_": google.script.run cannot call private functions.`);
      }
      if (seen.has(name)) throw new BuildError(`Entry point ${name} is declared twice.`);
      seen.add(name);
      declared.push({ group, name, isFunction: typeof value === 'function' });
    }
  }
  return declared;
}

function forwardingFooter(declared) {
  const lines = ['', '// Entry points: generated by build.mjs from src/server/entrypoints.ts. Do not edit.'];
  for (const { group, name } of declared) {
    lines.push(`function ${name}(...args) { return ${GLOBAL_NAME}.entryPoints.${group}.${name}(...args); }`);
  }
  return lines.join('\n') + '\n';
}

/** Fails unless every declared entry point is a top-level function of the final bundle. */
export function verifyEntryPoints(code, declared, what = 'dist/Code.js') {
  const context = loadInSandbox(code, what);
  const missing = declared.filter(({ name }) => typeof context[name] !== 'function').map(({ group, name }) => `${group}.${name}`);
  if (missing.length) {
    throw new BuildError(`Declared entry point(s) missing from ${what}: ${missing.join(', ')}. Apps Script could not call them by name.`);
  }
}

async function buildServer(options) {
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const result = await build({
    entryPoints: [options.serverEntry],
    bundle: true,
    format: 'iife',
    globalName: GLOBAL_NAME,
    target: 'es2020',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    charset: 'utf8',
    legalComments: 'inline',
    define: { __POSTROOM_VERSION__: JSON.stringify(version) },
    logLevel: 'silent',
  });
  const bundle = result.outputFiles[0].text;
  const declared = declaredEntryPoints(loadInSandbox(bundle, 'The server bundle'));
  const notFunctions = declared.filter((entry) => !entry.isFunction).map(({ group, name }) => `${group}.${name}`);
  if (notFunctions.length) {
    throw new BuildError(`Declared entry point(s) missing from the output (not a function): ${notFunctions.join(', ')}.`);
  }
  const code = bundle + forwardingFooter(declared);
  verifyEntryPoints(code, declared);
  writeFileSync(join(options.outdir, 'Code.js'), code);
  return declared;
}

function inlineInto(template, marker, content) {
  if (!template.includes(marker)) throw new BuildError(`src/sidebar/index.html lacks the ${marker} marker.`);
  return template.split(marker).join(content);
}

async function buildSidebar(options) {
  const result = await build({
    entryPoints: [options.sidebarEntry],
    bundle: true,
    format: 'iife',
    target: 'es2019',
    minify: true,
    write: false,
    charset: 'utf8',
    logLevel: 'silent',
  });
  // A "</script" inside the script would end the element early.
  const script = result.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1');
  const styles = readFileSync(join(root, 'src/sidebar/styles.css'), 'utf8');
  let html = readFileSync(join(root, 'src/sidebar/index.html'), 'utf8');
  html = inlineInto(html, '/*__STYLES__*/', styles);
  html = inlineInto(html, '/*__SCRIPT__*/', script);
  writeFileSync(join(options.outdir, 'Sidebar.html'), html);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(options.outdir, { recursive: true });
  const declared = await buildServer(options);
  if (options.sidebar) await buildSidebar(options);
  copyFileSync(join(root, 'appsscript.json'), join(options.outdir, 'appsscript.json'));
  if (!options.quiet) {
    for (const file of ['Code.js', 'Sidebar.html', 'appsscript.json']) {
      const path = join(options.outdir, file);
      try {
        const kib = (statSync(path).size / 1024).toFixed(1);
        console.log(`${`dist/${file}`.padEnd(22)} ${kib.padStart(8)} KiB`);
      } catch {
        /* --no-sidebar */
      }
    }
    console.log(`${declared.length} entry points: ${declared.map((entry) => entry.name).join(', ')}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    if (error instanceof BuildError) {
      console.error(`Build failed: ${error.message}`);
    } else {
      console.error('Build failed:', error?.errors?.map?.((e) => e.text).join('\n') || error);
    }
    process.exit(1);
  });
}
