// The test send ("test with one invoice first"): one row of the list rendered exactly as it would go
// out (the same checks, template or draft, attachments read from Drive, send-as address), sent to the
// user's own address only, subject prefixed "[TEST]". The row's status and the daily count of real
// sends (read from the rows' sent_at) are untouched; the message still costs Gmail's quota like any
// send (messages.send, 100 units, and one message of the account's daily sending limit).

import { localizedError, PostroomError } from '../../domain/errors';
import { defineMessages, type Locale } from '../../domain/i18n';
import { buildMessage, domainOf, makeMessageId } from '../../domain/send/mime';
import { checkSendRow, describeRowProblems, toMessageInput } from '../../domain/send/plan';
import { makeLogEntry } from '../../domain/send/send-log';
import type { LoadOutcome } from '../../ports/send';
import { SendTableModel } from '../send/table';
import type { SendExtrasDeps } from './deps';

export interface TestSendResult {
  row: number;
  sheetRow: number;
  to: string;
  subject: string;
  attachments: string[];
  gmailId: string;
  threadId: string;
  /** Gmail quota units the test cost (messages.send). */
  quotaUnits: number;
  /** The user's words for it: where it went and what it cost. */
  summary: string;
}

const en = {
  badRow: 'row: expected a whole number ≥ 1 (1 = the first data row), got {got}',
  noRow: 'There is no row {row} in the send list (it has {count} data row(s))',
  invalid: 'Row {row} cannot be sent: {reasons}',
  failed: 'The test of row {row} was not sent: {error}',
  done: 'Test of row {row} sent to {to} ("{subject}"). It counts against Gmail’s sending quota like any email; the row and the daily count of the send are unchanged.',
  prefix: '[TEST]',
};
const translateTest = defineMessages<keyof typeof en>({
  en,
  fr: {
    badRow: 'ligne : un nombre entier ≥ 1 est attendu (1 = la première ligne de données), reçu {got}',
    noRow: 'Il n’y a pas de ligne {row} dans la liste d’envoi (elle compte {count} ligne(s) de données)',
    invalid: 'La ligne {row} ne peut pas être envoyée : {reasons}',
    failed: 'Le test de la ligne {row} n’est pas parti : {error}',
    done: 'Test de la ligne {row} envoyé à {to} (« {subject} »). Il compte dans le quota d’envoi Gmail comme tout email ; la ligne et le compte quotidien de l’envoi sont inchangés.',
    prefix: '[TEST]',
  },
});

/** Sends the test of data row `row` (1 = the first row under the headers) to the user. */
export function sendTestRow(deps: SendExtrasDeps, row: number, locale: Locale): TestSendResult {
  const sd = deps.send;
  if (!Number.isInteger(row) || row < 1) throw localizedError('INVALID_INPUT', translateTest, 'badRow', { got: String(row) });
  const settings = sd.settings();
  const table = new SendTableModel(sd.sheet);
  const sheetRow = row + 1;
  const target = table.rows.find((r) => r.rowNumber === sheetRow);
  if (!target) throw new PostroomError('INVALID_INPUT', translateTest(locale, 'noRow', { row, count: table.rows.length }));
  const checked = checkSendRow(target, {
    settings,
    resolveAttachments: (r, refs) => sd.attachments.resolve(r, refs, settings.attachmentsFolder),
  });
  if ('problems' in checked)
    throw new PostroomError(
      'INVALID_INPUT',
      translateTest(locale, 'invalid', { row, reasons: describeRowProblems(checked.problems, locale) }),
    );
  const planned = checked.planned;
  const ids = planned.attachments.map((a) => a.id);
  const loaded = new Map<string, LoadOutcome>();
  if (ids.length) sd.attachments.loadAll(ids).forEach((outcome, i) => loaded.set(ids[i], outcome));
  const unreadable = [...loaded.values()].find((o) => !o.ok);
  if (unreadable && !unreadable.ok) throw new PostroomError('TRANSIENT', translateTest(locale, 'failed', { row, error: unreadable.error }));
  const now = sd.clock.now();
  const sender = sd.sender.address;
  const base = toMessageInput(
    planned,
    { name: settings.senderName, address: sender },
    makeMessageId(['test', sheetRow, now, Math.floor(sd.random() * 1e9)], domainOf(sender)),
    now,
    (a) => (loaded.get(a.id) as Extract<LoadOutcome, { ok: true }>).file.bytes,
    { 'X-Postroom-Test': `row ${row}` },
  );
  const decorated = sd.decorateMessage ? sd.decorateMessage(base, target) : base;
  const subject = `${translateTest(locale, 'prefix')} ${planned.subject}`;
  const input = { ...decorated, to: [{ name: '', address: deps.userAddress }], cc: [], bcc: [], subject };
  // Encoded by the platform like the send's own bursts (the trailing CRLFs it may add are the epilogue).
  const [raw] = sd.base64.encodeMessagesWebSafe([buildMessage(input)]);
  const [outcome] = sd.mail.send([raw]);
  if (!outcome.ok)
    throw new PostroomError(
      outcome.error.kind === 'transient' || outcome.error.kind === 'quota' ? 'TRANSIENT' : 'PERMANENT',
      translateTest(locale, 'failed', { row, error: outcome.error.message }),
    );
  const json = outcome.value;
  const gmailId = json.id;
  deps.log.append([makeLogEntry('test', sd.clock.now(), { kind: 'test', row, gmailId, to: deps.userAddress })]);
  return {
    row,
    sheetRow,
    to: deps.userAddress,
    subject,
    attachments: [...(decorated.attachments ?? []).map((a) => a.filename)],
    gmailId,
    threadId: String(json.threadId ?? ''),
    quotaUnits: 100,
    summary: translateTest(locale, 'done', { row, to: deps.userAddress, subject }),
  };
}
