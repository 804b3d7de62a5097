// The collect domain: pure TypeScript for collecting Gmail attachments into Drive, touching
// no Apps Script global and no Node API, so it runs unchanged in the Apps Script V8 sandbox and in Jest.
// The job (src/server/jobs/collect/) and its adapters compose these pieces, per message:
//
//   settings   parseCollectSettings(json, { addonMode }) → CollectSettings (throws INVALID_SETTING naming
//              the key); checkSettingsCoherence → blocking problems for checkSetup; adviseSettings → hints.
//   mime-walk  walkMessage(gmailMessage) → { message: from / subject / ids / auth verdicts, candidates,
//              skipped (counted reasons), driveLinks, problems }. Never throws.
//   filters    classifySender(from, auth, settings) → ok | skip sender_not_allowed | quarantine
//              sender_not_authenticated; classifyAttachment(facts, settings) twice: before the download
//              (fetchBytes? too_large / empty_file are quarantined unfetched) and with the bytes (magic
//              check) → ingest | quarantine(reason) | skip.
//   dedupe     ReceiptIndex.fromRows(receiptRows) once per run; check(attachmentKey(msgId, partId)) before
//              downloading, check(key, sha256) after; add(key, sha256) for every handled attachment.
//   hashing    sha256Hex(bytes) in pure TS, or hexFromSignedDigest(Utilities.computeDigest(...)).
//   naming     sanitizeFileName → uniqueName(name, namesInFolder) → storagePath(state, day, name).
//   ledger     RECEIPTS_TABLE / JOB_RUNS_TABLE specs, receiptToRow / jobRunToRow (text-safe cells).
//   metrics    CollectMetrics counters, runStatus, CollectSummary; log: RunLog JSON Lines events.
//   messages   FR / EN summary ("12 justificatifs importés, 2 en quarantaine, 3 doublons ignorés").

export * from './auth-results';
export * from './dedupe';
export * from './filters';
export * from './hashing';
export * from './ledger';
export * from './log';
export * from './messages';
export * from './metrics';
export * from './mime-walk';
export * from './naming';
export * from './settings';
export { decodeEncodedWords, parseHeaderValue, type HeaderValue } from './text-codecs';
export * from './setup-messages';
