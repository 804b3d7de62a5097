// The History tab: every run of every job (JobRuns), newest first, with kind, state, counts, duration
// and links; a send's events open on demand (getSendLog: its log in Postroom/logs/send-YYYY-MM-DD.jsonl).

import type { JobRunView } from '../server/domain/job-runs';
import { button, el, errorBox, formatSeconds, formatTime, link, messageOf, type SidebarContext } from './dom';
import { call } from './rpc';
import type { SidebarMessageKey } from './messages';
import type { Tab } from './main';

/** The JobRuns metrics the history shows (other columns a job adds are left to the summary). */
const COUNT_LABELS = new Set([
  'emails_scanned',
  'attachments_seen',
  'attachments_downloaded',
  'receipts_created',
  'duplicates_skipped',
  'quarantined',
  'errors_count',
]);

export function createHistoryTab(ctx: SidebarContext): Tab {
  const t = ctx.t;
  const element = el('section', undefined, { 'data-testid': 'panel-history' });
  const errorArea = el('div');
  const list = el('ul', undefined, { class: 'history', 'data-testid': 'history-list' });
  const refreshButton = button(t('common.refresh'), 'history-refresh', () => void refresh());
  element.append(el('h2', t('history.heading')), refreshButton, errorArea, list);

  function countsText(run: JobRunView): string {
    return Object.entries(run.counts)
      .filter(([name]) => COUNT_LABELS.has(name))
      .map(([name, n]) => `${n} ${t(`count.${name}` as SidebarMessageKey)}`)
      .join(' · ');
  }

  function item(run: JobRunView): HTMLElement {
    const li = el('li', undefined, { 'data-testid': 'history-row', 'data-job': run.job, 'data-status': run.status });
    const head = el('p', undefined, { class: 'history-head' });
    head.append(
      el('strong', t(`history.job.${run.job}` as SidebarMessageKey)),
      el('span', ` · ${run.statusLabel}`, { class: `badge status-${run.status.replace(/[^a-z_]/g, '')}` }),
    );
    li.append(head);
    li.append(
      el(
        'p',
        t('history.when', {
          start: formatTime(ctx, run.startedAt),
          duration: run.durationSec === null ? t('history.running') : formatSeconds(ctx, run.durationSec),
        }),
        { class: 'muted' },
      ),
    );
    const counts = countsText(run);
    if (counts) li.append(el('p', counts, { 'data-testid': 'history-counts' }));
    if (run.summary) li.append(el('p', run.summary, { 'data-testid': 'history-summary' }));
    const links = el('p', undefined, { class: 'links' });
    if (run.logUrl) links.append(link(t('common.openLog'), run.logUrl, 'history-log'));
    if (run.folderUrl) links.append(link(t('common.openFolder'), run.folderUrl, 'history-folder'));
    if (links.childNodes.length) li.append(links);
    if (run.job === 'send') {
      const eventsBox = el('div');
      const toggle = button(t('history.events'), 'history-events', () => {
        if (eventsBox.childNodes.length) {
          eventsBox.replaceChildren();
          toggle.textContent = t('history.events');
          return;
        }
        toggle.disabled = true;
        call('getSendLog', run.runId)
          .then(
            (log) => {
              const lines = el('ul', undefined, { class: 'events', 'data-testid': 'history-event-list' });
              for (const line of log.lines)
                lines.append(el('li', `${formatTime(ctx, line.at)} ${line.text}`, { class: `level-${line.level}` }));
              eventsBox.replaceChildren(log.lines.length ? lines : el('p', t('history.noEvents'), { class: 'muted' }));
              toggle.textContent = t('history.hideEvents');
            },
            (error) => eventsBox.replaceChildren(errorBox(ctx, messageOf(error), 'history-events-error')),
          )
          .finally(() => (toggle.disabled = false));
      });
      li.append(toggle, eventsBox);
    }
    return li;
  }

  async function refresh(): Promise<void> {
    errorArea.replaceChildren();
    try {
      const runs = await call('listJobRuns', { limit: 50 });
      list.replaceChildren(...runs.map(item));
      if (!runs.length) list.append(el('li', t('history.empty'), { class: 'muted', 'data-testid': 'history-empty' }));
    } catch (error) {
      errorArea.replaceChildren(errorBox(ctx, messageOf(error), 'history-error'));
    }
  }

  return { element, activate: () => void refresh() };
}
