// The export domain (pure): options, the exported message structure, batch files, manifest, names,
// run state, pacing and progress. Jobs import from here.

export * from './batches';
export * from './manifest';
export * from './message-json';
export * from './message-view';
export * from './messages';
export * from './naming';
export * from './options';
export * from './pacing';
export * from './progress';
export * from './run-state';
export * from './job-run';
