// The Send tab (launch a send and watch it live): CCT and period filters, "Vérifier" (planSend: counts, invalid rows
// with their reasons, a preview of a ready row), "Envoyer" (startSend), then the live gauge. While the
// page is open it drives the send itself (continueSend again and again, waiting `waitMs` as told) and
// reads the saved progress every second; closed, the job's own trigger carries on. Opening the page
// finds the running or last send and shows it. The extras (draft as template, From, test send,
// scheduled send) are in send-extras.ts; duplicates found by the check can be confirmed here, and the
// gauge counts the bounces reported after the send.

import type { ServerApi } from '../server/entrypoints';
import type { SendProgressView } from '../server/domain/send/progress';
import type { SendRowPreview } from '../server/jobs/send/preview';
import { button, el, errorBox, formatClock, formatNumber, formatSeconds, messageOf, row, wait, type SidebarContext } from './dom';
import { call } from './rpc';
import { createSendExtras } from './send-extras';
import type { Tab } from './main';

type ContinueResult = ReturnType<ServerApi['continueSend']>;
type PlanResult = ReturnType<ServerApi['planSend']>;

const POLL_MS = 1000;
const BUSY_RETRY_MS = 2000;
const ACTIVE_STATES = new Set(['running', 'paused', 'paused-quota']);
/** A row failed at planning as a duplicate: the send catalogue's words ("doublon de la ligne 12 …"). */
const DUPLICATE_REASON = /^(?:doublon de la ligne|duplicate of row) \d+/;

export function createSendTab(ctx: SidebarContext): Tab {
  const t = ctx.t;
  const element = el('section', undefined, { 'data-testid': 'panel-send' });
  const heading = el('h2', t('send.heading'));

  // ---- the form
  const form = el('form', undefined, { 'data-testid': 'send-form', novalidate: '' });
  const keyInput = el('input', undefined, {
    type: 'text',
    id: 'send-key',
    'data-testid': 'send-key',
    autocomplete: 'off',
    placeholder: t('send.keyHelp'),
  });
  const periodInput = el('input', undefined, {
    type: 'text',
    id: 'send-period',
    'data-testid': 'send-period',
    autocomplete: 'off',
    placeholder: t('send.periodHelp'),
    inputmode: 'numeric',
  });
  const periodError = el('p', undefined, { class: 'field-error', 'data-testid': 'send-period-error', role: 'alert' });
  periodError.hidden = true;
  const planButton = el('button', t('send.plan'), { type: 'submit', 'data-testid': 'send-plan' });
  form.append(
    el('label', t('send.key'), { for: 'send-key' }),
    keyInput,
    el('label', t('send.period'), { for: 'send-period' }),
    periodInput,
    periodError,
    el('div', undefined, { class: 'actions' }),
  );
  (form.lastChild as HTMLElement).append(planButton);
  const planArea = el('div', undefined, { 'data-testid': 'send-plan-area', 'aria-live': 'polite' });
  const startButton = button(t('send.start'), 'send-start', () => void start(), { class: 'primary' });
  startButton.hidden = true;
  const formBox = el('div');
  const extras = createSendExtras(
    ctx,
    () => ({ key: keyInput.value.trim() || undefined, period: periodInput.value.trim() || undefined }),
    () => (startButton.hidden = true),
  );
  formBox.append(extras.choices, form, planArea, startButton, extras.actions);

  // ---- the gauge
  const gauge = el('div', undefined, { 'data-testid': 'send-gauge' });
  const gaugeHeading = el('h3', t('send.gaugeHeading'));
  const bar = el('div', undefined, {
    role: 'progressbar',
    'aria-valuemin': '0',
    'aria-valuemax': '100',
    'aria-valuenow': '0',
    'data-testid': 'send-progress',
    class: 'bar',
  });
  const barFill = el('div', undefined, { class: 'bar-fill' });
  bar.append(barFill);
  const percentText = el('p', undefined, { class: 'percent', 'data-testid': 'send-percent' });
  const facts = el('dl');
  const stateDd = row(facts, t('send.state'), '', 'send-state');
  const sentDd = row(facts, t('send.sent'), '0', 'send-sent');
  const failedDd = row(facts, t('send.failed'), '0', 'send-failed');
  const remainingDd = row(facts, t('send.remaining'), '0', 'send-remaining');
  const rateDd = row(facts, t('send.rate'), '', 'send-rate');
  const elapsedDd = row(facts, t('send.elapsed'), '', 'send-elapsed');
  const etaDd = row(facts, t('send.eta'), '', 'send-eta');
  const bouncedDd = row(facts, t('send.bounced'), '0', 'send-bounced');
  const bouncedDt = bouncedDd.previousElementSibling as HTMLElement;
  bouncedDd.hidden = bouncedDt.hidden = true;
  const resumeNote = el('p', undefined, { class: 'muted', 'data-testid': 'send-resume-at' });
  const controls = el('div', undefined, { class: 'actions' });
  const pauseButton = button(t('send.pause'), 'send-pause', () => void control('pause'));
  const resumeButton = button(t('send.resume'), 'send-resume', () => void control('resume'));
  const cancelButton = button(t('send.cancel'), 'send-cancel', () => void control('cancel'), { class: 'danger' });
  controls.append(pauseButton, resumeButton, cancelButton);
  const summary = el('p', undefined, { 'data-testid': 'send-summary', class: 'summary', role: 'status' });
  const newButton = button(t('send.new'), 'send-new', () => showForm(), { class: 'primary' });
  const eventsHeading = el('h3', t('send.events'));
  const events = el('ul', undefined, { 'data-testid': 'send-events', class: 'events' });
  gauge.append(gaugeHeading, bar, percentText, facts, resumeNote, controls, summary, newButton, eventsHeading, events);
  gauge.hidden = true;

  const errorArea = el('div', undefined, { 'data-testid': 'send-error-area' });
  element.append(heading, errorArea, formBox, gauge);

  let lastProgress: SendProgressView | null = null;
  let driving = false;
  let pollTimer: number | null = null;
  let pollInFlight = false;
  let loaded = false;

  function showBounced(n: number | undefined): void {
    bouncedDd.textContent = String(n ?? 0);
    bouncedDd.hidden = bouncedDt.hidden = !n;
  }

  function showError(error: unknown): void {
    errorArea.replaceChildren(errorBox(ctx, messageOf(error), 'send-error'));
  }
  function clearError(): void {
    errorArea.replaceChildren();
  }

  function showForm(): void {
    stopPolling();
    gauge.hidden = true;
    formBox.hidden = false;
    planArea.replaceChildren();
    startButton.hidden = true;
    clearError();
  }

  function render(progress: SendProgressView | null): void {
    if (!progress || progress.state === 'planned') return;
    lastProgress = progress;
    formBox.hidden = true;
    gauge.hidden = false;
    const final = progress.state === 'done' || progress.state === 'cancelled';
    gaugeHeading.textContent = final ? t('send.lastHeading') : t('send.gaugeHeading');
    const percent = Math.max(0, Math.min(100, Math.round(progress.percent)));
    bar.setAttribute('aria-valuenow', String(percent));
    bar.setAttribute('aria-valuetext', t('send.percent', { n: percent }));
    barFill.style.width = `${percent}%`;
    percentText.textContent = `${t('send.percent', { n: percent })} · ${t('send.of', { done: progress.sent + progress.failed - (progress.invalid ?? 0), total: progress.toSend ?? progress.total })}`;
    stateDd.textContent = progress.stateLabel;
    sentDd.textContent = String(progress.sent);
    failedDd.textContent = String(progress.failed);
    remainingDd.textContent = String(progress.remaining);
    rateDd.textContent =
      progress.ratePerMinute === null ? t('common.none') : t('send.ratePerMinute', { n: formatNumber(ctx, progress.ratePerMinute) });
    elapsedDd.textContent = formatSeconds(ctx, progress.elapsedMs / 1000);
    etaDd.textContent = progress.etaMs === null ? t('common.none') : formatSeconds(ctx, progress.etaMs / 1000);
    resumeNote.textContent =
      progress.state === 'paused-quota' && progress.resumeAt ? t('send.resumesAt', { time: formatClock(ctx, progress.resumeAt) }) : '';
    resumeNote.hidden = !resumeNote.textContent;
    pauseButton.hidden = !(progress.state === 'running' || progress.state === 'paused-quota');
    resumeButton.hidden = !(progress.state === 'paused' || progress.state === 'paused-quota');
    cancelButton.hidden = final;
    summary.hidden = !final;
    newButton.hidden = !final;
    if (final) summary.textContent = progress.events.length ? progress.events[progress.events.length - 1] : progress.stateLabel;
    events.replaceChildren(...progress.events.map((line) => el('li', line)));
    if (final) {
      stopPolling();
      // Bounces come in after the send: the count as saved now.
      call('getSendProgress').then(
        (answer) => showBounced(answer.bounced),
        () => undefined,
      );
    } else startPolling();
  }

  function startPolling(): void {
    if (pollTimer !== null) return;
    pollTimer = window.setInterval(() => {
      if (pollInFlight) return;
      pollInFlight = true;
      call('getSendProgress')
        .then((answer) => {
          showBounced(answer.bounced);
          // A continueSend answer may have come in meanwhile; the newer of the two wins.
          if (
            answer.progress &&
            (!lastProgress ||
              answer.progress.sent + answer.progress.failed >= lastProgress.sent + lastProgress.failed ||
              answer.progress.state !== lastProgress.state)
          )
            render(answer.progress);
          if (answer.progress && ACTIVE_STATES.has(answer.progress.state) && answer.progress.state === 'running') void drive();
        })
        .catch(showError)
        .finally(() => (pollInFlight = false));
    }, POLL_MS);
  }

  function stopPolling(): void {
    if (pollTimer !== null) window.clearInterval(pollTimer);
    pollTimer = null;
  }

  /** The open page drives the send: continueSend while there is work, waiting as the job says. */
  async function drive(first?: ContinueResult): Promise<void> {
    if (driving && !first) return;
    driving = true;
    try {
      let result: ContinueResult | undefined = first;
      for (;;) {
        if (result) {
          render(result.progress);
          const state = result.progress?.state;
          if (!result.more || state === 'paused' || state === 'cancelled' || state === 'done') return;
          await wait(result.busy ? Math.max(result.waitMs, BUSY_RETRY_MS) : Math.max(0, result.waitMs));
          // Paused or cancelled meanwhile (by this page, the card, or another window)?
          if (lastProgress && (lastProgress.state === 'paused' || lastProgress.state === 'cancelled' || lastProgress.state === 'done'))
            return;
        }
        result = await call('continueSend');
      }
    } catch (error) {
      showError(error);
    } finally {
      driving = false;
    }
  }

  async function plan(confirmDuplicates?: boolean): Promise<void> {
    clearError();
    const period = periodInput.value.trim();
    if (period && !/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) {
      periodError.textContent = t('send.periodInvalid');
      periodError.hidden = false;
      periodInput.setAttribute('aria-invalid', 'true');
      return;
    }
    periodError.hidden = true;
    periodInput.removeAttribute('aria-invalid');
    planButton.disabled = true;
    startButton.hidden = true;
    planArea.replaceChildren(el('p', t('send.planning'), { role: 'status' }));
    const filter = {
      key: keyInput.value.trim() || undefined,
      period: period || undefined,
      ...(confirmDuplicates ? { confirmDuplicates: true } : {}),
    };
    try {
      const result: PlanResult = await call('planSend', filter);
      const c = result.counts;
      const nodes: HTMLElement[] = [
        el('p', t('send.planSummary', { ready: c.ready, invalid: c.invalid, selected: c.selected, matching: c.matching }), {
          'data-testid': 'send-plan-summary',
          class: 'summary',
        }),
      ];
      const duplicates = result.invalid.filter((bad) => DUPLICATE_REASON.test(bad.reason));
      const invalid = result.invalid.filter((bad) => !DUPLICATE_REASON.test(bad.reason));
      if (invalid.length) {
        const list = el('ul', undefined, { class: 'invalid-rows', 'data-testid': 'send-invalid-list' });
        for (const bad of invalid) {
          list.append(
            el('li', t('send.invalidRow', { row: bad.rowNumber, key: bad.key, reason: bad.reason }), { 'data-testid': 'send-invalid' }),
          );
        }
        nodes.push(el('h3', t('send.invalidHeading')), list);
      }
      if (duplicates.length) {
        const list = el('ul', undefined, { class: 'invalid-rows', 'data-testid': 'send-duplicates' });
        for (const dup of duplicates) {
          list.append(
            el('li', t('send.invalidRow', { row: dup.rowNumber, key: dup.key, reason: dup.reason }), { 'data-testid': 'send-duplicate' }),
          );
        }
        nodes.push(
          el('h3', t('send.duplicatesHeading')),
          list,
          button(t('send.confirmDuplicates'), 'send-confirm-duplicates', () => void plan(true)),
        );
      }
      planArea.replaceChildren(...nodes);
      if (c.ready > 0) {
        startButton.hidden = false;
        const first = result.ready[0];
        extras.proposeTestRow(first.rowNumber);
        const previewBox = el('div', t('app.loading'), { 'data-testid': 'send-preview', class: 'preview' });
        planArea.append(el('h3', t('send.previewHeading')), previewBox);
        call('previewSendRow', { rowNumber: first.rowNumber }).then(
          (preview) => renderPreview(previewBox, preview),
          (error) => previewBox.replaceChildren(errorBox(ctx, messageOf(error), 'send-preview-error')),
        );
      } else {
        planArea.append(el('p', t('send.nothingReady'), { class: 'muted' }));
      }
    } catch (error) {
      planArea.replaceChildren();
      showError(error);
    } finally {
      planButton.disabled = false;
    }
  }

  function renderPreview(box: HTMLElement, preview: SendRowPreview | null): void {
    box.replaceChildren();
    if (!preview) {
      box.append(el('p', t('send.previewNone')));
      return;
    }
    const list = el('dl');
    row(list, t('send.previewFrom'), preview.from);
    row(list, t('send.previewTo'), preview.to.join(', '), 'send-preview-to');
    if (preview.cc.length) row(list, t('send.previewCc'), preview.cc.join(', '));
    if (preview.bcc.length) row(list, t('send.previewBcc'), preview.bcc.join(', '));
    if (preview.replyTo) row(list, t('send.previewReplyTo'), preview.replyTo);
    row(list, t('send.previewSubject'), preview.subject, 'send-preview-subject');
    row(
      list,
      t('send.previewAttachments'),
      preview.attachments.map((a) => a.name).join(', ') || t('common.none'),
      'send-preview-attachments',
    );
    box.append(list);
    if (!preview.problems.length) box.append(button(t('extras.testThisRow'), 'send-preview-test', () => extras.testRow(preview.rowNumber)));
    if (preview.problems.length) {
      box.append(el('p', t('send.previewProblems'), { class: 'error' }));
      const problems = el('ul');
      for (const problem of preview.problems) problems.append(el('li', problem));
      box.append(problems);
    }
    if (preview.text) {
      box.append(el('h4', t('send.previewText')), el('pre', preview.text, { 'data-testid': 'send-preview-text' }));
    }
    if (preview.html) {
      const details = el('details');
      details.append(el('summary', t('send.previewHtml')), el('pre', preview.html, { 'data-testid': 'send-preview-html' }));
      box.append(details);
    }
  }

  async function start(): Promise<void> {
    clearError();
    startButton.disabled = true;
    startButton.textContent = t('send.starting');
    try {
      const result = await call('startSend', null);
      render(result.progress);
      void drive(result);
    } catch (error) {
      showError(error);
    } finally {
      startButton.disabled = false;
      startButton.textContent = t('send.start');
    }
  }

  async function control(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    if (action === 'cancel' && !window.confirm(t('send.cancelConfirm'))) return;
    clearError();
    for (const b of [pauseButton, resumeButton, cancelButton]) b.disabled = true;
    try {
      const result = await call(action === 'pause' ? 'pauseSend' : action === 'resume' ? 'resumeSend' : 'cancelSend');
      render(result.progress);
      if (action === 'resume') void drive(result);
    } catch (error) {
      showError(error);
    } finally {
      for (const b of [pauseButton, resumeButton, cancelButton]) b.disabled = false;
    }
  }

  // "Envoyer" starts the run just checked: changing a filter asks for a new check first.
  for (const input of [keyInput, periodInput]) {
    input.addEventListener('input', () => {
      startButton.hidden = true;
      planArea.replaceChildren();
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void plan();
  });

  async function load(): Promise<void> {
    try {
      const answer = await call('getSendProgress');
      const progress = answer.progress;
      extras.showSchedule(answer.scheduled);
      showBounced(answer.bounced);
      void extras.load();
      if (progress && progress.state !== 'planned') {
        render(progress);
        if (progress.state === 'running') void drive();
      } else showForm();
    } catch (error) {
      showError(error);
    }
  }

  return {
    element,
    activate() {
      if (!loaded) {
        loaded = true;
        void load();
      } else if (!gauge.hidden && lastProgress && ACTIVE_STATES.has(lastProgress.state)) startPolling();
    },
  };
}
