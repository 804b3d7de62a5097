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

/** The message of anything thrown, for ledgers and logs (Apps Script services throw plain Errors). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
