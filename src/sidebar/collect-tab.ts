// The Collect tab (the collection's dashboard): the last run (date, duration, counts, log and folder
// links), the attachments it quarantined with their reasons, Gmail's estimate of the messages to look
// at, and the form: dry-run switch, max items, "Lancer la collecte" (disabled while a run goes on).
// A run may take several executions (`pending`): the page calls again until it is done, then the
// result replaces the last run. With no allowed sender, the tab explains what to set first.

import type { CollectOverview } from '../server/ui/collect-panel';
import type { CollectMetrics } from '../server/domain/collect';
import { button, el, errorBox, formatSeconds, formatTime, link, messageOf, row, type SidebarContext } from './dom';
import { call } from './rpc';
import type { Tab } from './main';

const MAX_EXECUTIONS = 50;

export function createCollectTab(ctx: SidebarContext): Tab {
  const t = ctx.t;
  const element = el('section', undefined, { 'data-testid': 'panel-collect' });
  const errorArea = el('div');
  const setupArea = el('div');
  const lastRunArea = el('div', undefined, { 'data-testid': 'collect-last-run', 'aria-live': 'polite' });
  const quarantineArea = el('div');
  const estimate = el('p', undefined, { 'data-testid': 'collect-estimate', class: 'muted' });

  const form = el('form', undefined, { novalidate: '' });
  const dryRun = el('input', undefined, { type: 'checkbox', id: 'collect-dry-run', 'data-testid': 'collect-dry-run', role: 'switch' });
  const max = el('input', undefined, {
    type: 'number',
    id: 'collect-max',
    'data-testid': 'collect-max',
    min: '1',
    step: '1',
    inputmode: 'numeric',
  });
  const maxError = el('p', undefined, { class: 'field-error', role: 'alert', 'data-testid': 'collect-max-error' });
  maxError.hidden = true;
  const runButton = el('button', t('collect.run'), { type: 'submit', 'data-testid': 'collect-run', class: 'primary' });
  const runningNote = el('p', undefined, { role: 'status', 'data-testid': 'collect-running', class: 'muted' });
  const switchLabel = el('label', undefined, { class: 'switch', for: 'collect-dry-run' });
  switchLabel.append(dryRun, el('span', t('collect.dryRun')));
  form.append(switchLabel, el('label', t('collect.max'), { for: 'collect-max' }), max, maxError, runButton, runningNote);
  element.append(
    el('h2', t('collect.heading')),
    errorArea,
    setupArea,
    estimate,
    form,
    el('h3', t('collect.lastRun')),
    lastRunArea,
    quarantineArea,
  );

  let running = false;
  let blocked = false;
  /** While a run this page did not start goes on (a trigger, the card), the tab looks again every 3 s. */
  let watchTimer: number | null = null;
  let launchedHere = false;
  let initialised = false;

  function updateButton(): void {
    runButton.disabled = running || blocked;
  }

  function counts(metrics: CollectMetrics): string {
    return t('collect.counts', {
      created: metrics.receiptsCreated,
      quarantined: metrics.quarantined,
      duplicates: metrics.duplicatesSkipped,
      errors: metrics.errorsCount,
    });
  }

  function render(overview: CollectOverview): void {
    setupArea.replaceChildren();
    blocked = false;
    if (overview.setup.settingsError) {
      setupArea.append(errorBox(ctx, t('collect.settingsError', { message: overview.setup.settingsError }), 'collect-setup'));
      blocked = true;
    } else if (overview.setup.needsAllowedSenders) {
      const box = el('div', undefined, { class: 'notice', 'data-testid': 'collect-setup', role: 'note' });
      box.append(
        el('h3', t('collect.setupHeading')),
        el('p', t('collect.setupSenders')),
        button(t('collect.setupGo'), 'collect-setup-go', () => ctx.show('settings')),
      );
      setupArea.append(box);
      blocked = true;
    }
    if (!initialised) {
      initialised = true;
      max.value = String(overview.defaultMaxItems);
      dryRun.checked = overview.defaultDryRun;
    }
    running = launchedHere || overview.running !== null || overview.pending !== null;
    if (running && !launchedHere && watchTimer === null) watchTimer = window.setTimeout(() => ((watchTimer = null), void refresh()), 3000);
    runningNote.textContent = overview.running
      ? t('collect.running', { since: formatTime(ctx, overview.running.sinceMs) })
      : overview.pending
        ? overview.pending.text
        : '';
    updateButton();

    lastRunArea.replaceChildren();
    const last = overview.lastRun;
    if (!last) {
      lastRunArea.append(el('p', t('collect.noRun'), { class: 'muted', 'data-testid': 'collect-no-run' }));
    } else {
      lastRunArea.append(el('p', `${counts(last.metrics)}. ${last.text}`, { 'data-testid': 'collect-summary', class: 'summary' }));
      const facts = el('dl');
      row(facts, t('collect.status'), last.statusLabel, 'collect-status');
      row(facts, t('collect.started'), formatTime(ctx, last.startedAt), 'collect-started');
      row(facts, t('collect.duration'), formatSeconds(ctx, last.durationSec), 'collect-duration');
      lastRunArea.append(
        facts,
        el('p', t('collect.scanned', { emails: last.metrics.emailsScanned, seen: last.metrics.attachmentsSeen }), { class: 'muted' }),
      );
      const links = el('p', undefined, { class: 'links' });
      links.append(link(t('common.openLog'), last.logUrl, 'collect-log-link'));
      lastRunArea.append(links);
    }
    const folders = el('p', undefined, { class: 'links', 'data-testid': 'collect-folders' });
    folders.append(
      el('span', ctx.locale === 'fr' ? `${t('collect.folders')} : ` : `${t('collect.folders')}: `),
      link(t('collect.folderIncoming'), overview.folders.incoming, 'collect-folder-incoming'),
      el('span', ' · '),
      link(t('collect.folderQuarantine'), overview.folders.quarantine, 'collect-folder-quarantine'),
    );
    lastRunArea.append(folders);

    quarantineArea.replaceChildren();
    if (overview.quarantined.length) {
      const list = el('ul', undefined, { 'data-testid': 'collect-quarantined-list' });
      for (const item of overview.quarantined) {
        // The reason in the user's words; the job's technical detail (as logged) on hover.
        const attrs: Record<string, string> = { 'data-testid': 'collect-quarantined' };
        if (item.detail) attrs.title = item.detail;
        list.append(el('li', t('collect.quarantinedItem', { file: item.filename, reason: item.reason }), attrs));
      }
      quarantineArea.append(el('h3', t('collect.quarantinedHeading')), list);
    }
  }

  async function refresh(): Promise<void> {
    errorArea.replaceChildren();
    try {
      const overview = await call('getCollectOverview');
      render(overview);
      if (!overview.setup.settingsError) void loadEstimate();
    } catch (error) {
      errorArea.replaceChildren(errorBox(ctx, messageOf(error), 'collect-error'));
    }
  }

  async function loadEstimate(): Promise<void> {
    estimate.textContent = t('collect.estimating');
    try {
      const answer = await call('estimateCollect');
      estimate.textContent = t('collect.estimate', { n: answer.estimate, query: answer.query });
    } catch (error) {
      estimate.textContent = '';
      estimate.append(errorBox(ctx, messageOf(error), 'collect-estimate-error'));
    }
  }

  async function launch(): Promise<void> {
    errorArea.replaceChildren();
    const raw = max.value.trim();
    const maxItems = raw === '' ? undefined : Number(raw);
    if (maxItems !== undefined && (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000)) {
      maxError.textContent = t('settings.errorWhole', { min: 1, max: 10_000 });
      maxError.hidden = false;
      max.setAttribute('aria-invalid', 'true');
      return;
    }
    maxError.hidden = true;
    max.removeAttribute('aria-invalid');
    launchedHere = true;
    running = true;
    updateButton();
    runningNote.textContent = t('collect.inProgress');
    try {
      let result = await call('collectFromGmail', { dryRun: dryRun.checked, maxItems });
      for (let executions = 1; result.pending && executions < MAX_EXECUTIONS; executions++) {
        runningNote.textContent = `${t('collect.inProgress')} ${result.text}`;
        result = await call('collectFromGmail', {});
      }
    } catch (error) {
      errorArea.replaceChildren(errorBox(ctx, messageOf(error), 'collect-error'));
    } finally {
      launchedHere = false;
      running = false;
      runningNote.textContent = '';
      updateButton();
    }
    // The result replaces the last run (with its quarantined items and links).
    try {
      render(await call('getCollectOverview'));
    } catch (error) {
      errorArea.append(errorBox(ctx, messageOf(error), 'collect-error'));
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!running && !blocked) void launch();
  });

  return {
    element,
    activate() {
      if (!running) void refresh();
    },
  };
}
