// The Send tab's extras (the send extras api, wiring/send-extras.ts): the Gmail draft used as template
// and the send-as From (above the filters, they change what a check plans), the test send of one row
// and the scheduled send (below the check). Each control shows its own error next to it; text from
// mail and sheets is set as text only.

import type { ServerApi } from '../server/entrypoints';
import { button, el, errorBox, messageOf, row, type SidebarContext } from './dom';
import { call } from './rpc';

type Extras = ReturnType<ServerApi['getSendExtras']>;
type Schedule = NonNullable<Extras['scheduled']>;

export interface SendExtrasParts {
  /** Template and From selects: above the filters. */
  choices: HTMLElement;
  /** Test send and scheduled send: below the check. */
  actions: HTMLElement;
  /** Reads the chosen draft, From and schedule (on opening the tab). */
  load(): Promise<void>;
  /** The first ready row of the last check (sheet row), proposed for the test. */
  proposeTestRow(sheetRow: number): void;
  /** Sends the test of this sheet row (the preview's button). */
  testRow(sheetRow: number): void;
  /** Shows the scheduled send (or none), as getSendProgress reports it. */
  showSchedule(schedule: Schedule | null): void;
}

export function createSendExtras(
  ctx: SidebarContext,
  filter: () => { key?: string; period?: string },
  onScheduled: () => void,
): SendExtrasParts {
  const t = ctx.t;
  const errorLine = (testId: string) => el('div', undefined, { 'data-testid': testId });
  const showErrorIn = (area: HTMLElement, error: unknown, testId: string) => area.replaceChildren(errorBox(ctx, messageOf(error), testId));

  // ---- the draft as template
  const draftSelect = el('select', undefined, { id: 'send-draft', 'data-testid': 'send-draft' });
  draftSelect.append(el('option', t('extras.draftNone'), { value: '' }));
  const draftStatus = el('p', undefined, { class: 'muted', 'data-testid': 'send-draft-status', role: 'status' });
  const draftError = errorLine('send-draft-error-area');

  // ---- the From
  const fromSelect = el('select', undefined, { id: 'send-from', 'data-testid': 'send-from' });
  fromSelect.append(el('option', t('extras.fromAccount'), { value: '' }));
  const fromStatus = el('p', undefined, { class: 'muted', 'data-testid': 'send-from-status', role: 'status' });
  const fromError = errorLine('send-from-error-area');

  const choices = el('div', undefined, { 'data-testid': 'send-choices' });
  choices.append(
    el('label', t('extras.template'), { for: 'send-draft' }),
    draftSelect,
    el('p', t('extras.draftHelp'), { class: 'help' }),
    draftStatus,
    draftError,
    el('label', t('extras.from'), { for: 'send-from' }),
    fromSelect,
    fromStatus,
    fromError,
  );

  // ---- the test send
  const testRowInput = el('input', undefined, {
    type: 'number',
    min: '1',
    step: '1',
    id: 'send-test-row',
    'data-testid': 'send-test-row',
    inputmode: 'numeric',
  });
  const testButton = button(t('extras.test'), 'send-test', () => void sendTest());
  const testResult = el('div', undefined, { 'data-testid': 'send-test-result', role: 'status', 'aria-live': 'polite' });
  const testError = errorLine('send-test-error-area');

  // ---- the scheduled send
  const dateInput = el('input', undefined, { type: 'date', id: 'send-schedule-date', 'data-testid': 'send-schedule-date' });
  const timeInput = el('input', undefined, { type: 'time', id: 'send-schedule-time', 'data-testid': 'send-schedule-time' });
  const scheduleButton = button(t('extras.schedule'), 'send-schedule', () => void schedule());
  const scheduleError = errorLine('send-schedule-error-area');
  const scheduledLabel = el('p', undefined, { class: 'summary', 'data-testid': 'send-scheduled', role: 'status' });
  const cancelButton = button(t('extras.scheduleCancel'), 'send-schedule-cancel', () => void cancelSchedule(), { class: 'danger' });
  const scheduledBox = el('div', undefined, { class: 'notice' });
  scheduledBox.append(scheduledLabel, cancelButton);
  scheduledBox.hidden = true;
  const scheduleForm = el('div');
  scheduleForm.append(
    el('label', t('extras.scheduleDate'), { for: 'send-schedule-date' }),
    dateInput,
    el('label', t('extras.scheduleTime', { zone: ctx.timeZone }), { for: 'send-schedule-time' }),
    timeInput,
    el('p', t('extras.scheduleHelp'), { class: 'help' }),
    scheduleButton,
  );

  const actions = el('div', undefined, { 'data-testid': 'send-extras' });
  actions.append(
    el('h3', t('extras.testHeading')),
    el('label', t('extras.testRow'), { for: 'send-test-row' }),
    testRowInput,
    el('p', t('extras.testHelp'), { class: 'help' }),
    testButton,
    testError,
    testResult,
    el('h3', t('extras.scheduleHeading')),
    scheduledBox,
    scheduleForm,
    scheduleError,
  );

  function showSchedule(scheduled: Schedule | null): void {
    scheduledBox.hidden = !scheduled;
    scheduleForm.hidden = Boolean(scheduled);
    scheduledLabel.textContent = scheduled ? scheduled.label : '';
  }

  async function loadDrafts(chosen: string): Promise<void> {
    try {
      const drafts = await call('listDrafts');
      draftSelect.replaceChildren(
        el('option', t('extras.draftNone'), { value: '' }),
        ...drafts.map((d) => el('option', d.subject, { value: d.draftId })),
      );
      draftSelect.value = drafts.some((d) => d.draftId === chosen) ? chosen : '';
    } catch (error) {
      showErrorIn(draftError, error, 'send-draft-error');
    }
  }

  async function loadAliases(chosen: string): Promise<void> {
    try {
      const aliases = await call('listSendAs');
      const options = [el('option', t('extras.fromAccount'), { value: '' })];
      for (const alias of aliases) {
        if (alias.isPrimary) continue;
        const verified = alias.verificationStatus === 'accepted';
        const text = !verified
          ? t('extras.fromUnverified', { email: alias.email })
          : alias.displayName
            ? t('extras.fromAlias', { email: alias.email, name: alias.displayName })
            : alias.email;
        options.push(el('option', text, { value: alias.email }));
      }
      fromSelect.replaceChildren(...options);
      fromSelect.value = aliases.some((a) => a.email === chosen && !a.isPrimary) ? chosen : '';
    } catch (error) {
      showErrorIn(fromError, error, 'send-from-error');
    }
  }

  let savedFrom = '';
  async function load(): Promise<void> {
    try {
      const extras = await call('getSendExtras');
      savedFrom = extras.from;
      showSchedule(extras.scheduled);
      draftStatus.textContent = extras.draft ? t('extras.draftSaved', { subject: extras.draft.subject }) : '';
      await Promise.all([loadDrafts(extras.draft?.draftId ?? ''), loadAliases(extras.from)]);
    } catch (error) {
      showErrorIn(draftError, error, 'send-draft-error');
    }
  }

  draftSelect.addEventListener('change', () => {
    const draftId = draftSelect.value;
    draftError.replaceChildren();
    draftStatus.textContent = t('extras.loading');
    draftSelect.disabled = true;
    call('chooseDraft', draftId ? { draftId } : null)
      .then((chosen) => (draftStatus.textContent = chosen ? t('extras.draftSaved', { subject: chosen.subject }) : t('extras.draftCleared')))
      .catch((error) => {
        draftStatus.textContent = '';
        showErrorIn(draftError, error, 'send-draft-error');
      })
      .finally(() => (draftSelect.disabled = false));
  });

  fromSelect.addEventListener('change', () => {
    const alias = fromSelect.value;
    fromError.replaceChildren();
    fromStatus.textContent = t('extras.loading');
    fromSelect.disabled = true;
    call('setSendFrom', { alias })
      .then((answer) => {
        savedFrom = answer.from;
        fromStatus.textContent = answer.from ? t('extras.fromSaved', { email: answer.from }) : t('extras.fromAccountSaved');
      })
      .catch((error) => {
        // Refused (not verified): the saved From stays, and the select says so.
        fromStatus.textContent = '';
        fromSelect.value = savedFrom;
        showErrorIn(fromError, error, 'send-from-error');
      })
      .finally(() => (fromSelect.disabled = false));
  });

  async function sendTest(): Promise<void> {
    testError.replaceChildren();
    testResult.replaceChildren();
    const value = Number(testRowInput.value);
    if (!testRowInput.value.trim() || !Number.isInteger(value) || value < 1) {
      testRowInput.setAttribute('aria-invalid', 'true');
      testError.replaceChildren(
        el('p', t('extras.testRowInvalid'), { class: 'field-error', role: 'alert', 'data-testid': 'send-test-error' }),
      );
      return;
    }
    testRowInput.removeAttribute('aria-invalid');
    testButton.disabled = true;
    testButton.textContent = t('extras.testing');
    try {
      const result = await call('sendTest', { row: value });
      const list = el('dl');
      row(list, t('extras.testTo'), result.to, 'send-test-to');
      row(list, t('extras.testSubject'), result.subject, 'send-test-subject');
      row(list, t('extras.testGmailId'), result.gmailId, 'send-test-gmail-id');
      testResult.replaceChildren(el('p', result.summary, { 'data-testid': 'send-test-summary' }), list);
    } catch (error) {
      showErrorIn(testError, error, 'send-test-error');
    } finally {
      testButton.disabled = false;
      testButton.textContent = t('extras.test');
    }
  }

  async function schedule(): Promise<void> {
    scheduleError.replaceChildren();
    if (!dateInput.value || !timeInput.value) {
      scheduleError.replaceChildren(
        el('p', t('extras.scheduleMissing'), { class: 'field-error', role: 'alert', 'data-testid': 'send-schedule-error' }),
      );
      return;
    }
    scheduleButton.disabled = true;
    scheduleButton.textContent = t('extras.scheduling');
    try {
      const answer = await call('scheduleSend', { date: dateInput.value, time: timeInput.value, filter: filter() });
      showSchedule(answer.schedule);
      if (answer.notice) scheduleError.replaceChildren(el('p', answer.notice, { class: 'muted', 'data-testid': 'send-schedule-notice' }));
      onScheduled();
    } catch (error) {
      showErrorIn(scheduleError, error, 'send-schedule-error');
    } finally {
      scheduleButton.disabled = false;
      scheduleButton.textContent = t('extras.schedule');
    }
  }

  async function cancelSchedule(): Promise<void> {
    if (!window.confirm(t('extras.scheduleCancelConfirm'))) return;
    scheduleError.replaceChildren();
    cancelButton.disabled = true;
    try {
      const answer = await call('cancelScheduledSend');
      showSchedule(null);
      scheduleError.replaceChildren(el('p', answer.message, { class: 'muted', 'data-testid': 'send-schedule-notice' }));
    } catch (error) {
      showErrorIn(scheduleError, error, 'send-schedule-error');
    } finally {
      cancelButton.disabled = false;
    }
  }

  return {
    choices,
    actions,
    load,
    proposeTestRow(sheetRow) {
      if (!testRowInput.value) testRowInput.value = String(Math.max(1, sheetRow - 1));
    },
    testRow(sheetRow) {
      testRowInput.value = String(Math.max(1, sheetRow - 1));
      testRowInput.scrollIntoView({ block: 'nearest' });
      void sendTest();
    },
    showSchedule,
  };
}
