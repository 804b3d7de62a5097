// A Gmail draft as the send's template (what YAMM and Mailmeteor call "use a draft"): its subject, text
// and HTML bodies hold `{{column}}` placeholders filled per row; its inline images (`cid:` in the HTML)
// and its attachments go with every message, the row's own attachments on top.
// The draft is read as raw bytes (drafts.get format=raw) and reduced to a template plus a FINGERPRINT
// (SHA-256 over the subject, bodies and every part's name, type and bytes). The plan records the
// fingerprint; each execution reads the draft again and compares: a draft deleted or edited between the
// plan and the send stops the send with a clear reason, so no message goes out half-merged or from a
// template the user never saw planned.

import { defineMessages, type Locale } from '../i18n';
import type { InlineImage, MessageAttachment } from './mime';
import { headerText, leaves, parseRawMessage, partText, type RawPart } from './raw-mime';
import { renderTemplate, type TemplateProblem } from './template';

/**
 * The byte work of reading a draft, done by the platform (Utilities) in the job: a draft's attachments
 * may be megabytes, decoded from base64 and hashed for the fingerprint.
 */
export interface DraftCodecs {
  sha256Hex(bytes: Uint8Array): string;
  sha256HexOfText(text: string): string;
  base64Decode(text: string): Uint8Array;
}

export interface DraftTemplate {
  draftId: string;
  subject: string;
  /** '' when the draft has no text part. */
  text: string;
  /** '' when the draft has no HTML part. */
  html: string;
  inline: InlineImage[];
  attachments: Array<MessageAttachment & { bytes: Uint8Array }>;
  fingerprint: string;
}

/** A draft as the user picks it from a list. */
export interface DraftSummary {
  draftId: string;
  subject: string;
  /** Epoch ms of the draft's last change (Gmail internalDate). */
  updatedAt: number;
  attachments: number;
  inlineImages: number;
}

/** The user's choice, stored with the send settings: which draft, and what it was when chosen. */
export interface DraftChoice {
  draftId: string;
  subject: string;
  fingerprint: string;
}

const en = {
  gone: 'The Gmail draft "{subject}" used as the template no longer exists: the send is stopped before any message is built. Choose a draft again.',
  changed:
    'The Gmail draft "{subject}" used as the template changed since the send was planned: the send is stopped so that no message goes out half-merged. Plan the send again.',
  notFound: 'No Gmail draft has the subject "{subject}"',
  several: '{count} Gmail drafts have the subject "{subject}": rename one of them',
  noBody: 'The Gmail draft "{subject}" has no text',
  pausedChanged: 'the draft "{subject}" changed since planning',
  pausedGone: 'the draft "{subject}" was deleted',
};
export const translateDraft = defineMessages<keyof typeof en>({
  en,
  fr: {
    gone: 'Le brouillon Gmail « {subject} » utilisé comme modèle n’existe plus : l’envoi est arrêté avant la création de tout message. Choisissez de nouveau un brouillon.',
    changed:
      'Le brouillon Gmail « {subject} » utilisé comme modèle a changé depuis la planification : l’envoi est arrêté pour qu’aucun message ne parte à moitié fusionné. Planifiez de nouveau l’envoi.',
    notFound: 'Aucun brouillon Gmail n’a pour objet « {subject} »',
    several: '{count} brouillons Gmail ont pour objet « {subject} » : renommez-en un',
    noBody: 'Le brouillon Gmail « {subject} » n’a pas de texte',
    pausedChanged: 'le brouillon « {subject} » modifié depuis la planification',
    pausedGone: 'le brouillon « {subject} » supprimé',
  },
});

function isAttachmentLike(part: RawPart): boolean {
  return part.disposition === 'attachment' || (part.filename !== '' && part.disposition !== 'inline' && !part.contentId);
}

/** Reads a draft's raw bytes into a template and its fingerprint. */
export function parseDraftTemplate(draftId: string, raw: Uint8Array | string, codecs: DraftCodecs): DraftTemplate {
  const { sha256Hex } = codecs;
  const root = parseRawMessage(raw, codecs.base64Decode);
  let text = '';
  let html = '';
  const inline: InlineImage[] = [];
  const attachments: DraftTemplate['attachments'] = [];
  const inlinePrints: string[] = [];
  const attachmentPrints: string[] = [];
  for (const part of leaves(root)) {
    if (part.mimeType === 'text/plain' && !isAttachmentLike(part) && !text) text = partText(part);
    else if (part.mimeType === 'text/html' && !isAttachmentLike(part) && !html) html = partText(part);
    else if (part.contentId && !isAttachmentLike(part)) {
      inline.push({ contentId: part.contentId, filename: part.filename || part.contentId, mimeType: part.mimeType, bytes: part.body });
      inlinePrints.push(`i:${part.contentId}:${part.filename || part.contentId}:${part.mimeType}:${sha256Hex(part.body)}`);
    } else if (part.filename || part.mimeType === 'message/rfc822') {
      attachments.push({ filename: part.filename || 'message.eml', mimeType: part.mimeType, bytes: part.body });
      attachmentPrints.push(`a:${part.filename || 'message.eml'}:${part.mimeType}:${sha256Hex(part.body)}`);
    }
  }
  const subject = headerText(root.headers, 'Subject');
  const partsPrint = [...inlinePrints, ...attachmentPrints];
  const fingerprint = codecs.sha256HexOfText(
    JSON.stringify([subject, text.replace(/\r\n/g, '\n'), html.replace(/\r\n/g, '\n'), partsPrint]),
  );
  return { draftId, subject, text: text.replace(/\r\n/g, '\n'), html: html.replace(/\r\n/g, '\n'), inline, attachments, fingerprint };
}

/** The draft to use among those whose subject is `subject` (case and spaces ignored). */
export function pickDraftBySubject<T extends { subject: string }>(
  drafts: readonly T[],
  subject: string,
): { draft: T } | { problem: 'notFound' | 'several'; count: number } {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  const matches = drafts.filter((d) => norm(d.subject) === norm(subject));
  if (matches.length === 1) return { draft: matches[0] };
  return { problem: matches.length ? 'several' : 'notFound', count: matches.length };
}

/** Whether the draft read now is the one the plan recorded; the reason in words when it is not. */
export function checkDraftUnchanged(choice: DraftChoice, current: DraftTemplate | null, locale: Locale): string | null {
  return draftChange(choice, current, locale)?.reason ?? null;
}

/** What changed in the draft since the choice: the reason, and a short form for "paused by …". */
export function draftChange(choice: DraftChoice, current: DraftTemplate | null, locale: Locale): { reason: string; short: string } | null {
  if (!current)
    return {
      reason: translateDraft(locale, 'gone', { subject: choice.subject }),
      short: translateDraft(locale, 'pausedGone', { subject: choice.subject }),
    };
  if (current.fingerprint !== choice.fingerprint)
    return {
      reason: translateDraft(locale, 'changed', { subject: choice.subject }),
      short: translateDraft(locale, 'pausedChanged', { subject: choice.subject }),
    };
  return null;
}

export interface MergedDraft {
  ok: boolean;
  subject: string;
  text: string;
  html: string;
  problems: Array<TemplateProblem & { where: 'subject' | 'text' | 'html' }>;
}

/** The draft filled for one row (HTML values escaped); `ok` false when a placeholder is unknown or empty. */
export function mergeDraft(template: DraftTemplate, fields: Readonly<Record<string, string>>): MergedDraft {
  const subject = renderTemplate(template.subject, fields, 'text');
  const text = template.text ? renderTemplate(template.text, fields, 'text') : { ok: true, text: '', problems: [] };
  const html = template.html ? renderTemplate(template.html, fields, 'html') : { ok: true, text: '', problems: [] };
  const problems = [
    ...subject.problems.map((p) => ({ ...p, where: 'subject' as const })),
    ...text.problems.map((p) => ({ ...p, where: 'text' as const })),
    ...html.problems.map((p) => ({ ...p, where: 'html' as const })),
  ];
  return { ok: problems.length === 0, subject: subject.text, text: text.text, html: html.text, problems };
}

/**
 * The send settings' templates taken from the draft (subject, text, HTML), so planning and every
 * check read the draft's placeholders exactly as they read the settings'.
 */
export function draftAsTemplates(template: DraftTemplate): { subjectTemplate: string; textTemplate: string; htmlTemplate: string } {
  return { subjectTemplate: template.subject, textTemplate: template.text, htmlTemplate: template.html };
}
