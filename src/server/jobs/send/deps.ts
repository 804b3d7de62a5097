// What the Send job is given to run: its ports (ports/send.ts and the shared ones), the settings, who
// acts, and the execution's budget. Every step of the job is a free function over this `deps` object.

import type { MessageInput } from '../../domain/send/mime';
import type { SendRow } from '../../domain/send/send-list';
import type { SendSettings } from '../../domain/send/settings';
import type { Lock } from '../../ports/lock';
import type { Scheduler } from '../../ports/scheduler';
import type { Base64Codec } from '../../ports/base64';
import type { MailGateway } from '../../ports/mail-gateway';
import type { AttachmentSource, JobRunLog, SendClock, SendLookahead, SendSheet, SendStateStore } from '../../ports/send';

export interface SendDeps {
  sheet: SendSheet;
  attachments: AttachmentSource;
  /** base64 on the platform (Utilities), for the raw messages. */
  base64: Base64Codec;
  /** Every Gmail call: sends, and the SENT listing of the in-doubt check. */
  mail: MailGateway;
  state: SendStateStore;
  jobRuns: JobRunLog;
  scheduler: Scheduler;
  lock: Lock;
  clock: SendClock;
  /** The validated settings (read fresh in every execution). */
  settings(): SendSettings;
  /** The account the messages go out from. */
  sender: { address: string };
  /** Who acts (for "paused by …"). */
  user: string;
  /** Seeded in tests, Math.random in production (retry jitter, run ids). */
  random(): number;
  /** Reads joined with the tab's read (absent: each read is its own call). */
  lookahead?: SendLookahead;
  /** Execution time budget of one chunk, in ms (default SEND_CHUNK_BUDGET_MS). */
  budgetMs?: number;
  /**
   * The send extras' last word on a row's message before it is built (a Gmail draft's inline images
   * and attachments, the send-as display name): returns the input to build. Absent: built as is.
   */
  decorateMessage?(input: MessageInput, row: SendRow): MessageInput;
}
