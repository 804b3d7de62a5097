// Gmail search, a real parser and matcher used by every view (messages.list q=, drafts.list q=,
// GmailApp.search). Grammar: a query is terms ANDed by juxtaposition (or AND); `a OR b`; `-term`
// negation; `( ... )` grouping; `{a b}` an OR group; "quoted phrases"; operators from: to: cc: bcc:
// subject: label: in: is: has: filename: category: after: before: older: newer: newer_than: older_than:
// larger: smaller: size: rfc822msgid:, each taking a word, a "phrase" or a (group). Words match whole
// words, case- and accent-insensitively, in the subject, the body text, the addresses and attachment
// names. An operator we do not know is an error (SearchSyntaxError), never a silent match-all.
// By default TRASH and SPAM are left out unless the query names in:trash, in:spam or in:anywhere.
// https://support.google.com/mail/answer/7190 (search operators)

import type { StoredMessage } from './mailbox';

export class SearchSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchSyntaxError';
  }
}

type TextField = 'from' | 'to' | 'cc' | 'bcc' | 'subject' | 'filename';

export type SearchNode =
  | { kind: 'and'; items: SearchNode[] }
  | { kind: 'or'; items: SearchNode[] }
  | { kind: 'not'; item: SearchNode }
  | { kind: 'all' }
  | { kind: 'text'; value: string; phrase: boolean }
  | { kind: 'field'; field: TextField; value: string }
  | { kind: 'rfc822msgid'; value: string }
  | { kind: 'label'; name: string }
  | { kind: 'labelId'; id: string | null; anywhere?: boolean }
  | { kind: 'has'; what: 'attachment' | 'userlabels' | 'nouserlabels' }
  | { kind: 'time'; op: 'after' | 'before'; ms: number }
  | { kind: 'relative'; op: 'newer' | 'older'; amount: number; unit: 'd' | 'm' | 'y' }
  | { kind: 'size'; op: 'larger' | 'smaller'; bytes: number };

export interface SearchContext {
  /** Virtual now (ms) for newer_than / older_than. */
  now: number;
  userEmail: string;
  /** IANA zone in which after:/before: dates start at midnight (the user's zone). */
  timeZone?: string;
  /** Label id -> name, for label: (user and system labels). */
  labelName: (id: string) => string | undefined;
}

// ---- tokens -----------------------------------------------------------------------------------

type Token =
  | { type: 'open' | 'close' | 'openBrace' | 'closeBrace' | 'minus' | 'or' | 'and' }
  | { type: 'word'; value: string }
  | { type: 'phrase'; value: string }
  | { type: 'operator'; name: string };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const atTermStart = (): boolean => i === 0 || /[\s({]/.test(query[i - 1]);
  while (i < query.length) {
    const char = query[i];
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')' || char === '{' || char === '}') {
      tokens.push({ type: char === '(' ? 'open' : char === ')' ? 'close' : char === '{' ? 'openBrace' : 'closeBrace' });
      i += 1;
    } else if (char === '-' && atTermStart() && i + 1 < query.length && !/\s/.test(query[i + 1])) {
      tokens.push({ type: 'minus' });
      i += 1;
    } else if (char === '"') {
      const end = query.indexOf('"', i + 1);
      if (end < 0) throw new SearchSyntaxError(`Unterminated quoted phrase in search query: ${query}`);
      tokens.push({ type: 'phrase', value: query.slice(i + 1, end) });
      i = end + 1;
    } else {
      let end = i;
      while (end < query.length && !/[\s(){}"]/.test(query[end])) end += 1;
      const word = query.slice(i, end);
      const operator = /^([A-Za-z_][A-Za-z0-9_]*):(.*)$/.exec(word);
      if (word === 'OR' || word === '|') tokens.push({ type: 'or' });
      else if (word === 'AND') tokens.push({ type: 'and' });
      else if (operator) {
        tokens.push({ type: 'operator', name: operator[1].toLowerCase() });
        if (operator[2] !== '') tokens.push({ type: 'word', value: operator[2] });
        else if (end >= query.length || /\s/.test(query[end])) {
          throw new SearchSyntaxError(`Missing value after "${operator[1]}:" in search query: ${query}`);
        }
      } else tokens.push({ type: 'word', value: word.replace(/^\+/, '') });
      i = end;
    }
  }
  return tokens;
}

// ---- parser -----------------------------------------------------------------------------------

const TEXT_FIELDS: readonly string[] = ['from', 'to', 'cc', 'bcc', 'subject', 'filename'];
const KNOWN_OPERATORS = new Set([
  ...TEXT_FIELDS,
  'label',
  'in',
  'is',
  'has',
  'category',
  'after',
  'before',
  'older',
  'newer',
  'newer_than',
  'older_than',
  'larger',
  'smaller',
  'size',
  'rfc822msgid',
]);

class Parser {
  private position = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly query: string,
    private readonly context: SearchContext,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token | undefined {
    return this.tokens[this.position++];
  }

  parseAll(): SearchNode {
    const node = this.parseSequence(null);
    if (this.position < this.tokens.length) throw new SearchSyntaxError(`Unbalanced ")" or "}" in search query: ${this.query}`);
    return node;
  }

  /** Terms until `closer` (or the end), ANDed. */
  private parseSequence(closer: 'close' | 'closeBrace' | null): SearchNode {
    const items: SearchNode[] = [];
    for (;;) {
      const token = this.peek();
      if (!token) {
        if (closer) throw new SearchSyntaxError(`Missing "${closer === 'close' ? ')' : '}'}" in search query: ${this.query}`);
        break;
      }
      if (token.type === 'close' || token.type === 'closeBrace') {
        if (token.type !== closer)
          throw new SearchSyntaxError(`Unbalanced "${token.type === 'close' ? ')' : '}'}" in search query: ${this.query}`);
        break;
      }
      if (token.type === 'and') {
        this.next();
        continue;
      }
      items.push(closer === 'closeBrace' ? this.parseUnary() : this.parseOr());
    }
    if (closer === 'closeBrace') return items.length === 0 ? { kind: 'all' } : { kind: 'or', items };
    return items.length === 1 ? items[0] : items.length === 0 ? { kind: 'all' } : { kind: 'and', items };
  }

  private parseOr(): SearchNode {
    const items = [this.parseUnary()];
    while (this.peek()?.type === 'or') {
      this.next();
      if (!this.peek() || this.peek()?.type === 'close' || this.peek()?.type === 'closeBrace') {
        throw new SearchSyntaxError(`"OR" needs a term on both sides in search query: ${this.query}`);
      }
      items.push(this.parseUnary());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private parseUnary(): SearchNode {
    const token = this.peek();
    if (token?.type === 'minus') {
      this.next();
      return { kind: 'not', item: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): SearchNode {
    const token = this.next();
    if (!token) throw new SearchSyntaxError(`Unexpected end of search query: ${this.query}`);
    switch (token.type) {
      case 'open': {
        const inner = this.parseSequence('close');
        this.next();
        return inner;
      }
      case 'openBrace': {
        const inner = this.parseSequence('closeBrace');
        this.next();
        return inner;
      }
      case 'phrase':
        return { kind: 'text', value: token.value, phrase: true };
      case 'word':
        return { kind: 'text', value: token.value, phrase: false };
      case 'operator':
        return this.parseOperator(token.name);
      case 'or':
        throw new SearchSyntaxError(`"OR" needs a term on both sides in search query: ${this.query}`);
      default:
        throw new SearchSyntaxError(`Unexpected "${token.type}" in search query: ${this.query}`);
    }
  }

  private parseOperator(name: string): SearchNode {
    if (!KNOWN_OPERATORS.has(name)) throw new SearchSyntaxError(`Unknown search operator "${name}:" in query: ${this.query}`);
    const value = this.next();
    if (!value) throw new SearchSyntaxError(`Missing value after "${name}:" in search query: ${this.query}`);
    if (value.type === 'word' || value.type === 'phrase') return makeOperator(name, value.value, this.context);
    if (value.type === 'open' || value.type === 'openBrace') {
      const inner = this.parseSequence(value.type === 'open' ? 'close' : 'closeBrace');
      this.next();
      return applyOperator(name, inner, this.context);
    }
    throw new SearchSyntaxError(`Missing value after "${name}:" in search query: ${this.query}`);
  }
}

/** `subject:(a OR b)`: the operator applies to every text term of the group. */
function applyOperator(name: string, node: SearchNode, context: SearchContext): SearchNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, items: node.items.map((item) => applyOperator(name, item, context)) };
    case 'not':
      return { kind: 'not', item: applyOperator(name, node.item, context) };
    case 'text':
      return makeOperator(name, node.value, context);
    case 'all':
      return node;
    default:
      throw new SearchSyntaxError(`An operator cannot be nested in "${name}:(...)"`);
  }
}

const IN_LABELS: Record<string, string> = {
  inbox: 'INBOX',
  sent: 'SENT',
  trash: 'TRASH',
  bin: 'TRASH',
  spam: 'SPAM',
  drafts: 'DRAFT',
  draft: 'DRAFT',
  starred: 'STARRED',
  important: 'IMPORTANT',
  chats: 'CHAT',
  chat: 'CHAT',
};

const CATEGORY_LABELS: Record<string, string> = {
  primary: 'CATEGORY_PERSONAL',
  personal: 'CATEGORY_PERSONAL',
  social: 'CATEGORY_SOCIAL',
  promotions: 'CATEGORY_PROMOTIONS',
  updates: 'CATEGORY_UPDATES',
  forums: 'CATEGORY_FORUMS',
};

function makeOperator(name: string, rawValue: string, context: SearchContext): SearchNode {
  const value = rawValue.trim();
  if (value === '') throw new SearchSyntaxError(`Missing value after "${name}:"`);
  const lower = value.toLowerCase();
  switch (name) {
    case 'from':
    case 'to':
    case 'cc':
    case 'bcc':
      return { kind: 'field', field: name, value: lower === 'me' ? context.userEmail : value };
    case 'subject':
    case 'filename':
      return { kind: 'field', field: name, value };
    case 'rfc822msgid':
      return { kind: 'rfc822msgid', value: value.replace(/^<|>$/g, '').toLowerCase() };
    case 'label':
      return { kind: 'label', name: normaliseLabel(value) };
    case 'in':
      if (lower === 'anywhere') return { kind: 'labelId', id: null, anywhere: true };
      if (!IN_LABELS[lower]) throw new SearchSyntaxError(`Unknown value for "in:": ${value}`);
      return { kind: 'labelId', id: IN_LABELS[lower] };
    case 'is':
      if (lower === 'unread') return { kind: 'labelId', id: 'UNREAD' };
      if (lower === 'read') return { kind: 'not', item: { kind: 'labelId', id: 'UNREAD' } };
      if (lower === 'starred') return { kind: 'labelId', id: 'STARRED' };
      if (lower === 'important') return { kind: 'labelId', id: 'IMPORTANT' };
      throw new SearchSyntaxError(`Unknown value for "is:": ${value}`);
    case 'has':
      if (lower === 'attachment' || lower === 'userlabels' || lower === 'nouserlabels') return { kind: 'has', what: lower };
      throw new SearchSyntaxError(`Unknown value for "has:": ${value}`);
    case 'category':
      if (!CATEGORY_LABELS[lower]) throw new SearchSyntaxError(`Unknown value for "category:": ${value}`);
      return { kind: 'labelId', id: CATEGORY_LABELS[lower] };
    case 'after':
    case 'newer':
      return { kind: 'time', op: 'after', ms: parseDate(value, context.timeZone ?? 'UTC', name) };
    case 'before':
    case 'older':
      return { kind: 'time', op: 'before', ms: parseDate(value, context.timeZone ?? 'UTC', name) };
    case 'newer_than':
    case 'older_than': {
      const match = /^(\d+)([dmy])$/i.exec(value);
      if (!match) throw new SearchSyntaxError(`Invalid value for "${name}:": ${value} (expected a number followed by d, m or y)`);
      return {
        kind: 'relative',
        op: name === 'newer_than' ? 'newer' : 'older',
        amount: Number(match[1]),
        unit: match[2].toLowerCase() as 'd' | 'm' | 'y',
      };
    }
    case 'larger':
    case 'smaller':
    case 'size': {
      const match = /^(\d+(?:\.\d+)?)\s*([km]?)b?$/i.exec(value);
      if (!match) throw new SearchSyntaxError(`Invalid size for "${name}:": ${value}`);
      const factor = { '': 1, k: 1024, m: 1024 * 1024 }[match[2].toLowerCase() as '' | 'k' | 'm'];
      return { kind: 'size', op: name === 'smaller' ? 'smaller' : 'larger', bytes: Math.round(Number(match[1]) * factor) };
    }
    default:
      throw new SearchSyntaxError(`Unknown search operator "${name}:"`);
  }
}

/** Gmail writes label names in queries with "-" for spaces and "/": "Postroom/imported" = postroom-imported. */
export function normaliseLabel(name: string): string {
  return name.toLowerCase().replace(/[\s/&()|{}"-]+/g, '-');
}

/** Milliseconds of midnight, local to `timeZone`, on the given calendar day. */
function zonedMidnight(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  const offsetAt = (ms: number): number => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(ms));
    const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - ms;
  };
  const first = guess - offsetAt(guess);
  return guess - offsetAt(first);
}

function parseDate(value: string, timeZone: string, operator: string): number {
  if (/^\d{9,}$/.test(value)) return Number(value) * 1000; // epoch seconds
  const match = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  if (!match) throw new SearchSyntaxError(`Invalid date for "${operator}:": ${value} (expected YYYY/MM/DD)`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) throw new SearchSyntaxError(`Invalid date for "${operator}:": ${value}`);
  return zonedMidnight(year, month, day, timeZone);
}

// ---- matching ---------------------------------------------------------------------------------

/** Words of a text: lower case, accents folded, split on anything that is not a letter or digit. */
export function wordsOf(text: string): string[] {
  return (
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

function containsSequence(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0) return true;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function subtractMonths(now: number, months: number): number {
  const date = new Date(now);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.getTime();
}

export class CompiledSearch {
  constructor(
    readonly root: SearchNode,
    /** True when the query names in:trash, in:spam or in:anywhere (then TRASH/SPAM are not left out). */
    readonly includesSpamTrash: boolean,
    private readonly context: SearchContext,
  ) {}

  /** Whether a message matches. `includeSpamTrash` (messages.list) also lifts the default exclusion. */
  matches(message: StoredMessage, includeSpamTrash = false): boolean {
    if (!includeSpamTrash && !this.includesSpamTrash && (message.labelIds.has('TRASH') || message.labelIds.has('SPAM'))) {
      return false;
    }
    return this.evaluate(this.root, message);
  }

  private evaluate(node: SearchNode, message: StoredMessage): boolean {
    const view = message.view;
    switch (node.kind) {
      case 'all':
        return true;
      case 'and':
        return node.items.every((item) => this.evaluate(item, message));
      case 'or':
        return node.items.some((item) => this.evaluate(item, message));
      case 'not':
        return !this.evaluate(node.item, message);
      case 'text': {
        const needle = wordsOf(node.value);
        const fields = [view.subject, view.from, view.to, view.cc, view.bcc, view.text, view.filenames.join(' ')];
        return fields.some((field) => containsSequence(wordsOf(field), needle));
      }
      case 'field': {
        const needle = wordsOf(node.value);
        const haystack =
          node.field === 'filename' ? view.filenames : node.field === 'to' ? [view.to, view.cc, view.bcc] : [view[node.field]];
        return haystack.some((field) => containsSequence(wordsOf(field), needle));
      }
      case 'rfc822msgid':
        return view.messageIdHeader.replace(/^<|>$/g, '').toLowerCase() === node.value;
      case 'label':
        return [...message.labelIds].some((id) => {
          const name = this.context.labelName(id) ?? id;
          return normaliseLabel(name) === node.name;
        });
      case 'labelId':
        return node.anywhere ? true : node.id !== null && message.labelIds.has(node.id);
      case 'has':
        if (node.what === 'attachment') return view.hasAttachment;
        {
          const hasUser = [...message.labelIds].some((id) => id.startsWith('Label_'));
          return node.what === 'userlabels' ? hasUser : !hasUser;
        }
      case 'time':
        return node.op === 'after' ? message.internalDate >= node.ms : message.internalDate < node.ms;
      case 'relative': {
        const day = 24 * 60 * 60_000;
        const threshold =
          node.unit === 'd'
            ? this.context.now - node.amount * day
            : subtractMonths(this.context.now, node.unit === 'm' ? node.amount : node.amount * 12);
        return node.op === 'newer' ? message.internalDate > threshold : message.internalDate <= threshold;
      }
      case 'size':
        return node.op === 'larger' ? message.sizeEstimate > node.bytes : message.sizeEstimate < node.bytes;
    }
  }
}

function mentionsSpamTrash(node: SearchNode): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.items.some(mentionsSpamTrash);
    case 'not':
      return mentionsSpamTrash(node.item);
    case 'labelId':
      return Boolean(node.anywhere) || node.id === 'TRASH' || node.id === 'SPAM';
    case 'label':
      return node.name === 'trash' || node.name === 'spam';
    default:
      return false;
  }
}

/** Parses a Gmail query. Throws SearchSyntaxError on an unknown operator or a malformed query. */
export function compileSearch(query: string, context: SearchContext): CompiledSearch {
  const root = new Parser(tokenize(query ?? ''), query, context).parseAll();
  return new CompiledSearch(root, mentionsSpamTrash(root), context);
}
