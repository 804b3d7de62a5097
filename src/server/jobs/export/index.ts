// The export job's steps, as the wiring (wiring/export.ts) and the tests use them.

export { startExportRun } from './start';
export { continueExportRun } from './continue';
export { cancelExportRun } from './cancel';
export { viewExportProgress } from './progress';
export { EXPORT_CONTINUE_HANDLER, EXPORT_SAFETY_NET_HANDLER, type ExportDeps } from './deps';
