// The collect settings as the user stores them (user properties): read with their defaults, shown
// with advice, saved after validation, and the schedule's trigger installed or removed to match.

import { adviseSettings, parseCollectSettings, setupText, type CollectSettings } from '../../domain/collect';
import type { Locale } from '../../domain/i18n';
import { COLLECT_KEYS } from '../../domain/storage-keys';
import { PostroomError, errorMessage } from '../../domain/errors';
import { COLLECT_TRIGGER_HANDLER, type CollectDeps } from './deps';

export function loadCollectSettings(deps: Pick<CollectDeps, 'store' | 'addonMode'>): CollectSettings {
  const raw = deps.store.get<unknown>(COLLECT_KEYS.settings);
  return parseCollectSettings(raw ?? {}, { addonMode: deps.addonMode });
}

export interface SettingsView {
  settings: CollectSettings;
  /** True when nothing is stored yet (the defaults are shown). */
  defaults: boolean;
  addonMode: boolean;
  advice: string[];
}

export function getCollectSettings(deps: Pick<CollectDeps, 'store' | 'addonMode'>): SettingsView {
  const stored = deps.store.get<unknown>(COLLECT_KEYS.settings);
  const settings = parseCollectSettings(stored ?? {}, { addonMode: deps.addonMode });
  return { settings, defaults: stored === null, addonMode: deps.addonMode, advice: adviseSettings(settings) };
}

/**
 * Validates and stores settings (a partial object is merged over the stored ones), then installs or
 * removes the time-driven trigger as `schedule` says (none while `enabled` is false). An invalid value
 * throws INVALID_SETTING naming the key, and nothing is stored.
 */
export function saveCollectSettings(
  deps: Pick<CollectDeps, 'store' | 'addonMode' | 'scheduler'> & { locale?: Locale },
  input: unknown,
): SettingsView {
  const locale = deps.locale ?? 'en';
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new PostroomError('INVALID_SETTING', setupText(locale, 'settings.object'));
  }
  const stored = deps.store.get<Record<string, unknown>>(COLLECT_KEYS.settings) ?? {};
  const merged = { ...stored, ...(input as Record<string, unknown>) };
  const settings = parseCollectSettings(merged, { addonMode: deps.addonMode });
  const schedule = settings.enabled ? settings.schedule : { kind: 'off' as const };
  try {
    deps.scheduler.schedule(COLLECT_TRIGGER_HANDLER, schedule);
  } catch (error) {
    // The platform has the last word on what a deployment may schedule (add-ons: at most hourly).
    throw new PostroomError('INVALID_SETTING', setupText(locale, 'settings.schedule', { reason: errorMessage(error) }), {
      key: 'schedule',
    });
  }
  deps.store.set(COLLECT_KEYS.settings, settings);
  return { settings, defaults: false, addonMode: deps.addonMode, advice: adviseSettings(settings) };
}
