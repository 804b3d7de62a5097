// Test helper: mailparser's simpleParser with the few types the send tests read (mailparser ships no
// type declarations, and a local `require` keeps this from clashing with any declaration added later).

export interface ParsedAddress {
  value: Array<{ name: string; address?: string }>;
}

export interface ParsedMail {
  subject?: string;
  from?: ParsedAddress;
  to?: ParsedAddress | ParsedAddress[];
  cc?: ParsedAddress | ParsedAddress[];
  bcc?: ParsedAddress | ParsedAddress[];
  replyTo?: ParsedAddress;
  text?: string;
  html: string | false;
  messageId?: string;
  date?: Date;
  headers: Map<string, unknown>;
  attachments: Array<{ filename?: string; contentType: string; content: Buffer }>;
}

const mailparser = require('mailparser') as { simpleParser(source: Buffer): Promise<ParsedMail> };

export function simpleParser(source: Buffer): Promise<ParsedMail> {
  return mailparser.simpleParser(source);
}

/** Name and address pairs of an address header, in order. */
export function addressesOf(field: ParsedAddress | ParsedAddress[] | undefined): Array<{ name: string; address: string }> {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((o) => o.value.map((v) => ({ name: v.name, address: v.address ?? '' })));
}
