// Typed calls to the server through google.script.run. The names and types come from `typeof api` in
// src/server/entrypoints.ts, with no index signature: a misspelt name or a wrong argument does not
// compile. Arguments and results cross the wire as JSON (no Date, no functions).
// https://developers.google.com/apps-script/guides/html/reference/run

import type { ServerApi } from '../server/entrypoints';

type Runner = {
  withSuccessHandler(handler: (value: unknown) => void): Runner;
  withFailureHandler(handler: (error: Error) => void): Runner;
} & { [name: string]: unknown };

declare const google: { script: { run: Runner } };

export function call<K extends keyof ServerApi>(
  name: K,
  ...args: Parameters<ServerApi[K]>
): Promise<ReturnType<ServerApi[K]>> {
  return new Promise((resolve, reject) => {
    const runner = google.script.run
      .withSuccessHandler((value) => resolve(value as ReturnType<ServerApi[K]>))
      .withFailureHandler((error) => reject(error instanceof Error ? error : new Error(String(error))));
    const fn = runner[name];
    if (typeof fn !== 'function') {
      reject(new Error(`Server function not available: ${String(name)}`));
      return;
    }
    (fn as (...a: unknown[]) => void).apply(runner, args);
  });
}
