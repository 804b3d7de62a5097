// Errors with a stable code. Domain and jobs throw PostroomError so that callers (sidebar, card, CLI,
// ledgers) can branch on `code` and show `message`, never on the text of a message.

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

export class PostroomError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'PostroomError';
    this.code = code;
    this.details = details;
  }
}

/**
 * The message of anything thrown, for ledgers and logs. Not `instanceof Error`: an error may come from
 * another realm (Apps Script's services, the emulator's vm), where it is an Error of another prototype;
 * any object with a string `message` is read the same way.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return String(error);
}

/**
 * True for the error a service throws once the execution is over (6-minute deadline, kill): nothing
 * can be written any more, so it must propagate, never be counted and carried on from.
 */
export function isExecutionOver(error: unknown): boolean {
  return /Exceeded maximum execution time|Execution killed/i.test(errorMessage(error));
}
