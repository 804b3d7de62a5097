// The send job's entry points, spread into `api` and `triggers` by src/server/entrypoints.ts.
// Keys here become top-level Apps Script functions: keep them unique across jobs.

export const sendApi = {};

export const sendTriggers = {};
