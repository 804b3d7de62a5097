// The Settings tab: the send settings (templates with placeholder help, sender name, reply-to,
// attachments folder, rates, daily cap) and the collect settings (allowed senders, file types, size,
// labels, mark read, schedule off / hourly / daily at an hour: saving installs or removes the
// trigger). Each form is checked here first (errors in the user's words, next to their field), then
// saved through the jobs' own api (saveSendSettings, saveCollectSettings), whose refusal names the
// setting: it is shown next to that field too.

import type { SendSettings } from '../server/domain/send/settings';
import type { SettingsView } from '../server/jobs/collect';
import { el, errorBox, messageOf, row, type SidebarContext } from './dom';
import type { SidebarMessageKey } from './messages';
import { call } from './rpc';
import type { Tab } from './main';

type FieldKind = 'text' | 'textarea' | 'number' | 'checkbox' | 'email';

interface Field {
  key: string;
  input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  error: HTMLElement;
}

class FormFields {
  readonly fields = new Map<string, Field>();
  readonly general: HTMLElement;
  readonly status: HTMLElement;

  constructor(
    private readonly ctx: SidebarContext,
    readonly form: HTMLFormElement,
    private readonly prefix: string,
  ) {
    this.general = el('div');
    this.status = el('p', undefined, { role: 'status', class: 'muted', 'data-testid': `settings-${prefix}-status` });
  }

  add(key: string, label: SidebarMessageKey, kind: FieldKind, attrs: Record<string, string> = {}): Field {
    const id = `settings-${this.prefix}-${key}`;
    const input =
      kind === 'textarea'
        ? el('textarea', undefined, { id, 'data-testid': id, rows: '3', ...attrs })
        : el('input', undefined, { id, 'data-testid': id, type: kind === 'email' ? 'email' : kind, ...attrs });
    const error = el('p', undefined, { class: 'field-error', role: 'alert', 'data-testid': `settings-error-${key}`, id: `${id}-error` });
    error.hidden = true;
    input.setAttribute('aria-describedby', error.id);
    if (kind === 'checkbox') {
      const wrap = el('label', undefined, { class: 'switch', for: id });
      wrap.append(input, el('span', this.ctx.t(label)));
      this.form.append(wrap, error);
    } else {
      this.form.append(el('label', this.ctx.t(label), { for: id }), input, error);
    }
    const field = { key, input, error };
    this.fields.set(key, field);
    return field;
  }

  addSelect(key: string, label: SidebarMessageKey, options: Array<[string, string]>): Field {
    const id = `settings-${this.prefix}-${key}`;
    const select = el('select', undefined, { id, 'data-testid': id });
    for (const [value, text] of options) select.append(el('option', text, { value }));
    const error = el('p', undefined, { class: 'field-error', role: 'alert', 'data-testid': `settings-error-${key}`, id: `${id}-error` });
    error.hidden = true;
    this.form.append(el('label', this.ctx.t(label), { for: id }), select, error);
    const field = { key, input: select, error };
    this.fields.set(key, field);
    return field;
  }

  value(key: string): string {
    return (this.fields.get(key)?.input.value ?? '').trim();
  }

  checked(key: string): boolean {
    return (this.fields.get(key)?.input as HTMLInputElement | undefined)?.checked ?? false;
  }

  set(key: string, value: string | number | boolean): void {
    const field = this.fields.get(key);
    if (!field) return;
    if (typeof value === 'boolean') (field.input as HTMLInputElement).checked = value;
    else field.input.value = String(value);
  }

  clearErrors(): void {
    this.general.replaceChildren();
    this.status.textContent = '';
    for (const field of this.fields.values()) {
      field.error.hidden = true;
      field.error.textContent = '';
      field.input.removeAttribute('aria-invalid');
    }
  }

  fail(key: string, message: string): void {
    const field = this.fields.get(key);
    if (!field) {
      this.general.append(errorBox(this.ctx, message, `settings-${this.prefix}-error`));
      return;
    }
    field.error.textContent = message;
    field.error.hidden = false;
    field.input.setAttribute('aria-invalid', 'true');
  }

  /** A server refusal "key: detail" goes next to its field; anything else above the form. */
  failFromServer(error: unknown, aliases: Record<string, string> = {}): void {
    const message = messageOf(error);
    const match = /^(\w+): /.exec(message);
    const key = match ? (aliases[match[1]] ?? match[1]) : '';
    if (key && this.fields.has(key)) this.fail(key, message);
    else this.general.append(errorBox(this.ctx, message, `settings-${this.prefix}-error`));
  }

  hasErrors(): boolean {
    return [...this.fields.values()].some((field) => !field.error.hidden);
  }
}

function wholeNumber(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

export function createSettingsTab(ctx: SidebarContext, status: { user: string; version: string }): Tab {
  const t = ctx.t;
  const element = el('section', undefined, { 'data-testid': 'panel-settings' });

  // ---- send
  const sendForm = el('form', undefined, { novalidate: '', 'data-testid': 'settings-send-form' });
  const send = new FormFields(ctx, sendForm, 'send');
  sendForm.append(send.general);
  send.add('subjectTemplate', 'settings.subjectTemplate', 'text');
  send.add('textTemplate', 'settings.textTemplate', 'textarea', { rows: '5' });
  send.add('htmlTemplate', 'settings.htmlTemplate', 'textarea', { rows: '4' });
  sendForm.append(el('p', t('settings.placeholderHelp'), { class: 'help', 'data-testid': 'settings-placeholder-help' }));
  send.add('senderName', 'settings.senderName', 'text');
  send.add('replyTo', 'settings.replyTo', 'email');
  send.add('attachmentsFolder', 'settings.attachmentsFolder', 'text');
  send.add('maxPerSecond', 'settings.maxPerSecond', 'number', { min: '1', max: '100' });
  send.add('maxPerMinute', 'settings.maxPerMinute', 'number', { min: '1', max: '150' });
  send.add('dailyCap', 'settings.dailyCap', 'number', { min: '1', max: '2000' });
  sendForm.append(el('button', t('settings.save'), { type: 'submit', class: 'primary', 'data-testid': 'settings-send-save' }), send.status);
  let sendCurrent: Partial<SendSettings> = {};

  // ---- collect
  const collectForm = el('form', undefined, { novalidate: '', 'data-testid': 'settings-collect-form' });
  const collect = new FormFields(ctx, collectForm, 'collect');
  collectForm.append(collect.general);
  collect.add('allowedSenders', 'settings.allowedSenders', 'textarea', { rows: '4' });
  collect.add('allowedMimeTypes', 'settings.allowedMimeTypes', 'textarea', { rows: '3' });
  collect.add('maxSizeBytes', 'settings.maxSizeMb', 'number', { min: '1', step: '1' });
  collect.add('applyLabels', 'settings.applyLabels', 'checkbox');
  collect.add('labelImported', 'settings.labelImported', 'text');
  collect.add('labelQuarantine', 'settings.labelQuarantine', 'text');
  collect.add('markAsRead', 'settings.markAsRead', 'checkbox');
  collect.addSelect('schedule', 'settings.schedule', [
    ['off', t('settings.scheduleOff')],
    ['hourly', t('settings.scheduleHourly')],
    ['daily', t('settings.scheduleDaily')],
  ]);
  const hours: Array<[string, string]> = Array.from({ length: 24 }, (_, h) => [String(h), `${String(h).padStart(2, '0')}:00`]);
  const hourField = collect.addSelect('scheduleHour', 'settings.scheduleHour', hours);
  collectForm.append(
    el('button', t('settings.save'), { type: 'submit', class: 'primary', 'data-testid': 'settings-collect-save' }),
    collect.status,
  );
  const scheduleSelect = collect.fields.get('schedule')?.input as HTMLSelectElement;
  const syncHour = () => {
    const daily = scheduleSelect.value === 'daily';
    hourField.input.disabled = !daily;
    (hourField.input.previousElementSibling as HTMLElement).hidden = !daily;
    hourField.input.hidden = !daily;
  };
  scheduleSelect.addEventListener('change', syncHour);

  const about = el('dl', undefined, { class: 'about' });
  row(about, t('status.user'), status.user, 'status-user');
  row(about, t('status.timeZone'), ctx.timeZone, 'status-timeZone');
  row(about, t('status.version'), status.version, 'status-version');
  const loadError = el('div');
  element.append(
    el('h2', t('settings.heading')),
    loadError,
    el('h3', t('settings.sendHeading')),
    sendForm,
    el('h3', t('settings.collectHeading')),
    collectForm,
    about,
  );

  function showSend(settings: Partial<SendSettings>): void {
    sendCurrent = settings;
    for (const key of [
      'subjectTemplate',
      'textTemplate',
      'htmlTemplate',
      'senderName',
      'replyTo',
      'attachmentsFolder',
      'maxPerSecond',
      'maxPerMinute',
      'dailyCap',
    ] as const) {
      const value = settings[key];
      send.set(key, value === undefined ? '' : value);
    }
  }

  function showCollect(view: SettingsView): void {
    const s = view.settings;
    collect.set('allowedSenders', s.allowedSenders.join('\n'));
    collect.set('allowedMimeTypes', s.allowedMimeTypes.join('\n'));
    collect.set('maxSizeBytes', Math.round((s.maxSizeBytes / 1_048_576) * 10) / 10);
    collect.set('applyLabels', s.applyLabels);
    collect.set('labelImported', s.labelImported);
    collect.set('labelQuarantine', s.labelQuarantine);
    collect.set('markAsRead', s.markAsRead);
    const kind = !s.enabled || s.schedule.kind === 'off' ? 'off' : s.schedule.kind === 'daily' ? 'daily' : 'hourly';
    collect.set('schedule', kind);
    collect.set('scheduleHour', s.schedule.kind === 'daily' ? s.schedule.hour : 8);
    syncHour();
  }

  async function saveSend(): Promise<void> {
    send.clearErrors();
    const input: Record<string, unknown> = { ...sendCurrent };
    for (const key of ['subjectTemplate', 'textTemplate', 'htmlTemplate', 'senderName', 'replyTo', 'attachmentsFolder'])
      input[key] = send.value(key);
    if (!input.subjectTemplate) send.fail('subjectTemplate', t('settings.errorRequired'));
    if (!input.textTemplate && !input.htmlTemplate) send.fail('textTemplate', t('settings.errorRequired'));
    if (!input.attachmentsFolder) send.fail('attachmentsFolder', t('settings.errorRequired'));
    if (input.replyTo && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(input.replyTo))) send.fail('replyTo', t('settings.errorEmail'));
    const bounds: Record<string, [number, number]> = { maxPerSecond: [1, 100], maxPerMinute: [1, 150], dailyCap: [1, 2000] };
    for (const [key, [min, max]] of Object.entries(bounds)) {
      const n = wholeNumber(send.value(key), min, max);
      if (n === null) send.fail(key, t('settings.errorWhole', { min, max }));
      else input[key] = n;
    }
    if (send.hasErrors()) {
      send.status.textContent = t('settings.fixErrors');
      return;
    }
    send.status.textContent = t('settings.saving');
    try {
      showSend(await call('saveSendSettings', input));
      send.status.textContent = t('settings.saved');
    } catch (error) {
      send.status.textContent = '';
      send.failFromServer(error);
    }
  }

  async function saveCollect(): Promise<void> {
    collect.clearErrors();
    const lines = (key: string) =>
      collect
        .value(key)
        .split(/[\n,;]+/)
        .map((s) => s.trim())
        .filter(Boolean);
    const input: Record<string, unknown> = {
      allowedSenders: lines('allowedSenders'),
      allowedMimeTypes: lines('allowedMimeTypes'),
      applyLabels: collect.checked('applyLabels'),
      labelImported: collect.value('labelImported'),
      labelQuarantine: collect.value('labelQuarantine'),
      markAsRead: collect.checked('markAsRead'),
    };
    const mb = Number(collect.value('maxSizeBytes').replace(',', '.'));
    if (!collect.value('maxSizeBytes') || !Number.isFinite(mb) || mb <= 0 || mb > 50)
      collect.fail('maxSizeBytes', t('settings.errorNumber', { max: 50 }));
    else input.maxSizeBytes = Math.round(mb * 1_048_576);
    const kind = collect.value('schedule');
    if (kind === 'off') {
      input.enabled = false;
      input.schedule = { kind: 'off' };
    } else if (kind === 'hourly') {
      input.enabled = true;
      input.schedule = { kind: 'hourly' };
    } else {
      input.enabled = true;
      input.schedule = { kind: 'daily', hour: Number(collect.value('scheduleHour')) };
    }
    if (collect.hasErrors()) {
      collect.status.textContent = t('settings.fixErrors');
      return;
    }
    collect.status.textContent = t('settings.saving');
    try {
      showCollect(await call('saveCollectSettings', input));
      collect.status.textContent = t('settings.saved');
    } catch (error) {
      collect.status.textContent = '';
      collect.failFromServer(error, { enabled: 'schedule' });
    }
  }

  sendForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void saveSend();
  });
  collectForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void saveCollect();
  });

  async function load(): Promise<void> {
    loadError.replaceChildren();
    send.clearErrors();
    collect.clearErrors();
    try {
      const [sendSettings, collectView] = await Promise.all([call('getSendSettings'), call('getCollectSettings')]);
      showSend(sendSettings ?? { maxPerSecond: 10, maxPerMinute: 150, dailyCap: 2000 });
      showCollect(collectView);
    } catch (error) {
      loadError.replaceChildren(errorBox(ctx, messageOf(error), 'settings-error'));
    }
  }

  return { element, activate: () => void load() };
}
