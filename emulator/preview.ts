// The local preview of the sidebar: serves the BUILT dist/Sidebar.html on 127.0.0.1 with a small
// `google.script.run` shim in front of it. Every server call the page makes becomes an HTTP POST to
// /rpc/<name>, which the emulator's Runner executes as a google.script.run execution of dist/Code.js
// (JSON rules, time limit, quotas and all) against one emulated workspace. Used by the browser tests
// and by `npm run preview` to look at the sidebar in a real browser:
//   npm run preview -- [--mailbox <dir|.mbox|.eml>] [--list <csv> --files <dir>] [--settings <json>]
//                      [--now <ISO>] [--user <email>] [--locale fr|en] [--time-zone <IANA>] [--port N]
// The workspace options are the local CLI's (emulator/cli.ts); --list / --files load a send list as
// the CLI's `send` command does. Without --mailbox, the demo mailbox (and, without --list, the demo
// send list) with the demo settings. The virtual clock follows real time between the page's calls, so
// the page's waits and the jobs' own triggers behave as they would on the platform.
// https://developers.google.com/apps-script/guides/html/reference/run

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applySettings, createWorkspace, loadMailbox, parseCommandLine, readCommonOptions } from './cli';
import { UsageError } from './cli-commands';
import { DEFAULT_CLI_SEND_SETTINGS, loadSendListFromDisk, storeSendSettings, storedSendSettings } from './commands/send';
import { storeDemoCollectSettings } from './commands/collect';
import { DEMO_SEND_FOLDER, loadDemoWorkspace } from './demo/index';
import { Runner } from './runner';
import { Workspace, type WorkspaceOptions } from './workspace';

/** The client half of google.script.run: handlers, user objects, and a POST per call. */
export const GOOGLE_SCRIPT_RUN_SHIM = `
<script>
(function () {
  function runner(success, failure, userObject) {
    return new Proxy({}, {
      get: function (_target, name) {
        if (name === 'withSuccessHandler') return function (fn) { return runner(fn, failure, userObject); };
        if (name === 'withFailureHandler') return function (fn) { return runner(success, fn, userObject); };
        if (name === 'withUserObject') return function (obj) { return runner(success, failure, obj); };
        if (typeof name !== 'string') return undefined;
        return function () {
          var args = Array.prototype.slice.call(arguments);
          fetch('/rpc/' + encodeURIComponent(name), {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(args)
          }).then(function (response) { return response.json(); }).then(function (answer) {
            if (answer.ok) { if (success) success(answer.value, userObject); }
            else if (failure) { var error = new Error(answer.error.message); error.name = answer.error.name; failure(error, userObject); }
          }, function (error) { if (failure) failure(error, userObject); });
        };
      }
    });
  }
  window.google = { script: { run: runner(null, null, undefined), host: { close: function () {} } } };
})();
</script>`;

export interface PreviewServer {
  url: string;
  runner: Runner;
  workspace: Workspace;
  server: Server;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

/** Injects the shim before the page's own scripts. */
export function withShim(html: string): string {
  const at = html.indexOf('<head>');
  if (at < 0) throw new Error('Sidebar.html has no <head>');
  return html.slice(0, at + 6) + GOOGLE_SCRIPT_RUN_SHIM + html.slice(at + 6);
}

export async function startPreview(
  options: { workspace?: Workspace; workspaceOptions?: WorkspaceOptions; port?: number; followRealTime?: boolean } = {},
): Promise<PreviewServer> {
  const workspace = options.workspace ?? Workspace.create(options.workspaceOptions);
  const runner = new Runner(workspace);
  // Real time that passes between calls passes in the workspace too (due triggers fire), never less.
  let lastReal = Date.now();
  const followRealTime = () => {
    const now = Date.now();
    const elapsed = now - lastReal;
    lastReal = now;
    if (options.followRealTime !== false && elapsed > 0) runner.advanceAndFire(elapsed);
  };
  const page = () => {
    const html = workspace.htmlFiles.Sidebar;
    if (html === undefined) throw new Error('dist/Sidebar.html is missing: run `npm run build` first');
    return withShim(html);
  };

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method === 'GET' && (url.pathname === '/' || url.pathname === '/sidebar')) {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        response.end(page());
        return;
      }
      // Browsers ask for an icon on their own; Apps Script's sidebar has none. No content, not a 404
      // that would show as a console error in every page a test drives.
      if (request.method === 'GET' && url.pathname === '/favicon.ico') {
        response.writeHead(204);
        response.end();
        return;
      }
      const rpc = /^\/rpc\/([^/]+)$/.exec(url.pathname);
      if (request.method === 'POST' && rpc) {
        let args: unknown;
        try {
          args = JSON.parse((await readBody(request)) || '[]');
        } catch {
          sendJson(response, 400, { ok: false, error: { name: 'Error', message: 'Arguments are not JSON' } });
          return;
        }
        followRealTime();
        const result = runner.invoke(decodeURIComponent(rpc[1]), Array.isArray(args) ? args : [args], 'rpc');
        lastReal = Date.now();
        if (result.outcome === 'completed') sendJson(response, 200, { ok: true, value: result.value ?? null });
        else sendJson(response, 200, { ok: false, error: result.error ?? { name: 'Error', message: result.outcome } });
        return;
      }
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('Not found');
    })().catch((error: unknown) => {
      sendJson(response, 500, { ok: false, error: { name: 'Error', message: String(error) } });
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    runner,
    workspace,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** The workspace `npm run preview` shows, from the CLI's workspace options plus --list / --files. */
export function previewWorkspace(argv: string[], info: (text: string) => void = () => undefined): { workspace: Workspace; port: number } {
  const spec = { summary: 'preview', flags: { list: 'value', files: 'value', port: 'value' } as const, run: () => 0 };
  const parsed = parseCommandLine(['preview', ...argv], () => spec);
  if (parsed.positional.length) throw new UsageError(`unexpected argument(s): ${parsed.positional.join(' ')}`);
  const options = readCommonOptions(parsed.flags);
  const list = typeof parsed.flags.list === 'string' ? parsed.flags.list : null;
  const files = typeof parsed.flags.files === 'string' ? parsed.flags.files : null;
  if ((list === null) !== (files === null)) throw new UsageError('--list and --files go together');
  const port = parsed.flags.port === undefined ? 8765 : Number(parsed.flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number (got "${String(parsed.flags.port)}")`);
  const workspace = createWorkspace(options);
  const demo = options.mailbox === null;
  if (demo) loadDemoWorkspace(workspace, { sendList: list === null });
  else info(`mailbox: ${loadMailbox(workspace, options.mailbox)}`);
  if (options.settings) applySettings(workspace, options.settings, undefined);
  if (list !== null && files !== null) loadSendListFromDisk(workspace, list, files, info);
  else if (demo && !storedSendSettings(workspace))
    storeSendSettings(workspace, { ...DEFAULT_CLI_SEND_SETTINGS, attachmentsFolder: DEMO_SEND_FOLDER });
  if (demo) storeDemoCollectSettings(workspace);
  return { workspace, port };
}

if (require.main === module) {
  try {
    const { workspace, port } = previewWorkspace(process.argv.slice(2), (text) => console.error(text));
    startPreview({ workspace, port }).then((preview) => {
      console.log(`Postroom sidebar preview: ${preview.url} (${workspace.session.userEmail}, ${workspace.session.locale}; Ctrl+C to stop)`);
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`postroom preview: ${error.message}`);
    process.exitCode = 2;
  }
}
