// Wiring: the Send job's deps with the send extras plugged in, over the real adapters: the draft as
// template (settings' templates from the draft, its images and files on every message, the draft
// re-read and checked in every execution), the send-as address, attachment patterns over one folder
// listing (drafts and send-as through the one mail gateway), and the lasting send log with the bounce watch when a run ends. `extrasOf(deps)` gives the
// extras' own deps for the api (test send, drafts, schedule, bounces, log).

import { pickLocale, type Locale } from '../domain/i18n';
import type { DraftTemplate } from '../domain/send/draft-template';
import type { SendSettings } from '../domain/send/settings';
import { driveTreeLister } from '../adapters/drive-tree';
import { driveFileStore } from '../adapters/drive';
import { scriptExtrasTriggers } from '../adapters/extras-triggers';
import { userPropertiesStore } from '../adapters/properties';
import { driveSendLogStore } from '../adapters/send-log-drive';
import type { SendDeps } from '../jobs/send';
import { withAttachmentPatterns } from '../jobs/send-extras/attachments';
import { watchRun } from '../jobs/send-extras/bounces';
import { overriding, readChoices, type SendExtrasDeps } from '../jobs/send-extras/deps';
import { currentDraft, messageWithDraft, settingsWithDraft } from '../jobs/send-extras/draft';
import { withSendLog } from '../jobs/send-extras/log-hooks';
import { checkSendAs } from '../jobs/send-extras/sender';
import { gatewaySendExtrasMail } from '../jobs/send-extras/mail';
import { settingsMailGateway } from './mail-gateway';

const extrasByDeps = new WeakMap<SendDeps, SendExtrasDeps & { beforePlan(): void }>();

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
export function extendSendDeps(base: SendDeps): SendDeps {
  let locale: Locale | null = null;
  const loc = () => (locale ??= pickLocale(Session.getActiveUserLocale()));
  let timeZone: string | null = null;
  const tz = () => (timeZone ??= Session.getScriptTimeZone() || 'UTC');
  const properties = userPropertiesStore();
  const store = { get: <T>(key: string) => properties.get<T>(key), set: (key: string, value: unknown) => properties.set(key, value), remove: (key: string) => properties.delete(key) };
  const mail = gatewaySendExtrasMail(settingsMailGateway());
  const log = driveSendLogStore(driveFileStore(), tz);

  let draft: { template: DraftTemplate | null } | null = null;
  let planning = false;
  const draftNow = () => (draft ??= { template: currentDraft(extras, loc(), planning) }).template;
  let sender: { address: string; name: string } | null = null;
  const senderNow = () => {
    if (!sender) {
      const from = readChoices(store).from;
      sender = from ? (({ email, displayName }) => ({ address: email, name: displayName }))(checkSendAs(mail, from, loc())) : { address: base.sender.address, name: '' };
    }
    return sender;
  };

  const extended: SendDeps = overriding(base, {
    settings: (): SendSettings => {
      const settings = settingsWithDraft(base.settings(), draftNow());
      const name = senderNow().name;
      return !settings.senderName && name ? { ...settings, senderName: name } : settings;
    },
    attachments: withAttachmentPatterns(base.attachments, driveTreeLister()),
    decorateMessage: (input) => messageWithDraft(input, draftNow()),
  });
  Object.defineProperty(extended, 'sender', { get: () => ({ address: senderNow().address }), enumerable: true, configurable: true });

  const logged = withSendLog(extended, log, loc(), { onRunRecorded: (run) => watchRun(extras, run) });
  const extras: SendExtrasDeps & { beforePlan(): void } = {
    send: logged,
    mail,
    log,
    store,
    triggers: scriptExtrasTriggers(),
    listFolder: driveTreeLister(),
    get timeZone() {
      return tz();
    },
    offsetAt: (epochMs: number) => offsetIn(tz())(epochMs),
    get userAddress() {
      return Session.getActiveUser().getEmail() || Session.getEffectiveUser().getEmail();
    },
    /** Before a plan: the draft is taken as it is now, and the send-as address is checked (refused with its reason). */
    beforePlan() {
      planning = true;
      draft = null;
      sender = null;
      draftNow();
      senderNow();
      planning = false;
    },
  };
  extrasByDeps.set(logged, extras);
  return logged;
}

/** The extras' deps of Send deps built by extendSendDeps. */
export function extrasOf(deps: SendDeps): SendExtrasDeps & { beforePlan(): void } {
  const extras = extrasByDeps.get(deps);
  if (!extras) throw new Error('extrasOf: these Send deps were not built by extendSendDeps');
  return extras;
}
