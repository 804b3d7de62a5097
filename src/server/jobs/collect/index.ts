// The collect job: Gmail attachments into Drive `incoming/` / `quarantine/` day folders, with a
// Receipts ledger, a JobRuns ledger, labels per message and a JSON Lines log. `collectFromGmail` is the
// ONLY implementation; the sidebar, the Gmail card, the time-driven triggers and the local CLI all call
// it through wiring/collect.ts. It reaches the world through `CollectDeps` (ports) only.
//
// One run = a snapshot of the ids matching the query, handled oldest first, over as many executions as
// needed. One execution (run.ts): lock → settings and checks (first execution: start.ts) → JobRun row
// → snapshot (snapshot.ts) → the Receipts ledger read ONCE (receipts.ts) → messages in batches
// (process.ts), each chunk DECIDED (decide.ts), its files STORED in parallel (store.ts), each message
// SETTLED in order from the real outcomes (settle.ts) → COMMIT (commit.ts) → the run finished or left
// pending with a continuation trigger (finish.ts) → one log write (write-log.ts).
// Dedupe keys on message id + part id and on sha256 (attachment ids are NOT stable across calls).

export { defaultCollectSettings } from '../../domain/collect';
export { errorMessage, isExecutionOver } from '../../domain/errors';
export * from './deps';
export { parseCollectInput, buildQuery, type CollectInput } from './input';
export { loadCollectSettings, getCollectSettings, saveCollectSettings, type SettingsView } from './settings';
export { checkSetup, folderPaths, type SetupCheck, type SetupReport } from './setup-checks';
export { getCollectStatus, type CollectStatus } from './status';
export { collectFromGmail } from './run';
export type { CollectResult } from './finish';
export {
  STATE_KEYS,
  loadRunState,
  saveRunState,
  clearRun,
  type RunState,
  type RunRequest,
  type LockHolder,
  type LastRun,
} from './run-state';
export { SNAPSHOT_MAX_IDS, SNAPSHOT_CHUNK_CHARS, chunkIds, saveSnapshot, loadSnapshot } from './snapshot';
export type { LedgerProbe } from '../../ports/ledger';
