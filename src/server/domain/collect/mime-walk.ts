// Walks a Gmail API message resource (`users.messages.get`, `format=full`) into the facts the collect
// job needs: the attachment candidates (every leaf of the MIME tree that is a file, including the files
// inside forwarded `message/rfc822` mail), the parts it skips on purpose with a counted reason
// (signature logos, calendar invites, Drive links instead of files, S/MIME signatures, nothing at all),
// and the decoded sender, subject, ids and Gmail's SPF / DKIM / DMARC verdicts.
// It never throws on a strange tree: what it cannot read is counted as `mime_walk_error` with a problem line.
// https://developers.google.com/gmail/api/reference/rest/v1/users.messages#MessagePart

import { pickAuthenticationResults, type AuthResults } from './auth-results';
import { base64Decode, latin1Decode } from '../encoding';
import { decodeEncodedWords, parseHeaderValue } from './text-codecs';

/** The Gmail API resources as JSON (REST) gives them; every field may be missing in a strange message. */
export interface GmailHeader {
  name: string;
  value: string;
}
export interface GmailMessagePartBody {
  /** Decoded size in bytes. */
  size?: number;
  /** Present when the content must be fetched with users.messages.attachments.get. NOT stable across calls. */
  attachmentId?: string;
  /** Base64url content, present for small parts (and bodies) instead of attachmentId. */
  data?: string;
}
export interface GmailMessagePart {
  partId?: string;
  mimeType?: string;
  filename?: string;
  headers?: GmailHeader[];
  body?: GmailMessagePartBody;
  parts?: GmailMessagePart[];
}
export interface GmailMessage {
  id: string;
  threadId?: string;
  labelIds?: string[];
  snippet?: string;
  /** Epoch milliseconds, as a decimal string. */
  internalDate?: string;
  sizeEstimate?: number;
  payload?: GmailMessagePart;
}

export type Disposition = 'attachment' | 'inline' | 'none';

/** A MIME leaf that is a file: what the filters classify and the job downloads. */
export interface AttachmentCandidate {
  /** Gmail's part id ("1", "2.1", "" for a message whose whole body is the file): stable, unlike attachmentId. */
  partId: string;
  /** Decoded file name ('' when the part has none: give it a name with sanitizeFileName's fallback). */
  filename: string;
  /** Declared type, lower-cased, without parameters. */
  mimeType: string;
  /** Decoded size in bytes as Gmail reports it. */
  size: number;
  /** Ephemeral id for users.messages.attachments.get (fetch with a fresh one: ids change between calls). */
  attachmentId?: string;
  /** Base64url content when Gmail inlined it instead of giving an attachmentId (decoded by the job with the platform, the Codecs port). */
  inlineData?: string;
  disposition: Disposition;
  /** Content-ID without angle brackets. */
  contentId?: string;
  /** True when the file sits inside a forwarded message (message/rfc822). */
  insideForwarded: boolean;
  /**
   * Set for a part Gmail could not read as MIME (a multipart without a usable boundary, or nested
   * deeper than Gmail parses): its raw text is the piece, quarantined with this explanation.
   */
  unreadable?: string;
}

/** Why something was not collected; counted, never an error. */
export type WalkSkipReason = 'no_attachment' | 'inline_image' | 'drive_link' | 'calendar_invite' | 'signature' | 'mime_walk_error';

export interface Sender {
  /** Lower-cased addr-spec, '' when the header has none. */
  address: string;
  /** Decoded display name, '' when none. */
  name: string;
}

export interface MessageFacts {
  /** Gmail's message id (the API id, not the Message-ID header). */
  id: string;
  threadId: string;
  /** The RFC 5322 Message-ID header, angle brackets kept ('' when absent). */
  messageIdHeader: string;
  from: Sender;
  /** Decoded subject ('' when absent). */
  subject: string;
  /** The Date header as written ('' when absent). Prefer internalDateMs for the received day. */
  dateHeader: string;
  /** Gmail's internalDate (reception time, epoch ms), null when absent or not a number. */
  internalDateMs: number | null;
  auth: AuthResults;
  labelIds: string[];
}

export interface WalkResult {
  message: MessageFacts;
  candidates: AttachmentCandidate[];
  /**
   * Skip counts. `inline_image` counts parts; `calendar_invite`, `signature`, `drive_link` and
   * `no_attachment` count this message once (an invite comes as text/calendar AND invite.ics);
   * `no_attachment` is set only when no candidate was found and no other reason explains it.
   */
  skipped: Partial<Record<WalkSkipReason, number>>;
  /** Unique drive.google.com / docs.google.com links found in the text bodies. */
  driveLinks: string[];
  /** Text bodies Gmail did not inline (fetched by attachmentId), so not scanned for Drive links. */
  bodiesNotScanned: number;
  /** Human-readable notes about what could not be read (each also counted as mime_walk_error). */
  problems: string[];
}

export interface WalkOptions {
  /**
   * An inline image with a Content-ID is a signature logo up to this size; larger ones are kept as
   * candidates (a phone photo of a receipt pasted in the body is inline too). Default 100 KiB.
   */
  inlineImageMaxBytes?: number;
  /** Depth and part-count guards against pathological trees. */
  maxDepth?: number;
  maxParts?: number;
}

export const DEFAULT_INLINE_IMAGE_MAX_BYTES = 100 * 1024;

const CALENDAR_TYPES = new Set(['text/calendar', 'application/ics', 'text/x-vcalendar', 'application/x-ics']);
const SIGNATURE_TYPES = new Set(['application/pkcs7-signature', 'application/x-pkcs7-signature', 'application/pgp-signature']);
const BODY_TYPES = new Set(['text/plain', 'text/html']);
const DRIVE_LINK = /https?:\/\/(?:drive|docs)\.google\.com\/[^\s"'<>()[\]{}\\]+/gi;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerList(part: Record<string, unknown>): GmailHeader[] {
  const headers = part.headers;
  if (!Array.isArray(headers)) return [];
  return headers.filter((h): h is GmailHeader => isRecord(h) && typeof h.name === 'string' && typeof h.value === 'string');
}

/** The first header called `name` (case-insensitive), or ''. */
export function headerValue(headers: readonly GmailHeader[], name: string): string {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value ?? '';
}

/** Every header called `name`, in message order. */
export function headerValues(headers: readonly GmailHeader[], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter((h) => h.name.toLowerCase() === lower).map((h) => h.value);
}

function unfold(value: string): string {
  return value.replace(/\r?\n[ \t]*/g, ' ');
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '\\') {
      current += ch + (text[++i] ?? '');
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle++;
    else if (!quoted && ch === '>' && angle > 0) angle--;
    if (ch === separator && !quoted && angle === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

/**
 * Parses a From-style header into the first mailbox: `"Dupont, Jean" <Jean@X.fr>`,
 * `=?UTF-8?Q?Fran=C3=A7ois?= <f@x.fr>`, `jean@x.fr (Jean)`, `jean@x.fr`. The address is lower-cased.
 */
export function parseSender(value: string): Sender {
  const first = splitOutsideQuotes(unfold(value), ',').find((piece) => piece.trim() !== '') ?? '';
  let quoted = false;
  let open = -1;
  let close = -1;
  for (let i = 0; i < first.length; i++) {
    const ch = first[i];
    if (ch === '\\' && quoted) i++;
    else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') open = i;
    else if (!quoted && ch === '>' && open >= 0) close = i;
  }
  if (open >= 0 && close > open) {
    const address = first
      .slice(open + 1, close)
      .trim()
      .toLowerCase();
    let name = first.slice(0, open).trim();
    if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
    return { address, name: decodeEncodedWords(name).trim() };
  }
  const comment = /\(([^)]*)\)/.exec(first);
  const address = first
    .replace(/\([^)]*\)/g, '')
    .trim()
    .toLowerCase();
  return { address, name: comment ? decodeEncodedWords(comment[1]).trim() : '' };
}

/** The domain of an address ('' when there is no '@'). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}

/** Drive and Docs links in a text or HTML body (unique, `&amp;` decoded, trailing punctuation dropped). */
export function findDriveLinks(text: string): string[] {
  const links: string[] = [];
  DRIVE_LINK.lastIndex = 0;
  for (let m = DRIVE_LINK.exec(text); m; m = DRIVE_LINK.exec(text)) {
    const link = m[0].replace(/&amp;/gi, '&').replace(/[.,;:!?]+$/, '');
    if (!links.includes(link)) links.push(link);
  }
  return links;
}

/** The file name of a part: Content-Disposition filename, else Content-Type name (RFC 2231 / 2047 decoded), else Gmail's `filename`. */
export function partFileName(headers: readonly GmailHeader[], gmailFilename: string): string {
  const disposition = headerValue(headers, 'Content-Disposition');
  const type = headerValue(headers, 'Content-Type');
  const fromDisposition = disposition ? parseHeaderValue(unfold(disposition)).params.filename : undefined;
  const fromType = type ? parseHeaderValue(unfold(type)).params.name : undefined;
  const name = fromDisposition || fromType || decodeEncodedWords(gmailFilename);
  return name.trim();
}

/** Walks one message; never throws (a non-object input is one mime_walk_error). */
export function walkMessage(message: GmailMessage, options: WalkOptions = {}): WalkResult {
  const inlineMax = options.inlineImageMaxBytes ?? DEFAULT_INLINE_IMAGE_MAX_BYTES;
  const maxDepth = options.maxDepth ?? 64;
  const maxParts = options.maxParts ?? 500;
  const raw: Record<string, unknown> = isRecord(message) ? (message as unknown as Record<string, unknown>) : {};
  const payload = raw.payload;
  const rootHeaders = isRecord(payload) ? headerList(payload) : [];
  const internal = typeof raw.internalDate === 'string' || typeof raw.internalDate === 'number' ? Number(raw.internalDate) : NaN;

  const result: WalkResult = {
    message: {
      id: typeof raw.id === 'string' ? raw.id : '',
      threadId: typeof raw.threadId === 'string' ? raw.threadId : '',
      messageIdHeader: headerValue(rootHeaders, 'Message-ID').trim(),
      from: parseSender(headerValue(rootHeaders, 'From')),
      subject: decodeEncodedWords(unfold(headerValue(rootHeaders, 'Subject'))).trim(),
      dateHeader: headerValue(rootHeaders, 'Date').trim(),
      internalDateMs: Number.isFinite(internal) ? internal : null,
      auth: pickAuthenticationResults(headerValues(rootHeaders, 'Authentication-Results')),
      labelIds: Array.isArray(raw.labelIds) ? raw.labelIds.filter((l): l is string => typeof l === 'string') : [],
    },
    candidates: [],
    skipped: {},
    driveLinks: [],
    bodiesNotScanned: 0,
    problems: [],
  };

  let inlineImages = 0;
  let calendar = false;
  let signature = false;
  let visited = 0;
  const seen = new Set<unknown>();

  const problem = (text: string): void => {
    result.problems.push(text);
  };

  const visit = (node: unknown, depth: number, insideForwarded: boolean, isRoot: boolean): void => {
    if (!isRecord(node)) return problem(`a part is not an object (${node === null ? 'null' : typeof node})`);
    if (seen.has(node)) return problem('the part tree contains a cycle');
    seen.add(node);
    if (++visited > maxParts) {
      if (visited === maxParts + 1) problem(`more than ${maxParts} parts: the rest was not read`);
      return;
    }
    if (depth > maxDepth) return problem(`parts nested deeper than ${maxDepth}: not read`);
    const headers = headerList(node);
    const mimeType = (typeof node.mimeType === 'string' && node.mimeType ? node.mimeType : 'text/plain').toLowerCase().split(';')[0].trim();
    const partId = typeof node.partId === 'string' ? node.partId : isRoot ? '' : null;
    const children = node.parts;
    if (children !== undefined && !Array.isArray(children)) return problem(`part ${partId ?? '?'}: "parts" is not a list`);

    if (mimeType.startsWith('multipart/') || (mimeType === 'message/rfc822' && Array.isArray(children) && children.length > 0)) {
      const forwarded = insideForwarded || mimeType === 'message/rfc822';
      for (const child of children ?? []) visit(child, depth + 1, forwarded, false);
      return;
    }

    const body = isRecord(node.body) ? node.body : {};
    const size = typeof body.size === 'number' && body.size >= 0 ? body.size : 0;
    const attachmentId = typeof body.attachmentId === 'string' && body.attachmentId ? body.attachmentId : undefined;
    const data = typeof body.data === 'string' ? body.data : undefined;
    const dispositionHeader = headerValue(headers, 'Content-Disposition');
    const dispositionValue = dispositionHeader ? parseHeaderValue(unfold(dispositionHeader)).value : '';
    const disposition: Disposition = dispositionValue === 'attachment' ? 'attachment' : dispositionValue === 'inline' ? 'inline' : 'none';
    const contentIdRaw = headerValue(headers, 'Content-ID').trim();
    const contentId = contentIdRaw ? contentIdRaw.replace(/^<|>$/g, '') : undefined;
    const filename = partFileName(headers, typeof node.filename === 'string' ? node.filename : '');
    const declaredType = parseHeaderValue(unfold(headerValue(headers, 'Content-Type'))).value.toLowerCase();
    if (declaredType.startsWith('multipart/') && (attachmentId || data)) {
      // Gmail hands a multipart it could not split (no boundary, or too deep) over as a text leaf.
      if (partId === null) return problem(`an unreadable ${declaredType} part has no partId: it cannot be keyed`);
      const unreadable = `a ${declaredType} part Gmail could not read (no usable boundary, or nested too deep): kept whole as ${partId ? `part ${partId}` : 'the message body'}`;
      const piece: AttachmentCandidate = {
        partId,
        filename: `${partId ? `part-${partId}` : 'message'}.eml`,
        mimeType: 'message/rfc822',
        size,
        disposition,
        insideForwarded,
        unreadable,
      };
      if (attachmentId) piece.attachmentId = attachmentId;
      else piece.inlineData = data ?? '';
      result.candidates.push(piece);
      return;
    }

    if (CALENDAR_TYPES.has(mimeType) || /\.(ics|vcs)$/i.test(filename)) {
      calendar = true;
      return;
    }
    if (SIGNATURE_TYPES.has(mimeType)) {
      signature = true;
      return;
    }
    if (mimeType.startsWith('image/') && contentId && disposition !== 'attachment' && size <= inlineMax) {
      inlineImages++;
      return;
    }
    if (BODY_TYPES.has(mimeType) && !filename && disposition !== 'attachment') {
      if (data !== undefined) {
        let text: string;
        try {
          // Links are ASCII: no charset needed to find them. A body part Gmail inlines is a few KB: decoding
          // it here costs less than a service call (see decodeBodyText in domain/mail/message-view.ts).
          text = latin1Decode(base64Decode(data));
        } catch (error) {
          return problem(`part ${partId ?? '?'}: body is not base64 (${error instanceof Error ? error.message : String(error)})`);
        }
        for (const link of findDriveLinks(text)) if (!result.driveLinks.includes(link)) result.driveLinks.push(link);
      } else if (attachmentId) result.bodiesNotScanned++;
      return;
    }
    if (!filename && disposition !== 'attachment' && !attachmentId && data === undefined) return; // an empty leaf
    if (partId === null) return problem(`a ${mimeType} part has no partId: it cannot be keyed, so it was not collected`);
    const candidate: AttachmentCandidate = { partId, filename, mimeType, size, disposition, insideForwarded };
    if (attachmentId) candidate.attachmentId = attachmentId;
    else candidate.inlineData = data ?? ''; // neither id nor data: Gmail's shape for a 0-byte file
    if (contentId) candidate.contentId = contentId;
    result.candidates.push(candidate);
  };

  if (!isRecord(message)) problem('the message is not an object');
  else if (!isRecord(payload)) problem('the message has no payload (was it fetched with format=full?)');
  else visit(payload, 0, false, true);

  if (inlineImages) result.skipped.inline_image = inlineImages;
  if (calendar) result.skipped.calendar_invite = 1;
  if (signature) result.skipped.signature = 1;
  if (result.driveLinks.length) result.skipped.drive_link = 1;
  if (result.problems.length) result.skipped.mime_walk_error = result.problems.length;
  if (!result.candidates.length && !Object.keys(result.skipped).length) result.skipped.no_attachment = 1;
  return result;
}
