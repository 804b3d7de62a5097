// Errors at the entry points, as the user reads them. A server function called from the sidebar
// (google.script.run) that throws a catalogue error (domain/errors.ts localizedError) or a mail error
// (domain/mail-errors.ts) reaches the page with its message in the user's language, whatever language
// the thrower knew; its code and details are kept. Any other error (Google's own text) goes through unchanged: the page quotes it.

import { isLocalized, userErrorMessage } from '../domain/errors';
import type { Locale } from '../domain/i18n';

/** `error`, its message set to the text in `locale` when it has one (a catalogue or mail error). */
export function inUserLanguage(error: unknown, locale: Locale): unknown {
  const speaks = isLocalized(error) || typeof (error as { userMessage?: unknown } | null)?.userMessage === 'function';
  if (speaks && error instanceof Error) {
    try {
      error.message = userErrorMessage(error, locale);
    } catch {
      // A frozen error keeps its message.
    }
  }
  return error;
}

type AnyFunction = (...args: any[]) => any;

/** The same api, each function's errors in the user's language (`locale` read only when one throws). */
export function withLocalizedErrors<T extends Record<string, AnyFunction>>(api: T, locale: () => Locale): T {
  const wrapped: Record<string, AnyFunction> = {};
  for (const [name, fn] of Object.entries(api)) {
    wrapped[name] = (...args: unknown[]) => {
      try {
        return fn(...args);
      } catch (error) {
        throw inUserLanguage(error, locale());
      }
    };
  }
  return wrapped as T;
}
