// Typed mail errors, mapped ONCE from what Gmail answers (an HTTP status and Google's JSON error body
// through the REST API, or the exception of the Advanced Gmail service) and used by every job. Each
// error has a stable kind, the operation it failed, whether it may have taken effect all the same,
// and a user message in French and English. Errors cross execution realms (the emulator's vm, Apps
// Script's V8), so test them with isMailError / mailErrorKind, never `instanceof` alone.
// https://developers.google.com/gmail/api/guides/handle-errors

import { defineMessages, type Locale } from './i18n';
import { PostroomError, type ErrorCode } from './errors';

export type MailErrorKind = 'auth' | 'permission' | 'quota' | 'transient' | 'not_found' | 'invalid_request';

export interface MailErrorFacts {
  /** The gateway operation, e.g. "send", "getMessages", "search". */
  operation: string;
  /** HTTP status (0 when no answer came back). */
  status: number;
  /** Google's error message (quoted in user messages), or the network failure. */
  detail: string;
  /** Google's error reasons, e.g. ["userRateLimitExceeded"]. */
  reasons?: readonly string[];
  /** Wait at least this long before trying again (Retry-After or Gmail's "Retry after <time>"), ms. */
  retryAfterMs?: number | null;
  /** The request may have been executed even though no success came back (5xx, no answer). */
  mayHaveHappened?: boolean;
  /** QuotaError only: 'daily' for the daily sending limit, 'rate' for the per-minute/second rate. */
  quotaScope?: 'rate' | 'daily';
}

const CODES: Record<MailErrorKind, ErrorCode> = {
  auth: 'PERMANENT',
  permission: 'PERMANENT',
  quota: 'QUOTA',
  transient: 'TRANSIENT',
  not_found: 'NOT_FOUND',
  invalid_request: 'PERMANENT',
};

const NAMES: Record<MailErrorKind, string> = {
  auth: 'AuthError',
  permission: 'PermissionError',
  quota: 'QuotaError',
  transient: 'TransientError',
  not_found: 'NotFoundError',
  invalid_request: 'InvalidRequestError',
};

const en = {
  auth: 'Gmail refused the authorisation ({detail}). Open Postroom again and accept its permissions.',
  permission: 'Gmail refused this operation for lack of permission ({detail}). Check the add-on’s scopes or your domain’s policy.',
  'permission.advancedOff':
    'The Advanced Gmail service is not enabled in this project: choose the REST transport in the mail settings, or enable the service (appsscript.json).',
  'quota.rate': 'Gmail’s rate limit was reached ({detail}). Postroom waits and tries again.',
  'quota.daily': 'Gmail’s daily sending limit was reached ({detail}). Sending resumes when the limit resets.',
  transient: 'Gmail did not answer properly ({detail}). It may have been done all the same; Postroom checks before trying again.',
  not_found: 'Not found in Gmail ({detail}): the message, label or draft was deleted or never existed.',
  invalid_request: 'Gmail rejected the request ({detail}). It will not be retried: fix the data first.',
};

const translateMailError = defineMessages<keyof typeof en>({
  en,
  fr: {
    auth: 'Gmail a refusé l’autorisation ({detail}). Rouvrez Postroom et acceptez ses autorisations.',
    permission:
      'Gmail a refusé cette opération faute d’autorisation ({detail}). Vérifiez les autorisations du module ou la politique de votre domaine.',
    'permission.advancedOff':
      'Le service Gmail avancé n’est pas activé dans ce projet : choisissez le transport REST dans les réglages de messagerie, ou activez le service (appsscript.json).',
    'quota.rate': 'La limite de débit de Gmail est atteinte ({detail}). Postroom attend puis réessaie.',
    'quota.daily': 'La limite d’envoi quotidienne de Gmail est atteinte ({detail}). L’envoi reprendra quand elle sera levée.',
    transient: 'Gmail n’a pas répondu correctement ({detail}). L’opération a peut-être eu lieu ; Postroom vérifie avant de réessayer.',
    not_found: 'Introuvable dans Gmail ({detail}) : le message, le libellé ou le brouillon a été supprimé ou n’a jamais existé.',
    invalid_request: 'Gmail a rejeté la requête ({detail}). Elle ne sera pas réessayée : corrigez d’abord les données.',
  },
});

/** One class for the six kinds (subclasses below give each its own name for `instanceof` in one realm). */
export class MailError extends PostroomError {
  readonly kind: MailErrorKind;
  readonly operation: string;
  readonly status: number;
  readonly detail: string;
  readonly reasons: readonly string[];
  readonly retryAfterMs: number | null;
  readonly mayHaveHappened: boolean;
  readonly quotaScope: 'rate' | 'daily' | null;

  constructor(kind: MailErrorKind, facts: MailErrorFacts) {
    super(CODES[kind], `${facts.operation}: ${facts.detail || `HTTP ${facts.status}`}`, { kind, status: facts.status });
    this.name = NAMES[kind];
    this.kind = kind;
    this.operation = facts.operation;
    this.status = facts.status;
    this.detail = facts.detail;
    this.reasons = facts.reasons ?? [];
    this.retryAfterMs = facts.retryAfterMs ?? null;
    this.mayHaveHappened = facts.mayHaveHappened ?? kind === 'transient';
    this.quotaScope = kind === 'quota' ? (facts.quotaScope ?? 'rate') : null;
  }

  /** The message for the user, in their language; Google's own text quoted inside. */
  userMessage(locale: Locale): string {
    return mailErrorMessage(this, locale);
  }
}

export class AuthError extends MailError {
  constructor(facts: MailErrorFacts) {
    super('auth', facts);
  }
}
export class PermissionError extends MailError {
  constructor(facts: MailErrorFacts) {
    super('permission', facts);
  }
}
export class QuotaError extends MailError {
  constructor(facts: MailErrorFacts) {
    super('quota', facts);
  }
}
export class TransientError extends MailError {
  constructor(facts: MailErrorFacts) {
    super('transient', { mayHaveHappened: true, ...facts });
  }
}
export class NotFoundError extends MailError {
  constructor(facts: MailErrorFacts) {
    super('not_found', facts);
  }
}
export class InvalidRequestError extends MailError {
  constructor(facts: MailErrorFacts) {
    super('invalid_request', facts);
  }
}

const KINDS = new Set<string>(Object.keys(NAMES));

/** True for a MailError from any realm (checks the shape, not the prototype). */
export function isMailError(value: unknown): value is MailError {
  return (
    typeof value === 'object' &&
    value !== null &&
    KINDS.has(String((value as { kind?: unknown }).kind)) &&
    typeof (value as { operation?: unknown }).operation === 'string'
  );
}

/** The reason a PermissionError carries when the Advanced Gmail service is not enabled in the project. */
export const ADVANCED_SERVICE_OFF = 'advancedServiceNotEnabled';

/** The user message of a mail error (any realm). */
export function mailErrorMessage(
  error: Pick<MailError, 'kind' | 'detail' | 'status' | 'quotaScope'> & { reasons?: readonly string[] },
  locale: Locale,
): string {
  const key =
    error.kind === 'quota'
      ? error.quotaScope === 'daily'
        ? 'quota.daily'
        : 'quota.rate'
      : error.kind === 'permission' && error.reasons?.includes(ADVANCED_SERVICE_OFF)
        ? 'permission.advancedOff'
        : error.kind;
  return translateMailError(locale, key, { detail: error.detail || `HTTP ${error.status}` });
}
