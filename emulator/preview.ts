// The local preview of the sidebar: serves the BUILT dist/Sidebar.html on 127.0.0.1 with a small
// `google.script.run` shim in front of it. Every server call the page makes becomes an HTTP POST to
// /rpc/<name>, which the emulator's Runner executes as a google.script.run execution of dist/Code.js
// (JSON rules, time limit, quotas and all) against one emulated workspace. Used by the browser tests
// and by `npm run preview` to look at the sidebar in a real browser.
// https://developers.google.com/apps-script/guides/html/reference/run

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export async function startPreview(options: { workspace?: Workspace; workspaceOptions?: WorkspaceOptions; port?: number } = {}): Promise<PreviewServer> {
  const workspace = options.workspace ?? Workspace.create(options.workspaceOptions);
  const runner = new Runner(workspace);
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
      const rpc = /^\/rpc\/([^/]+)$/.exec(url.pathname);
      if (request.method === 'POST' && rpc) {
        let args: unknown;
        try {
          args = JSON.parse((await readBody(request)) || '[]');
        } catch {
          sendJson(response, 400, { ok: false, error: { name: 'Error', message: 'Arguments are not JSON' } });
          return;
        }
        const result = runner.invoke(decodeURIComponent(rpc[1]), Array.isArray(args) ? args : [args], 'rpc');
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

if (require.main === module) {
  const portArg = process.argv.indexOf('--port');
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 8765;
  startPreview({ port }).then((preview) => {
    console.log(`Postroom sidebar preview: ${preview.url} (Ctrl+C to stop)`);
  });
}
