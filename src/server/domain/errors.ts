// Errors with a stable code. Domain and jobs throw PostroomError so that callers (sidebar, card, CLI,
// ledgers) can branch on `code` and show `message`, never on the text of a message.
//
// A message a person may read is a catalogue entry (defineMessages): `localizedError` builds the error
// with its text in BOTH languages (`texts`), `message` in the locale the thrower knows (English when it
// does not), and `userErrorMessage(error, locale)` picks the reader's language when the error is shown
// (card toast, sidebar, ledger). Errors cross realms (the emulator's vm, Apps Script's V8): these
// helpers read the shape, never `instanceof`.

import type { Locale, Params } from './i18n';

export type ErrorCode =
  | 'INVALID_SETTING'
  | 'INVALID_INPUT'
  | 'SETUP_INCOMPLETE'
  | 'ALREADY_RUNNING'
  | 'NOT_FOUND'
  | 'QUOTA'
  | 'TRANSIENT'
  | 'PERMANENT'
  | 'INTERNAL';

/** One user message in both languages. */
export type LocalizedText = Readonly<Record<Locale, string>>;

/** A catalogue's translate function (what defineMessages returns). */
export type Translator<K extends string> = (locale: Locale, key: K, params?: Params) => string;

export class PostroomError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  /** The message in French and English, when it came from a catalogue (see localizedError). */
  readonly texts?: LocalizedText;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, texts?: LocalizedText) {
    super(message);
    this.name = 'PostroomError';
    this.code = code;
    this.details = details;
    if (texts) this.texts = texts;
  }
}

/**
 * The message of anything thrown, for ledgers and logs. Not `instanceof Error`: an error may come from
 * another realm (Apps Script's services, the emulator's vm), where it is an Error of another prototype;
 * any object with a string `message` is read the same way.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string')
    return (error as { message: string }).message;
  return String(error);
}

/**
 * True for the error a service throws once the execution is over (6-minute deadline, kill): nothing
 * can be written any more, so it must propagate, never be counted and carried on from.
 */
export function isExecutionOver(error: unknown): boolean {
  return /Exceeded maximum execution time|Execution killed/i.test(errorMessage(error));
}

/**
 * A PostroomError whose message is `key` of a catalogue, with `params` filled in:
 *   throw localizedError('SETUP_INCOMPLETE', translateCollect, 'noAllowedSender', {}, { locale: deps.locale });
 * `message` is in `options.locale` (English when the thrower does not know the reader's locale);
 * both texts travel with the error, so whoever shows it picks the reader's language.
 */
export function localizedError<K extends string>(
  code: ErrorCode,
  translate: Translator<K>,
  key: K,
  params: Params = {},
  options: { locale?: Locale; details?: Record<string, unknown> } = {},
): PostroomError {
  const texts: LocalizedText = { en: translate('en', key, params), fr: translate('fr', key, params) };
  return new PostroomError(code, texts[options.locale ?? 'en'], { ...options.details, messageKey: key }, texts);
}

/**
 * What to show a person for anything thrown, in their language: a catalogue error's text in `locale`,
 * a mail error's own user message (MailError.userMessage), else the error's message as it is (Google's
 * own text, which the caller quotes inside a sentence of its catalogue).
 */
export function userErrorMessage(error: unknown, locale: Locale): string {
  if (typeof error === 'object' && error !== null) {
    const texts = (error as { texts?: Partial<Record<Locale, unknown>> }).texts;
    if (texts && typeof texts[locale] === 'string') return texts[locale] as string;
    const own = (error as { userMessage?: unknown }).userMessage;
    if (typeof own === 'function') {
      const text: unknown = own.call(error, locale);
      if (typeof text === 'string') return text;
    }
  }
  return errorMessage(error);
}

/** The error's code when it is a PostroomError (from any realm), else null. */
export function errorCode(error: unknown): ErrorCode | null {
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? (code as ErrorCode) : null;
}

/** True when `error` carries its text in both languages (a catalogue error). */
export function isLocalized(error: unknown): error is { texts: LocalizedText } {
  const texts = typeof error === 'object' && error !== null ? (error as { texts?: Partial<Record<Locale, unknown>> }).texts : undefined;
  return !!texts && typeof texts.en === 'string' && typeof texts.fr === 'string';
}
