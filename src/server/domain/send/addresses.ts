// Recipient addresses from the send list: split a cell into mailboxes, validate each one with a
// reason a person can act on, count recipients against Gmail's 100-per-message limit, and guard
// header values against injection (a CR or LF in any header value fails the row before sending).
// The address check is deliberately stricter than RFC 5322 (no quoted local parts, no comments, no
// IP literals, no IDN): invoices go to ordinary mailboxes, and a strict check catches typos early.
// https://support.google.com/a/answer/166852 (Gmail sending limits: recipients per message)

import { defineMessages, type Locale } from '../i18n';

/** Gmail API / Workspace: at most 100 recipients (To + Cc + Bcc) per message. */
export const MAX_RECIPIENTS_PER_MESSAGE = 100;

/** A display name (possibly '') and an address. */
export interface Mailbox {
  name: string;
  address: string;
}

export interface AddressProblem {
  /** The item as written in the cell (trimmed). */
  input: string;
  /** Why it was rejected, in English (stable wording); parseMailbox(input, locale) says it in the reader's words. */
  reason: string;
}

export interface AddressListResult {
  mailboxes: Mailbox[];
  problems: AddressProblem[];
}

/** True when a header value would carry a CR or LF (header injection: the row must fail). */
export function hasLineBreak(value: string): boolean {
  return /[\r\n]/.test(value);
}

const en = {
  empty: 'empty address',
  lineBreak: 'line break in address',
  space: 'address contains a space',
  nonAscii: 'address contains a non-ASCII character',
  missingAt: 'missing @',
  manyAt: 'more than one @',
  nothingBefore: 'nothing before @',
  nothingAfter: 'nothing after @',
  localTooLong: 'part before @ is longer than 64 characters',
  tooLong: 'address is longer than 254 characters',
  localChars: 'invalid characters or dots before @ ("{local}")',
  domainNoDot: 'domain "{domain}" has no dot',
  domainInvalid: 'invalid domain "{domain}"',
  tldInvalid: 'invalid top-level domain in "{domain}"',
  missingClose: 'missing ">"',
  textAfterClose: 'text after ">"',
  unbalancedQuotes: 'unbalanced quotes in the display name',
  misplacedBracket: 'misplaced "<" or ">"',
};

/** Why an address is refused, in the reader's language. */
const reasonText = defineMessages<keyof typeof en>({
  en,
  fr: {
    empty: 'adresse vide',
    lineBreak: 'saut de ligne dans l’adresse',
    space: 'l’adresse contient une espace',
    nonAscii: 'l’adresse contient un caractère non ASCII (accent…)',
    missingAt: 'il manque le @',
    manyAt: 'plus d’un @',
    nothingBefore: 'rien avant le @',
    nothingAfter: 'rien après le @',
    localTooLong: 'la partie avant le @ dépasse 64 caractères',
    tooLong: 'l’adresse dépasse 254 caractères',
    localChars: 'caractères ou points invalides avant le @ (« {local} »)',
    domainNoDot: 'le domaine « {domain} » n’a pas de point',
    domainInvalid: 'domaine invalide « {domain} »',
    tldInvalid: 'extension de domaine invalide dans « {domain} »',
    missingClose: 'il manque « > »',
    textAfterClose: 'du texte après « > »',
    unbalancedQuotes: 'guillemets non refermés dans le nom affiché',
    misplacedBracket: '« < » ou « > » mal placé',
  },
});

const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const LOCAL_PART = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Why `address` (a bare addr-spec, no display name) is not acceptable (English unless told), or null when it is. */
export function checkAddress(address: string, locale: Locale = 'en'): string | null {
  const why = (key: keyof typeof en, params: Record<string, string> = {}) => reasonText(locale, key, params);
  if (address === '') return why('empty');
  if (hasLineBreak(address)) return why('lineBreak');
  if (/\s/.test(address)) return why('space');
  if (/[^\x21-\x7e]/.test(address)) return why('nonAscii');
  const at = address.lastIndexOf('@');
  if (at < 0) return why('missingAt');
  if (address.indexOf('@') !== at) return why('manyAt');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === '') return why('nothingBefore');
  if (domain === '') return why('nothingAfter');
  if (local.length > 64) return why('localTooLong');
  if (address.length > 254) return why('tooLong');
  if (!LOCAL_PART.test(local)) return why('localChars', { local });
  const labels = domain.split('.');
  if (labels.length < 2) return why('domainNoDot', { domain });
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return why('domainInvalid', { domain });
  if (!/^[A-Za-z]{2,63}$/.test(labels[labels.length - 1]) && !/^xn--[A-Za-z0-9-]+$/.test(labels[labels.length - 1])) {
    return why('tldInvalid', { domain });
  }
  return null;
}

/** Splits on `,` and `;` outside double quotes (an address itself never holds either). */
function splitItems(input: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      current += c;
      if (c === '\\' && i + 1 < input.length) current += input[++i];
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      current += c;
    } else if (c === ',' || c === ';') {
      items.push(current);
      current = '';
    } else current += c;
  }
  items.push(current);
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function unquote(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed.startsWith('"')) return trimmed.replace(/\s+/g, ' ');
  if (!trimmed.endsWith('"') || trimmed.length < 2) return null;
  return trimmed.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Parses one item: `a@b.fr`, `<a@b.fr>`, `Name <a@b.fr>` or `"Name, Jr" <a@b.fr>`. */
export function parseMailbox(item: string, locale: Locale = 'en'): { mailbox: Mailbox } | { problem: string } {
  const why = (key: keyof typeof en) => reasonText(locale, key);
  const input = item.trim();
  if (hasLineBreak(input)) return { problem: why('lineBreak') };
  const open = input.lastIndexOf('<');
  if (open >= 0) {
    if (!input.includes('>', open)) return { problem: why('missingClose') };
    if (!input.endsWith('>')) return { problem: why('textAfterClose') };
    const address = input.slice(open + 1, -1).trim();
    const name = unquote(input.slice(0, open));
    if (name === null) return { problem: why('unbalancedQuotes') };
    if (/[<>]/.test(name)) return { problem: why('misplacedBracket') };
    const reason = checkAddress(address, locale);
    return reason ? { problem: reason } : { mailbox: { name, address } };
  }
  if (input.includes('>')) return { problem: why('misplacedBracket') };
  const reason = checkAddress(input, locale);
  return reason ? { problem: reason } : { mailbox: { name: '', address: input } };
}

/**
 * Parses a cell of addresses separated by `,` or `;` (display names allowed, quoted names may hold
 * separators). Empty items (a trailing `;`) are ignored; every invalid item is reported.
 */
export function parseAddressList(input: string): AddressListResult {
  const mailboxes: Mailbox[] = [];
  const problems: AddressProblem[] = [];
  for (const item of splitItems(input)) {
    const parsed = parseMailbox(item);
    if ('mailbox' in parsed) mailboxes.push(parsed.mailbox);
    else problems.push({ input: item, reason: parsed.problem });
  }
  return { mailboxes, problems };
}

/**
 * Distinct recipients (case-insensitive addresses) across To, Cc and Bcc: what Gmail counts against
 * the per-message limit. A duplicate (same address in To and Cc) is delivered once.
 */
export function countRecipients(...lists: ReadonlyArray<readonly Mailbox[]>): number {
  const seen = new Set<string>();
  for (const list of lists) for (const mailbox of list) seen.add(mailbox.address.toLowerCase());
  return seen.size;
}

/** One problem as a short English sentence for the row's `error` column. */
export function describeAddressProblem(field: string, problem: AddressProblem): string {
  return `Invalid ${field} address "${problem.input}": ${problem.reason}`;
}
