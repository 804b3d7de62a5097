// Parses the receiving server's `Authentication-Results` header (RFC 8601) into SPF / DKIM / DMARC
// verdicts. A whitelisted From: is trivial to forge; these verdicts, computed by Gmail at delivery,
// are what says whether the sender's domain really sent the message.
// Only the topmost header stamped by Gmail's own authserv-id (`mx.google.com`) is trusted: anyone can
// put an `Authentication-Results: mx.google.com; spf=pass` line in the mail they send, and the receiver
// prepends its own above the ones it received. https://www.rfc-editor.org/rfc/rfc8601#section-5

/** A method result as written in the header; 'none' when the method is absent. */
export type AuthVerdict = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy' | 'unknown';

export interface AuthResults {
  /** The authserv-id of the header these verdicts come from ('' when no header was found). */
  authservId: string;
  spf: AuthVerdict;
  /** The domain SPF checked (`smtp.mailfrom`, else `smtp.helo`), lower-cased; '' when absent. */
  spfDomain: string;
  /** 'pass' when at least one signature passed, else the first signature's result. */
  dkim: AuthVerdict;
  /** Signing domains (`header.d`, or the domain of `header.i`) of the signatures that passed. */
  dkimDomains: string[];
  dmarc: AuthVerdict;
  /** The From: domain DMARC evaluated (`header.from`); '' when absent. */
  dmarcDomain: string;
}

export const GMAIL_AUTHSERV_ID = 'mx.google.com';

const VERDICTS = new Set<AuthVerdict>(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']);

/** Result of no authentication information at all. */
export function emptyAuthResults(): AuthResults {
  return { authservId: '', spf: 'none', spfDomain: '', dkim: 'none', dkimDomains: [], dmarc: 'none', dmarcDomain: '' };
}

function stripComments(text: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      out += ch;
      if (ch === '\\' && i + 1 < text.length) out += text[++i];
      else if (ch === '"') quoted = false;
    } else if (ch === '\\' && depth > 0) i++;
    else if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) {
      if (ch === '"') quoted = true;
      out += ch;
    }
  }
  return out;
}

function verdictOf(text: string): AuthVerdict {
  const v = text.toLowerCase() as AuthVerdict;
  return VERDICTS.has(v) ? v : 'unknown';
}

function domainOfIdentity(value: string): string {
  const unquoted = value.replace(/^"|"$/g, '');
  const at = unquoted.lastIndexOf('@');
  return (at >= 0 ? unquoted.slice(at + 1) : unquoted).toLowerCase().replace(/\.$/, '');
}

/** Parses one Authentication-Results header value. */
export function parseAuthenticationResults(headerValue: string): AuthResults {
  const result = emptyAuthResults();
  const statements = stripComments(headerValue.replace(/\r?\n[ \t]*/g, ' ')).split(';');
  result.authservId = (statements.shift() ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  let dkimFirst: AuthVerdict | null = null;
  for (const statement of statements) {
    const tokens = statement.trim().split(/\s+/).filter(Boolean);
    const head = /^([a-z0-9-]+)=([a-z]+)$/i.exec(tokens[0] ?? '');
    if (!head) continue;
    const method = head[1].toLowerCase();
    const verdict = verdictOf(head[2]);
    const props: Record<string, string> = {};
    for (const token of tokens.slice(1)) {
      const eq = token.indexOf('=');
      if (eq > 0) props[token.slice(0, eq).toLowerCase()] = token.slice(eq + 1);
    }
    if (method === 'spf') {
      result.spf = verdict;
      const identity = props['smtp.mailfrom'] ?? props['smtp.helo'] ?? '';
      result.spfDomain = identity ? domainOfIdentity(identity) : '';
    } else if (method === 'dkim') {
      if (dkimFirst === null) dkimFirst = verdict;
      const domain = props['header.d'] ? domainOfIdentity(props['header.d']) : props['header.i'] ? domainOfIdentity(props['header.i']) : '';
      if (verdict === 'pass') {
        result.dkim = 'pass';
        if (domain && !result.dkimDomains.includes(domain)) result.dkimDomains.push(domain);
      }
    } else if (method === 'dmarc') {
      result.dmarc = verdict;
      result.dmarcDomain = props['header.from'] ? domainOfIdentity(props['header.from']) : '';
    }
  }
  if (result.dkim !== 'pass' && dkimFirst !== null) result.dkim = dkimFirst;
  return result;
}

/**
 * The verdicts from the topmost `Authentication-Results` header stamped by `authservId` (Gmail's by
 * default). Headers are given in message order (top first), as the Gmail API returns them.
 * Returns empty results (all 'none') when there is no such header.
 */
export function pickAuthenticationResults(headerValues: readonly string[], authservId = GMAIL_AUTHSERV_ID): AuthResults {
  for (const value of headerValues) {
    const parsed = parseAuthenticationResults(value);
    if (parsed.authservId === authservId.toLowerCase()) return parsed;
  }
  return emptyAuthResults();
}
