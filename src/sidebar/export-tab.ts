// The Export tab: a Gmail search, max messages and messages per file, "Exporter" (startExport), then
// the progress (getExportProgress every 1.5 s while running), the summary and the export folder. The
// export api is the export job's (src/server/wiring/export.ts; contract: ExportProgress in CONTRACTS.md).

import type { ExportProgress } from '../server/domain/export';
import { button, el, errorBox, link, messageOf, type SidebarContext } from './dom';
import type { SidebarMessageKey } from './messages';
import { call } from './rpc';
import type { Tab } from './main';

const POLL_MS = 1500;

export function createExportTab(ctx: SidebarContext): Tab {
  const t = ctx.t;
  const element = el('section', undefined, { 'data-testid': 'panel-export' });
  const errorArea = el('div');
  const form = el('form', undefined, { novalidate: '' });
  const query = el('input', undefined, {
    type: 'text',
    id: 'export-query',
    'data-testid': 'export-query',
    autocomplete: 'off',
    placeholder: 'label:factures after:2026/01/01',
  });
  const max = el('input', undefined, { type: 'number', id: 'export-max', 'data-testid': 'export-max', min: '1', step: '1' });
  const batch = el('input', undefined, {
    type: 'number',
    id: 'export-batch-size',
    'data-testid': 'export-batch-size',
    min: '1',
    step: '1',
  });
  const runButton = el('button', t('export.run'), { type: 'submit', 'data-testid': 'export-run', class: 'primary' });
  form.append(
    el('label', t('export.query'), { for: 'export-query' }),
    query,
    el('label', t('export.max'), { for: 'export-max' }),
    max,
    el('label', t('export.batchSize'), { for: 'export-batch-size' }),
    batch,
    runButton,
  );
  const bar = el('div', undefined, {
    role: 'progressbar',
    'aria-valuemin': '0',
    'aria-valuemax': '100',
    'aria-valuenow': '0',
    'data-testid': 'export-progress',
    class: 'bar',
  });
  const fill = el('div', undefined, { class: 'bar-fill' });
  bar.append(fill);
  const counts = el('p', undefined, { 'data-testid': 'export-counts' });
  const state = el('p', undefined, { class: 'muted', 'data-testid': 'export-state' });
  const summary = el('p', undefined, { 'data-testid': 'export-summary', class: 'summary', role: 'status' });
  const folder = el('p', undefined, { class: 'links' });
  const cancelButton = button(t('export.cancel'), 'export-cancel', () => void cancel(), { class: 'danger' });
  const progressBox = el('div');
  progressBox.append(bar, counts, state, summary, folder, cancelButton);
  progressBox.hidden = true;
  element.append(el('h2', t('export.heading')), errorArea, form, progressBox);

  let timer: number | null = null;

  function render(p: ExportProgress): void {
    if (p.state === 'idle') {
      progressBox.hidden = true;
      runButton.disabled = false;
      return;
    }
    progressBox.hidden = false;
    const percent = p.state === 'done' ? 100 : p.total ? Math.min(100, Math.floor((p.exported * 100) / p.total)) : 0;
    bar.setAttribute('aria-valuenow', String(percent));
    fill.style.width = `${percent}%`;
    counts.textContent =
      p.total === null
        ? t('export.progressUnknown', { exported: p.exported, files: p.files })
        : t('export.progress', { exported: p.exported, total: p.total, files: p.files });
    state.textContent = t('export.state', { state: t(`export.state.${p.state}` as SidebarMessageKey) });
    summary.textContent = p.error ? `${p.summary} ${p.error}`.trim() : p.summary;
    folder.replaceChildren(link(t('export.folder'), p.folderUrl, 'export-folder'));
    const active = p.state === 'running';
    runButton.disabled = active;
    cancelButton.hidden = !active;
    if (active) startPolling();
    else stopPolling();
  }

  function startPolling(): void {
    if (timer !== null) return;
    timer = window.setInterval(() => {
      call('getExportProgress').then(render, showError);
    }, POLL_MS);
  }
  function stopPolling(): void {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  }
  function showError(error: unknown): void {
    stopPolling();
    errorArea.replaceChildren(errorBox(ctx, messageOf(error), 'export-error'));
  }

  async function launch(): Promise<void> {
    errorArea.replaceChildren();
    const options: { query?: string; max?: number; batchSize?: number } = {};
    if (query.value.trim()) options.query = query.value.trim();
    if (max.value.trim()) options.max = Number(max.value);
    if (batch.value.trim()) options.batchSize = Number(batch.value);
    runButton.disabled = true;
    try {
      render(await call('startExport', options));
    } catch (error) {
      runButton.disabled = false;
      showError(error);
    }
  }

  async function cancel(): Promise<void> {
    try {
      render(await call('cancelExport'));
    } catch (error) {
      showError(error);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void launch();
  });

  return {
    element,
    activate() {
      errorArea.replaceChildren();
      call('getExportProgress').then(render, (error) => {
        errorArea.replaceChildren(errorBox(ctx, t('export.unavailable', { message: messageOf(error) }), 'export-error'));
      });
    },
  };
}
