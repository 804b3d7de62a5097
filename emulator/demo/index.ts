// The bundled demo workspace, generated at start (nothing binary is committed): the demo mailbox of
// compta@opticiens-demo.fr and the January send list with its PDFs. Two ways to use it:
//   writeDemoFiles(dir)        writes mailbox/*.eml, send-list/envois.csv and send-list/pdf/*.pdf
//   loadDemoWorkspace(ws)      imports the mailbox (unread, INBOX) into a Workspace, puts the send
//                              list's PDFs in Drive under "Postroom/Envois 2026-01/" and the list
//                              itself in the "Sends" tab of the Postroom spreadsheet.
// The job helpers may read the send list in another shape: demoSendRows()/demoSendFiles() are the data.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoMailbox, type DemoMessage } from './demo-mailbox';
import { DEMO_PERIOD, DEMO_SEND_COLUMNS, demoSendCsv, demoSendFiles, demoSendRows } from './demo-send-list';

export { DEMO_USER, DEMO_WHITELIST, generateDemoMailbox } from './demo-mailbox';
export { DEMO_PERIOD, DEMO_SEND_COLUMNS, demoSendCsv, demoSendFiles, demoSendRows } from './demo-send-list';

export const DEMO_SEND_FOLDER = `Postroom/Envois ${DEMO_PERIOD}`;
// The tab the send job reads (src/server/domain/send/send-list.ts).
export const DEMO_SEND_TAB = 'Sends';

export interface DemoFiles {
  mailboxDir: string;
  sendListCsv: string;
  sendPdfDir: string;
  messages: DemoMessage[];
}

/** Writes the demo files under `dir` (created if needed). */
export function writeDemoFiles(dir: string): DemoFiles {
  const mailboxDir = join(dir, 'mailbox');
  const sendDir = join(dir, 'send-list');
  const sendPdfDir = join(sendDir, 'pdf');
  mkdirSync(mailboxDir, { recursive: true });
  mkdirSync(sendPdfDir, { recursive: true });
  const messages = generateDemoMailbox();
  for (const message of messages) writeFileSync(join(mailboxDir, message.name), message.bytes);
  const sendListCsv = join(sendDir, 'envois.csv');
  writeFileSync(sendListCsv, demoSendCsv());
  for (const [name, bytes] of demoSendFiles()) writeFileSync(join(sendPdfDir, name), bytes);
  return { mailboxDir, sendListCsv, sendPdfDir, messages };
}

/** What loadDemoWorkspace needs from a workspace (emulator/workspace.ts). */
export interface DemoTarget {
  mailbox: { importRaw(bytes: Uint8Array): unknown };
  drive: {
    rootId: string;
    createFolder(name: string, parentId?: string): { id: string };
    createFile(name: string, bytes: Uint8Array, mimeType: string, parentId?: string): unknown;
  };
  /** Writes rows (header first) into a tab of the container spreadsheet, creating the tab. */
  writeContainerTab(name: string, rows: string[][]): void;
}

export interface LoadDemoOptions {
  /** Import the demo mailbox (default true; false when --mailbox gives another one). */
  mailbox?: boolean;
  /** Put the send list in Drive and the spreadsheet (default true). */
  sendList?: boolean;
}

/** Loads the demo into a workspace. Returns the number of messages imported. */
export function loadDemoWorkspace(target: DemoTarget, options: LoadDemoOptions = {}): { messages: number; sendRows: number } {
  let messages = 0;
  if (options.mailbox ?? true) {
    for (const message of generateDemoMailbox()) {
      target.mailbox.importRaw(new Uint8Array(message.bytes));
      messages += 1;
    }
  }
  let sendRows = 0;
  if (options.sendList ?? true) {
    let parent = target.drive.rootId;
    for (const segment of DEMO_SEND_FOLDER.split('/')) parent = target.drive.createFolder(segment, parent).id;
    for (const [name, bytes] of demoSendFiles()) target.drive.createFile(name, new Uint8Array(bytes), 'application/pdf', parent);
    const rows = demoSendRows();
    target.writeContainerTab(DEMO_SEND_TAB, [[...DEMO_SEND_COLUMNS], ...rows.map((row) => DEMO_SEND_COLUMNS.map((column) => row[column]))]);
    sendRows = rows.length;
  }
  return { messages, sendRows };
}
