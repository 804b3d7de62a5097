// The Send job: bulk invoice emails from the `Sends` tab, at the Gmail quota ceiling, exactly once,
// resumable across executions. Use cases `(deps, input) => result` over the ports of ports/send.ts (api.ts):
//   planSendJob     validate the selected rows; invalid ones → failed (never sent), valid ones →
//                   queued with run_id / send_id, in ONE batched write; the job is `planned`.
//   startSendJob    plan if needed, then running, then a first chunk in the same execution.
//   runSendChunk    one execution's share of the work under a time budget (sidebar and trigger).
//   pause / resume / cancel, and viewSendProgress from the persisted state.
//
// Exactly once (the protocol, and why it is sound):
//   1. Intent first, per GROUP. Before any request of a group leaves, every row of the group is written
//      `sending` with attempts+1, the Message-ID built into its message, and attempt_at = the group's
//      SEND-BY time (now + GROUP_WINDOW_MS at most, never past the chunk's useful time), in ONE write,
//      flushed (SpreadsheetApp.flush). A group is as many due rows as the pacer can send before send-by
//      (pacer.capacity: ≤ 150 = one minute at the Gmail ceiling), capped by the daily cap. The results
//      of the previous group ride in the same write. Every message carries `X-Postroom-Send-Id:
//      <run_id>/<n>`. No request of a group starts after its send-by time: rows not attempted by then
//      (or when the chunk ends, a pause or cancel arrives, Gmail stops the job) go back to `queued`
//      in memory, as they were, and the next write says so (they were never sent: this execution knows).
//   2. The group goes out in bursts as the rate settings allow (maxPerSecond, maxPerMinute, batchSize,
//      units), each burst ONE fetchAll of messages.send, built ahead of its slot (attachments read in
//      parallel, MIME; a wait for the pacer reads the next rows' files ahead, and a read that fails is
//      not a send attempt). 2xx → sent; a permanent 4xx → failed (Gmail's words on the row); 429 (not
//      executed) → queued with next_attempt_at; 5xx or no answer (the request MAY have been executed) →
//      stays `sending`: IN DOUBT, its attempt_at now the burst's real start. Results stay in memory
//      until the next group's write (or the end of the chunk, or a wait for retries); the progress and
//      pacer are saved after every burst (one properties write) for the live gauge.
//   3. No row in doubt is ever sent again before it is checked: once its request can no longer be in
//      flight (ENDED_SETTLE_MS after its call ended, when the row carries that attempt's error; else
//      attempt_at + IN_DOUBT_SETTLE_MS, attempt_at being the send-by time, or the real start when
//      this execution recorded it), the job lists the SENT label newest first
//      (messages.list labelIds=SENT; the label listing, not the search index, which may lag) and reads
//      the X-Postroom-Send-Id / Message-ID of every message it does not already know (the sheet holds
//      the ids of the messages it recorded), down to the oldest attempt_at minus VERIFY_MARGIN_MS.
//      Found → sent with Gmail's ids; not found → the send never happened → queued again. The check
//      is made when the pacer has to wait anyway (or nothing else is due, or near the end of the list),
//      one look for every row it can tell about: those settled, and those of the chunk's bursts left in
//      doubt (found → sent at once; not found → their pacer slot is given back), so that it never delays
//      a burst; a row settled LOOK_OVERDUE_MS ago is checked at the next step all the same.
//   A kill at any instruction leaves each row in one of: pending/queued (nothing sent: sending it is
//   right), `sending` (checked before anything else happens to it: a row of a group whose request never
//   left is simply not found and queued again), sent/failed (final). A send can only happen after its
//   `sending` mark is durable and before its attempt_at, so no send escapes the check; a row is re-sent
//   only when the check proves its earlier attempt absent from SENT.
//   Assumptions about the real platform (the emulator honours them; FIDELITY notes): a messages.send
//   request that has not completed within IN_DOUBT_SETTLE_MS of its start never will, and one whose
//   call ended (an answer, or fetchAll returned or threw) is complete ENDED_SETTLE_MS after that end; a message
//   that messages.send accepted appears under the SENT label (listing) by then, with its X- headers intact
//   (Gmail may replace Message-ID, so the X- header is what is matched first); SpreadsheetApp.flush
//   makes the sheet write durable before it returns.
//
// Progress: the sheet is the truth for counts; progress events are added once per row (bitmap in the
// job state), and the progress + job state are saved in one properties write after each sheet write and
// after each burst. The progress may so run ahead of the sheet: a new execution recounts from the sheet,
// and a row whose event is already recorded is counted again without a second event when it ends.
//
// One small file per step, read top-down:
//   api.ts            the use cases (plan, start, continue, pause / resume / cancel, progress view)
//   lock.ts           one send at a time (the user's lock), refusals of an active send
//   plan.ts           planning: validate, fail the invalid rows, queue the others
//   chunk.ts          one execution's share: open, controls, paced loop, final writes, continuation
//   context.ts        the execution's SendContext: table, job state, progress, counting, saving
//   table.ts          the Sends tab in memory, one batched write per commit
//   paced-loop.ts     the loop: settled rows in doubt, daily cap, group intent, bursts
//   group.ts          group intent (rows marked `sending` together) and its abandonment
//   burst.ts          building a burst's messages (attachments read in parallel, MIME)
//   burst-results.ts  one burst on the wire and what each answer does to its row
//   in-doubt.ts       the exactly-once check of rows in doubt against SENT
//   controls.ts       pause and cancel as the user asked them
//   run-record.ts     the continuation trigger and the JobRuns row
//   job-run-steps.ts  an ended run's JobRuns row in saved steps of few calls (Sheets API)
//   constants.ts      timings and sizes

export {
  cancelSendJob,
  continueSendFromTrigger,
  continueSendJob,
  pauseSendJob,
  planSendJob,
  resumeSendJob,
  startSendJob,
  viewSendProgress,
} from './api';
export type { ContinueResult } from './chunk';
export type { PlanResult } from './plan';
export type { SendDeps } from './deps';
export { viewOf } from './context';
export { writeJobRunInSteps } from './job-run-steps';
export {
  GROUP_WINDOW_MS,
  IN_DOUBT_SETTLE_MS,
  ENDED_SETTLE_MS,
  MAX_GROUP_ROWS,
  PLAN_ATTACHMENT_BUDGET_MS,
  SEND_CHUNK_BUDGET_MS,
  SEND_CONTINUATION_HANDLER,
  SEND_SAFETY_NET_HANDLER,
  SENT_PAGE_SIZE,
  VERIFY_MARGIN_MS,
} from './constants';
