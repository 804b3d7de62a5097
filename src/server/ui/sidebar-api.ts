// The sidebar's own server functions (spread into `api` by src/server/entrypoints.ts), besides the
// jobs' apis it also calls (send, collect, export, settings): history, the send row preview, the
// collect overview and estimate.

import { estimateCollect, getCollectOverview } from './collect-panel';
import { listJobRuns } from './history';
import { previewSendRow } from './send-panel';

export const sidebarApi = {
  listJobRuns,
  previewSendRow,
  getCollectOverview,
  estimateCollect,
};
