// The Gmail draft as template in the Send job: listing the drafts for the user to choose one, storing
// the choice (with the draft's fingerprint), and, in every execution that plans or sends, reading the
// draft again: the settings' subject, text and HTML templates come from it, and its inline images and
// attachments are added to every message. A draft gone or changed since the choice (the plan takes the
// draft as it is when planning) stops the send before any message is built.

import { PostroomError } from '../../domain/errors';
import type { Locale } from '../../domain/i18n';
import {
  checkDraftUnchanged,
  draftAsTemplates,
  parseDraftTemplate,
  pickDraftBySubject,
  translateDraft,
  type DraftSummary,
  type DraftTemplate,
} from '../../domain/send/draft-template';
import type { MessageInput } from '../../domain/send/mime';
import type { SendSettings } from '../../domain/send/settings';
import type { SendExtrasMail } from '../../ports/send-extras';
import { readChoices, writeChoices, type SendExtrasDeps } from './deps';

/** The account's drafts, newest first, as the user picks one. */
export function listDraftSummaries(mail: SendExtrasMail): DraftSummary[] {
  return mail
    .listDrafts()
    .map((d) => {
      const t = parseDraftTemplate(d.draftId, d.raw);
      return { draftId: d.draftId, subject: t.subject, updatedAt: d.updatedAt, attachments: t.attachments.length, inlineImages: t.inline.length };
    })
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Chooses a draft (by id, or by its subject) as the template; `null` goes back to the settings' templates. */
export function chooseDraft(deps: SendExtrasDeps, input: { draftId?: string; subject?: string } | null, locale: Locale): DraftSummary | null {
  const choices = readChoices(deps.store);
  if (!input || (!input.draftId && !input.subject)) {
    writeChoices(deps.store, { ...choices, draft: null });
    return null;
  }
  let draftId = input.draftId ?? '';
  if (!draftId) {
    const summaries = listDraftSummaries(deps.mail);
    const picked = pickDraftBySubject(summaries, input.subject ?? '');
    if ('problem' in picked) throw new PostroomError('INVALID_INPUT', translateDraft(locale, picked.problem, { subject: input.subject ?? '', count: picked.count }));
    draftId = picked.draft.draftId;
  }
  const raw = deps.mail.getDraft(draftId);
  if (!raw) throw new PostroomError('NOT_FOUND', translateDraft(locale, 'notFound', { subject: input.subject ?? draftId }));
  const template = parseDraftTemplate(draftId, raw.raw);
  if (!template.text.trim() && !template.html.trim()) throw new PostroomError('INVALID_INPUT', translateDraft(locale, 'noBody', { subject: template.subject }));
  writeChoices(deps.store, { ...choices, draft: { draftId, subject: template.subject, fingerprint: template.fingerprint } });
  return { draftId, subject: template.subject, updatedAt: raw.updatedAt, attachments: template.attachments.length, inlineImages: template.inline.length };
}

/**
 * The draft of the current choice, read now. `planning`: the plan takes the draft as it is now (the
 * choice's fingerprint is brought up to date); otherwise a draft gone or changed throws, with the
 * reason in the user's words.
 */
export function currentDraft(deps: SendExtrasDeps, locale: Locale, planning: boolean): DraftTemplate | null {
  const choices = readChoices(deps.store);
  if (!choices.draft) return null;
  const raw = deps.mail.getDraft(choices.draft.draftId);
  const template = raw ? parseDraftTemplate(choices.draft.draftId, raw.raw) : null;
  if (planning && template) {
    if (template.fingerprint !== choices.draft.fingerprint) writeChoices(deps.store, { ...choices, draft: { ...choices.draft, subject: template.subject, fingerprint: template.fingerprint } });
    return template;
  }
  const problem = checkDraftUnchanged(choices.draft, template, locale);
  if (problem) throw new PostroomError('PERMANENT', problem, { draft: 'changed' });
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
