// DOM helpers and the context every tab gets. Every value from the server, a sheet or a mailbox is set
// as text (textContent) or as an attribute value, never parsed as HTML: nothing there can inject markup.

import type { Locale } from '../server/domain/i18n';
import { translateSidebar, type SidebarMessageKey } from './messages';

export interface SidebarContext {
  locale: Locale;
  timeZone: string;
  t(key: SidebarMessageKey, params?: Record<string, string | number>): string;
  /** Switches to another tab. */
  show(tab: TabName): void;
}

export type TabName = 'send' | 'collect' | 'export' | 'history' | 'settings';

export function makeContext(locale: Locale, timeZone: string, show: (tab: TabName) => void): SidebarContext {
  return { locale, timeZone, t: (key, params) => translateSidebar(locale, key, params), show };
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string | null,
  attrs: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

export function button(text: string, testId: string, onClick: () => void, extra: Record<string, string> = {}): HTMLButtonElement {
  const node = el('button', text, { type: 'button', 'data-testid': testId, ...extra });
  node.addEventListener('click', onClick);
  return node;
}

/** A link to a Google URL only (https), opened in a new tab. */
export function link(text: string, url: string | null, testId: string): HTMLElement {
  if (!url || !/^https:\/\//.test(url)) return el('span', text, { 'data-testid': testId, class: 'muted' });
  return el('a', text, { href: url, target: '_blank', rel: 'noopener noreferrer', 'data-testid': testId });
}

/** A labelled value row of a definition list. */
export function row(list: HTMLElement, label: string, value: string, testId?: string): HTMLElement {
  const dd = el('dd', value, testId ? { 'data-testid': testId } : {});
  list.append(el('dt', label), dd);
  return dd;
}

/** An error box (role="alert") showing the server's message as it is. */
export function errorBox(ctx: SidebarContext, message: string, testId: string): HTMLElement {
  return el('p', ctx.t('app.error', { message }), { role: 'alert', class: 'error', 'data-testid': testId });
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A date and time in the user's (script) time zone. */
export function formatTime(ctx: SidebarContext, ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return ctx.t('common.none');
  return new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone: ctx.timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(ms));
}

/** Hours and minutes only, in the user's time zone. */
export function formatClock(ctx: SidebarContext, ms: number): string {
  return new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone: ctx.timeZone,
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(ms));
}

export function formatSeconds(ctx: SidebarContext, seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return ctx.t('common.none');
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return ctx.t('common.seconds', { n: s });
  if (s < 3600) return ctx.t('common.minutes', { m: Math.floor(s / 60), s: s % 60 });
  return ctx.t('common.hours', { h: Math.floor(s / 3600), m: String(Math.floor((s % 3600) / 60)).padStart(2, '0') });
}

export function formatNumber(ctx: SidebarContext, n: number): string {
  return new Intl.NumberFormat(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(n);
}

export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
