// Typed calls to the server through google.script.run. The names and types come from `typeof api` in
// src/server/entrypoints.ts, with no index signature: a misspelt name or a wrong argument does not
// compile. Arguments and results cross the wire as JSON (no Date, no functions). A server exception
// arrives as an Error carrying the server's own message, which the tabs show as it is.
// https://developers.google.com/apps-script/guides/html/reference/run

import type { ServerApi } from '../server/entrypoints';

type Runner = {
  withSuccessHandler(handler: (value: unknown) => void): Runner;
  withFailureHandler(handler: (error: Error) => void): Runner;
} & { [name: string]: unknown };

declare const google: { script: { run: Runner } };

function invoke(name: string, args: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const runner = google.script.run
      .withSuccessHandler((value) => resolve(value))
      .withFailureHandler((error) =>
        reject(error instanceof Error ? error : new Error(String((error as { message?: unknown })?.message ?? error))),
      );
    const fn = runner[name];
    if (typeof fn !== 'function') {
      reject(new Error(`Server function not available: ${name}`));
      return;
    }
    (fn as (...a: unknown[]) => void).apply(runner, args);
  });
}

export function call<K extends keyof ServerApi>(name: K, ...args: Parameters<ServerApi[K]>): Promise<ReturnType<ServerApi[K]>> {
  return invoke(name, args) as Promise<ReturnType<ServerApi[K]>>;
}
