// Wiring: the Send job's deps with the send extras plugged in, over the real adapters: the draft as
// template (settings' templates from the draft, its images and files on every message, the draft
// re-read and checked in every execution), the send-as address, attachment patterns over one folder
// listing (drafts and send-as through the one mail gateway), and the lasting send log with the bounce watch when a run ends. `extrasOf(deps)` gives the
// extras' own deps for the api (test send, drafts, schedule, bounces, log).

import { SEND_LOCALE_PROPERTY } from '../domain/send/storage-keys';
import { pickLocale, type Locale } from '../domain/i18n';
import type { DraftTemplate } from '../domain/send/draft-template';
import type { SendSettings } from '../domain/send/settings';
import { driveTreeLister } from '../adapters/drive-tree';
import type { FolderMemory } from '../adapters/send-attachments';
import { driveFileStore } from '../adapters/drive';
import { platformCodecs } from '../adapters/codecs';
import { scriptExtrasTriggers } from '../adapters/extras-triggers';
import { userPropertiesStore } from '../adapters/properties';
import { driveSendLogStore } from '../adapters/send-log-drive';
import type { SendDeps } from '../jobs/send';
import { withAttachmentPatterns } from '../jobs/send-extras/attachments';
import { watchRun } from '../jobs/send-extras/bounces';
import { overriding, type SendExtrasDeps } from '../jobs/send-extras/deps';
import { parseSendSettings } from '../domain/send/settings';
import { SEND_SETTINGS_KEY } from '../domain/send/storage-keys';
import { defineMessages } from '../domain/i18n';
import { currentDraft, DraftChangedError, messageWithDraft, settingsWithDraft } from '../jobs/send-extras/draft';
import { PostroomError } from '../domain/errors';
import { withSendLog } from '../jobs/send-extras/log-hooks';
import { checkSendAs } from '../jobs/send-extras/sender';
import { gatewaySendExtrasMail } from '../jobs/send-extras/mail';
import { settingsMailGateway } from './mail-gateway';

const extrasByDeps = new WeakMap<SendDeps, ExtrasHandle>();

/** The extras' deps, and what to do before a plan or a test send. */
export type ExtrasHandle = SendExtrasDeps & { beforePlan(): void; beforeTest(): void };

const translateSetup = defineMessages<'noSettings'>({
  en: { noSettings: 'Save the send settings first (templates, attachments folder), then choose the draft or the From address.' },
  fr: {
    noSettings:
      'Enregistrez d’abord les réglages d’envoi (modèles, dossier des pièces jointes), puis choisissez le brouillon ou l’adresse d’envoi.',
  },
});

/** The offset of `timeZone` from UTC at an instant, in minutes (Utilities.formatDate 'Z': "+0200"). */
function offsetIn(timeZone: string): (epochMs: number) => number {
  return (epochMs) => {
    const z = Utilities.formatDate(new Date(epochMs), timeZone, 'Z');
    const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
    if (!m) return 0;
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  };
}

/** The Send deps with the extras; call `extrasOf` on the result for the extras' own deps. */
export function extendSendDeps(base: SendDeps, options: { folders?: FolderMemory } = {}): SendDeps {
  let locale: Locale | null = null;
  // The locale the user's properties keep, once the state's load has read them (no Session call).
  const kept = () => {
    const state = base.state as { loaded?: () => Record<string, string> | null };
    const value = typeof state.loaded === 'function' ? state.loaded()?.[SEND_LOCALE_PROPERTY] : undefined;
    return value === 'fr' || value === 'en' ? value : null;
  };
  const loc = () => (locale ??= kept() ?? pickLocale(Session.getActiveUserLocale()));
  let timeZone: string | null = null;
  const tz = () => (timeZone ??= Session.getScriptTimeZone() || 'UTC');
  let properties: ReturnType<typeof userPropertiesStore> | null = null;
  const props = () => (properties ??= userPropertiesStore());
  // Each key read once per execution (the choices are read by the draft and the From alike).
  const cache = new Map<string, unknown>();
  const store = {
    get<T>(key: string): T | null {
      if (!cache.has(key)) cache.set(key, props().get<T>(key));
      return cache.get(key) as T | null;
    },
    set(key: string, value: unknown) {
      props().set(key, value);
      cache.set(key, JSON.parse(JSON.stringify(value)) as unknown);
    },
    remove(key: string) {
      props().delete(key);
      cache.set(key, null);
    },
  };
  // Its own gateway (the transport the settings choose, REST when none are saved yet): choosing a draft
  // or a From must work before the send settings exist.
  const mail = gatewaySendExtrasMail(settingsMailGateway());
  const log = driveSendLogStore(driveFileStore(), tz);

  let draft: { template: DraftTemplate | null } | null = null;
  let mode: 'plan' | 'peek' | 'send' = 'send';
  // A test send reports a gone draft as its error and leaves any send as it is.
  let testOnly = false;
  let draftProblem: { reason: string; short: string } | null = null;
  const draftNow = () => {
    if (!draft) {
      try {
        // The choice is a send setting: nothing more is read when no draft is chosen.
        const draftId = base.settings().draftId;
        draft = { template: draftId ? currentDraft(extras, loc(), mode, draftId) : null };
      } catch (error) {
        if (!(error instanceof DraftChangedError)) throw error;
        // The send stops before any message is built: a pause the job applies at its first step (a
        // cancel or pause already asked stays as asked); a message built all the same fails its row.
        draftProblem = { reason: error.message, short: error.short };
        draft = { template: null };
      }
    }
    // Asked again at each read of the settings: the job clears old controls when it starts a run.
    if (draftProblem && !testOnly && !base.state.readControl())
      base.state.writeControl({ action: 'pause', by: draftProblem.short, at: base.clock.now() });
    return draft.template;
  };
  let sender: { address: string; name: string } | null = null;
  const senderNow = () => {
    if (!sender) {
      const from = base.settings().sendFrom;
      sender = from
        ? (({ email, displayName }) => ({ address: email, name: displayName }))(checkSendAs(mail, from, loc()))
        : { address: base.sender.address, name: '' };
    }
    return sender;
  };

  const extended: SendDeps = overriding(base, {
    settings: (): SendSettings => {
      const settings = settingsWithDraft(base.settings(), draftNow());
      const name = senderNow().name;
      return !settings.senderName && name ? { ...settings, senderName: name } : settings;
    },
    attachments: withAttachmentPatterns(base.attachments, driveTreeLister(options.folders ?? null)),
    decorateMessage: (input) => {
      const template = draftNow();
      if (draftProblem) throw new PostroomError('INVALID_INPUT', draftProblem.reason);
      return messageWithDraft(input, template);
    },
  });
  Object.defineProperty(extended, 'sender', { get: () => ({ address: senderNow().address }), enumerable: true, configurable: true });

  const logged = withSendLog(extended, log, loc, { onRunRecorded: (run) => watchRun(extras, run) });
  const extras: ExtrasHandle = {
    send: logged,
    mail,
    codecs: platformCodecs(),
    log,
    store,
    triggers: scriptExtrasTriggers(),
    listFolder: driveTreeLister(options.folders ?? null),
    get timeZone() {
      return tz();
    },
    offsetAt: (epochMs: number) => offsetIn(tz())(epochMs),
    updateSettings(patch) {
      const stored = props().get<Record<string, unknown>>(SEND_SETTINGS_KEY);
      if (stored === null) throw new PostroomError('SETUP_INCOMPLETE', translateSetup(loc(), 'noSettings'));
      const settings = parseSendSettings({ ...stored, ...patch });
      props().set(SEND_SETTINGS_KEY, settings);
      return settings;
    },
    get userAddress() {
      return Session.getActiveUser().getEmail() || Session.getEffectiveUser().getEmail();
    },
    /** Before a plan: the draft is taken as it is now, and the send-as address is checked (refused with its reason). */
    beforePlan() {
      mode = 'plan';
      draft = null;
      sender = null;
      draftNow();
      senderNow();
      mode = 'send';
    },
    /** Before a test send: the draft as it is now, without changing what a planned send took. */
    beforeTest() {
      testOnly = true;
      mode = 'peek';
      draft = null;
      sender = null;
      draftNow();
      senderNow();
      mode = 'send';
    },
  };
  extrasByDeps.set(logged, extras);
  return logged;
}

/** The extras' deps of Send deps built by extendSendDeps. */
export function extrasOf(deps: SendDeps): ExtrasHandle {
  const extras = extrasByDeps.get(deps);
  if (!extras) throw new Error('extrasOf: these Send deps were not built by extendSendDeps');
  return extras;
}

/**
 * The saved send settings, or null while none are saved or they do not parse: for the progress view,
 * which must not fail then, and must not read the draft (the send's settings() would).
 */
export function savedSendSettings(): SendSettings | null {
  const stored = userPropertiesStore().get<unknown>(SEND_SETTINGS_KEY);
  if (stored === null) return null;
  try {
    return parseSendSettings(stored);
  } catch {
    return null;
  }
}
