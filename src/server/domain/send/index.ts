// The Send job's pure domain, in one import. Nothing here touches an Apps Script global or a Node
// API; the job (src/server/jobs/send.ts) and the adapters call it with plain data and the clock.
//
// How the pieces fit, in the order a send runs:
//   settings.ts   parseSendSettings: the validated settings (templates, sender, pace, retries, cap).
//   send-list.ts  the `Sends` tab: SEND_HEADERS, parseSendRows(getValues()), attachment references,
//                 planHeaderRow, toSheetText / formatSheetTime for writing back.
//   template.ts   renderTemplate: {{column}} / {column} placeholders, failing on unknown or empty ones.
//   addresses.ts  parseAddressList, checkAddress, countRecipients, hasLineBreak.
//   plan.ts       planSend: select pending/failed rows (key, period, max), validate each, give
//                 ready rows (PlannedSend) and failed ones with reasons (RowProblem, rendered FR/EN).
//   mime.ts       buildMessage (+ toMessageInput in plan.ts): the RFC 5322 message for Gmail `raw`;
//                 makeMessageId to pre-record the Message-ID; byte codecs are in ../encoding.ts.
//   pacing.ts     SendPacer: when the next sends may start (quota units, per second, per minute,
//                 batches), with JSON state carried across executions.
//   retry.ts      classifyOutcome / decideRetry: what to do with each Gmail answer.
//   daily-cap.ts  dailyCapStatus: how many may still go in the rolling 24 h, and when to resume.
//   progress.ts   the persisted progress (≤ 9 KB) and its pure updates; viewProgress for the UI.
//   messages.ts   the FR/EN words of events, states and row problems.

export * from './addresses';
export * from './daily-cap';
export * from './messages';
export * from './mime';
export * from './pacing';
export * from './plan';
export * from './progress';
export * from './retry';
export * from './send-list';
export * from './settings';
export * from './template';
