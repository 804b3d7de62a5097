// Ports, re-exported under their former single path for code not yet moved to src/server/ports/:
// the interfaces themselves live in one file each under ports/ (interfaces only, in domain terms;
// adapters implement them, jobs receive them as a `deps` object).

export type { CellValue, LedgerRow, TableSpec, LedgerTable, LedgerStore, LedgerProbe } from './ports/ledger';
export type { StoredFile, NewFile, CreateFileResult, FileStore } from './ports/files';
export type { KeyValueStore } from './ports/kv';
export type { LockHandle, Lock } from './ports/lock';
export type { Schedule, Scheduler } from './ports/scheduler';
export type { Clock } from './ports/clock';
