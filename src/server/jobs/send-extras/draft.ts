// The Gmail draft as template in the Send job: listing the drafts for the user to choose one, storing
// the choice (with the draft's fingerprint), and, in every execution that plans or sends, reading the
// draft again: the settings' subject, text and HTML templates come from it, and its inline images and
// attachments are added to every message. A draft gone or changed since the plan (the plan takes the
// draft as it is when planning) pauses the send before any message is built (the wiring asks the job
// to pause, which it does at its first step; a message built all the same fails its row).

import { PostroomError } from '../../domain/errors';
import type { Locale } from '../../domain/i18n';
import {
  draftChange,
  draftAsTemplates,
  parseDraftTemplate,
  type DraftCodecs,
  pickDraftBySubject,
  translateDraft,
  type DraftSummary,
  type DraftTemplate,
} from '../../domain/send/draft-template';
import type { MessageInput } from '../../domain/send/mime';
import type { SendSettings } from '../../domain/send/settings';
import type { SendExtrasMail } from '../../ports/send-extras';
import { readDraftPrint, writeDraftPrint, type SendExtrasDeps } from './deps';

/** The chosen draft is gone or changed since the plan (`short` for "paused by …"). */
export class DraftChangedError extends PostroomError {
  constructor(
    message: string,
    readonly short: string,
  ) {
    super('PERMANENT', message, { draft: 'changed' });
  }
}

/** The account's drafts, newest first, as the user picks one. */
export function listDraftSummaries(mail: SendExtrasMail, codecs: DraftCodecs): DraftSummary[] {
  return mail
    .listDrafts()
    .map((d) => {
      const t = parseDraftTemplate(d.draftId, d.raw, codecs);
      return {
        draftId: d.draftId,
        subject: t.subject,
        updatedAt: d.updatedAt,
        attachments: t.attachments.length,
        inlineImages: t.inline.length,
      };
    })
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Chooses a draft (by id, or by its subject) as the template; `null` goes back to the settings' templates. */
export function chooseDraft(
  deps: SendExtrasDeps,
  input: { draftId?: string; subject?: string } | null,
  locale: Locale,
): DraftSummary | null {
  if (!input || (!input.draftId && !input.subject)) {
    deps.updateSettings({ draftId: '' });
    writeDraftPrint(deps.store, null);
    return null;
  }
  let draftId = input.draftId ?? '';
  if (!draftId) {
    const summaries = listDraftSummaries(deps.mail, deps.codecs);
    const picked = pickDraftBySubject(summaries, input.subject ?? '');
    if ('problem' in picked)
      throw new PostroomError(
        'INVALID_INPUT',
        translateDraft(locale, picked.problem, { subject: input.subject ?? '', count: picked.count }),
      );
    draftId = picked.draft.draftId;
  }
  const raw = deps.mail.getDraft(draftId);
  if (!raw) throw new PostroomError('NOT_FOUND', translateDraft(locale, 'notFound', { subject: input.subject ?? draftId }));
  const template = parseDraftTemplate(draftId, raw.raw, deps.codecs);
  if (!template.text.trim() && !template.html.trim())
    throw new PostroomError('INVALID_INPUT', translateDraft(locale, 'noBody', { subject: template.subject }));
  deps.updateSettings({ draftId });
  writeDraftPrint(deps.store, { draftId, subject: template.subject, fingerprint: template.fingerprint });
  return {
    draftId,
    subject: template.subject,
    updatedAt: raw.updatedAt,
    attachments: template.attachments.length,
    inlineImages: template.inline.length,
  };
}

/**
 * The chosen draft (`draftId`, '' for none), read now. 'plan': the plan takes the draft as it is now
 * (its print is brought up to date); 'peek' (a test send): the draft as it is, the print untouched;
 * 'send': a draft gone or changed since the plan throws DraftChangedError, with the reason in the
 * user's words.
 */
export function currentDraft(deps: SendExtrasDeps, locale: Locale, mode: 'plan' | 'peek' | 'send', draftId: string): DraftTemplate | null {
  if (!draftId) return null;
  const raw = deps.mail.getDraft(draftId);
  const template = raw ? parseDraftTemplate(draftId, raw.raw, deps.codecs) : null;
  if (mode === 'peek' && template) return template;
  const print = readDraftPrint(deps.store, draftId) ?? { draftId, subject: template?.subject ?? draftId, fingerprint: '' };
  if (mode === 'plan' && template) {
    if (template.fingerprint !== print.fingerprint)
      writeDraftPrint(deps.store, { draftId, subject: template.subject, fingerprint: template.fingerprint });
    return template;
  }
  const change = draftChange(print, template, locale);
  if (change) throw new DraftChangedError(change.reason, change.short);
  return template;
}

/** The settings with the draft's subject, text and HTML as templates. */
export function settingsWithDraft(settings: SendSettings, template: DraftTemplate | null): SendSettings {
  return template ? { ...settings, ...draftAsTemplates(template) } : settings;
}

/** A row's message with the draft's inline images and attachments (the row's own attachments after them). */
export function messageWithDraft(input: MessageInput, template: DraftTemplate | null): MessageInput {
  if (!template) return input;
  return {
    ...input,
    inline: [...(input.inline ?? []), ...template.inline],
    attachments: [...template.attachments, ...(input.attachments ?? [])],
  };
}
