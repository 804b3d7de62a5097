// The send extras' entry points, spread into `api` and `triggers` by src/server/entrypoints.ts.
//   api (google.script.run, JSON in / out, user-visible text in the user's language):
//     sendTest({ row })            the test of data row `row` (1 = first row under the headers), to the user
//     listDrafts()                 the account's Gmail drafts (subject, date, attachments, inline images)
//     chooseDraft({ draftId } | { subject } | null)   the draft used as template (null: the settings' templates)
//     listSendAs()                 the account's send-as addresses, verified or not
//     setSendFrom({ alias })       the From of the send ('' = the account's address); refused unless verified
//     getSendExtras()              the chosen draft and From, the scheduled send, the bounce watch
//     scheduleSend({ date, time, filter? })   plan now, start at that date and time in the user's zone
//     cancelScheduledSend()        before it starts
//     checkBounces()               look for delivery-failure notices now (also hourly for 72 h after a send)
//     getSendLog(runId)            every event of a send, from Postroom/logs/send-YYYY-MM-DD.jsonl
//   triggers: runScheduledSend (the scheduled start), runSendBounceCheck (the bounce watch)

import { localizedError } from '../domain/errors';
import { pickLocale } from '../domain/i18n';
import type { DraftSummary } from '../domain/send/draft-template';
import type { SendFilter } from '../domain/send/plan';
import { translateSendJob } from '../domain/send/job-messages';
import type { SendAsAlias } from '../ports/send-extras';
import { checkBounces, type BounceCheckResult } from '../jobs/send-extras/bounces';
import { chooseDraft, listDraftSummaries } from '../jobs/send-extras/draft';
import { cancelScheduledSend, runScheduled, scheduleSend } from '../jobs/send-extras/schedule';
import { readSendLog, type SendLogView } from '../jobs/send-extras/send-log-read';
import { checkSendAs } from '../jobs/send-extras/sender';
import { sendProgressExtras, type SendProgressExtras } from '../jobs/send-extras/status';
import { sendTestRow, type TestSendResult } from '../jobs/send-extras/test-send';
import { makeDeps } from './send';
import { extrasOf, savedSendSettings } from './send-extras-deps';

const locale = () => pickLocale(Session.getActiveUserLocale());

const extras = () => extrasOf(makeDeps());

function objectArg(input: unknown, name: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw localizedError('INVALID_INPUT', translateSendJob, 'arg.notObject', { name });
  return input as Record<string, unknown>;
}

function filterArg(input: unknown): SendFilter {
  if (input === undefined || input === null) return {};
  const f = objectArg(input, 'filter');
  return {
    key: f.key === undefined || f.key === null ? undefined : String(f.key),
    period: f.period === undefined || f.period === null ? undefined : String(f.period),
    max: f.max === undefined || f.max === null || f.max === '' ? undefined : Number(f.max),
    ...(f.confirmDuplicates === undefined
      ? {}
      : { confirmDuplicates: Array.isArray(f.confirmDuplicates) ? f.confirmDuplicates.map(Number) : Boolean(f.confirmDuplicates) }),
  };
}

export const sendExtrasApi = {
  sendTest(input: { row: number }): TestSendResult {
    const args = objectArg(input, 'sendTest');
    const deps = extras();
    deps.beforeTest();
    return sendTestRow(deps, Number(args.row), locale());
  },
  listDrafts(): DraftSummary[] {
    const deps = extras();
    return listDraftSummaries(deps.mail, deps.codecs);
  },
  chooseDraft(input: { draftId?: string; subject?: string } | null): DraftSummary | null {
    return chooseDraft(
      extras(),
      input === null || input === undefined ? null : (objectArg(input, 'chooseDraft') as { draftId?: string; subject?: string }),
      locale(),
    );
  },
  listSendAs(): SendAsAlias[] {
    return extras().mail.listSendAs();
  },
  setSendFrom(input: { alias: string }): { from: string; displayName: string } {
    const alias = String(objectArg(input, 'setSendFrom').alias ?? '').trim();
    const deps = extras();
    const found = alias ? checkSendAs(deps.mail, alias, locale()) : null;
    deps.updateSettings({ sendFrom: found ? found.email : '' });
    return { from: found?.email ?? '', displayName: found?.displayName ?? '' };
  },
  getSendExtras(): SendProgressExtras {
    const deps = makeDeps();
    return sendProgressExtras(extrasOf(deps), savedSendSettings(), deps.state.load().progress?.jobId ?? null, locale());
  },
  scheduleSend(input: { date: string; time: string; filter?: { key?: string; period?: string; max?: number } }) {
    const args = objectArg(input, 'scheduleSend');
    const deps = extras();
    deps.beforePlan();
    return scheduleSend(deps, { date: String(args.date ?? ''), time: String(args.time ?? ''), filter: filterArg(args.filter) }, locale());
  },
  cancelScheduledSend(): { cancelled: boolean; message: string } {
    return cancelScheduledSend(extras(), locale());
  },
  checkBounces(): BounceCheckResult {
    return checkBounces(extras(), locale());
  },
  getSendLog(runId: string): SendLogView {
    return readSendLog(extras().log, runId, locale());
  },
};

export const sendExtrasTriggers = {
  /** One-off clock trigger at the scheduled instant: starts the planned send. */
  runScheduledSend(_event?: unknown): void {
    // No beforePlan: the draft and the From are checked against what the plan took.
    const deps = extras();
    const result = runScheduled(deps, locale());
    console.log(`Scheduled send: ${result ? (result.progress?.state ?? 'no send') : 'nothing to start'}`);
  },
  /** The bounce watch: hourly for 72 h after a send. */
  runSendBounceCheck(_event?: unknown): void {
    const result = checkBounces(extras(), locale());
    console.log(
      `Bounce check: ${result.busy ? 'send running, later' : `${result.checked} notice(s) read, ${result.bounced.length} bounce(s)`}`,
    );
  },
};
