// UrlFetchApp in the emulator and the Gmail REST API behind it: bearer token, Google's JSON error
// bodies, sends whose exact bytes land in SENT, Apps Script's exceptions, fetchAll costing its slowest
// request, transient faults per request, a kill during fetchAll that still performs a seeded subset,
// unreachable hosts and the UrlFetch daily quota.

import { ExecutionTerminated } from '../../emulator/runtime/execution';
import { latencyOf } from '../../emulator/latency';
import { crlf, makeWorld, parseWithMailparser, TOKEN, toBase64Url, USER } from './gmail/world';

const API = 'https://gmail.googleapis.com/gmail/v1/users/me';
const auth = { Authorization: `Bearer ${TOKEN}` };

function message(n: number, to = 'client@acme.fr'): Uint8Array {
  return crlf(
    `From: ${USER}\r\nTo: ${to}\r\nSubject: Facture ${n}\r\nMessage-ID: <inv-${n}@cabinet-durand.fr>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nFacture n°${n}\r\n`,
  );
}

function sendRequest(n: number): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  return {
    url: `${API}/messages/send`,
    method: 'post',
    contentType: 'application/json',
    headers: auth,
    payload: JSON.stringify({ raw: toBase64Url(message(n)) }),
    muteHttpExceptions: true,
  };
}

// https://developers.google.com/workspace/gmail/api/guides/handle-errors
describe('Gmail REST through UrlFetchApp (gmail/api/guides/handle-errors)', () => {
  test('401 without a token and with a wrong one, in Google JSON', () => {
    const { UrlFetchApp } = makeWorld();
    const missing = UrlFetchApp.fetch(`${API}/profile`, { muteHttpExceptions: true });
    expect(missing.getResponseCode()).toBe(401);
    expect(JSON.parse(missing.getContentText()).error).toMatchObject({
      code: 401,
      status: 'UNAUTHENTICATED',
      errors: [{ reason: 'required', domain: 'global', location: 'Authorization', locationType: 'header', message: 'Login Required.' }],
    });
    const wrong = UrlFetchApp.fetch(`${API}/profile`, { headers: { Authorization: 'Bearer nope' }, muteHttpExceptions: true });
    expect(wrong.getResponseCode()).toBe(401);
    expect(JSON.parse(wrong.getContentText()).error.errors[0]).toMatchObject({ reason: 'authError', message: 'Invalid Credentials' });
    expect(wrong.getHeaders()).toMatchObject({ 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' });
  });

  test('without muteHttpExceptions an error status throws Apps Script\'s "Request failed" message', () => {
    const { UrlFetchApp } = makeWorld();
    expect(() => UrlFetchApp.fetch(`${API}/messages/0000000000000001?format=full`, { headers: auth })).toThrow(
      /^Request failed for https:\/\/gmail\.googleapis\.com\/gmail\/v1\/users\/me\/messages\/0000000000000001 returned code 404\. Truncated server response: \{\n {2}"error": \{.{0,90}\.\.\. \(use muteHttpExceptions option to examine full response\)$/s,
    );
  });

  test('messages/send with {raw} (padded or not): exact bytes in SENT, parsed back by mailparser', async () => {
    const world = makeWorld();
    const bytes = message(1);
    const response = world.UrlFetchApp.fetch(`${API}/messages/send`, {
      method: 'post',
      contentType: 'application/json',
      headers: auth,
      payload: JSON.stringify({ raw: toBase64Url(bytes, false) }),
    });
    expect(response.getResponseCode()).toBe(200);
    const sent = JSON.parse(response.getContentText());
    expect(sent).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/), threadId: sent.id, labelIds: ['SENT'] });
    const stored = world.mailbox.sentMessages();
    expect(stored).toHaveLength(1);
    expect(stored[0].raw).toEqual(bytes);
    const parsed = await parseWithMailparser(stored[0].raw);
    expect(parsed.subject).toBe('Facture 1');
    expect(parsed.text).toBe('Facture n°1\n');
    expect(world.accounting.total.calls['Gmail.REST.messages.send']).toBe(1);
    expect(world.accounting.total.gmailUnits).toBe(100);
    expect(world.accounting.total.recipients).toBe(1);
  });

  test('/upload/ with uploadType=media takes the message/rfc822 bytes; the www.googleapis.com host works too', () => {
    const world = makeWorld();
    const bytes = message(2, `${USER}, b@acme.fr`);
    const response = world.UrlFetchApp.fetch('https://www.googleapis.com/upload/gmail/v1/users/me/messages/send?uploadType=media', {
      method: 'post',
      contentType: 'message/rfc822',
      headers: auth,
      payload: bytes as unknown as string,
    });
    expect(response.getResponseCode()).toBe(200);
    expect(JSON.parse(response.getContentText()).labelIds).toEqual(['SENT', 'INBOX', 'UNREAD']);
    expect(world.mailbox.sentMessages()[0].raw).toEqual(bytes);
    const list = world.UrlFetchApp.fetch('https://www.googleapis.com/gmail/v1/users/me/messages?q=in:inbox&maxResults=10', {
      headers: auth,
    });
    expect(JSON.parse(list.getContentText()).messages).toHaveLength(1);
  });

  test('REST error bodies: bad JSON, invalid label, unknown query operator, labels conflict, unknown method', () => {
    const { UrlFetchApp } = makeWorld();
    const post = (path: string, payload: string) =>
      UrlFetchApp.fetch(`${API}${path}`, {
        method: 'post',
        contentType: 'application/json',
        headers: auth,
        payload,
        muteHttpExceptions: true,
      });
    const badJson = post('/messages/send', '{raw:');
    expect(badJson.getResponseCode()).toBe(400);
    expect(JSON.parse(badJson.getContentText()).error.errors[0].reason).toBe('parseError');
    const list = UrlFetchApp.fetch(`${API}/messages?q=${encodeURIComponent('foo:bar')}`, { headers: auth, muteHttpExceptions: true });
    expect(list.getResponseCode()).toBe(400);
    expect(JSON.parse(list.getContentText()).error.message).toMatch(/^Invalid search query: Unknown search operator "foo:"/);
    expect(post('/labels', JSON.stringify({ name: 'Postroom/imported' })).getResponseCode()).toBe(200);
    const conflict = post('/labels', JSON.stringify({ name: 'Postroom/imported' }));
    expect(conflict.getResponseCode()).toBe(409);
    expect(JSON.parse(conflict.getContentText()).error).toMatchObject({
      message: 'Label name exists or conflicts',
      status: 'ALREADY_EXISTS',
    });
    const modify = post('/messages/batchModify', JSON.stringify({ ids: ['0000000000000001'], addLabelIds: ['Label_42'] }));
    expect(JSON.parse(modify.getContentText()).error).toEqual({
      code: 400,
      message: 'Invalid label: Label_42',
      errors: [{ message: 'Invalid label: Label_42', domain: 'global', reason: 'invalidArgument' }],
      status: 'INVALID_ARGUMENT',
    });
    expect(UrlFetchApp.fetch(`${API}/nothing`, { headers: auth, muteHttpExceptions: true }).getResponseCode()).toBe(404);
  });

  test('drafts over REST: create, send, and a second send of the same draft is 404', () => {
    const world = makeWorld();
    const call = (method: 'get' | 'post' | 'delete', path: string, payload?: unknown) =>
      world.UrlFetchApp.fetch(`${API}${path}`, {
        method,
        contentType: 'application/json',
        headers: auth,
        payload: payload === undefined ? undefined : JSON.stringify(payload),
        muteHttpExceptions: true,
      });
    const draft = JSON.parse(call('post', '/drafts', { message: { raw: toBase64Url(message(3)) } }).getContentText());
    expect(call('get', `/drafts/${draft.id}`).getResponseCode()).toBe(200);
    expect(call('post', '/drafts/send', { id: draft.id }).getResponseCode()).toBe(200);
    expect(call('post', '/drafts/send', { id: draft.id }).getResponseCode()).toBe(404);
    expect(call('get', `/drafts/${draft.id}`).getResponseCode()).toBe(404);
    const other = JSON.parse(call('post', '/drafts', { message: { raw: toBase64Url(message(4)) } }).getContentText());
    const deleted = call('delete', `/drafts/${other.id}`);
    expect(deleted.getResponseCode()).toBe(204);
    expect(deleted.getContentText()).toBe('');
    expect(world.mailbox.sentMessages().map((entry) => entry.subject)).toEqual(['Facture 3']);
  });

  test('the 15,000 units/min quota answers 429 userRateLimitExceeded with Retry-After, and recovers', () => {
    const world = makeWorld({ quotas: { limits: { gmailUnitsPerMinute: 300 } } });
    const responses = world.UrlFetchApp.fetchAll([1, 2, 3, 4].map(sendRequest));
    expect(responses.map((response) => response.getResponseCode())).toEqual([200, 200, 200, 429]);
    const body = JSON.parse(responses[3].getContentText());
    expect(body.error).toEqual({
      code: 429,
      message: 'User-rate limit exceeded',
      errors: [{ message: 'User-rate limit exceeded', domain: 'usageLimits', reason: 'userRateLimitExceeded' }],
      status: 'RESOURCE_EXHAUSTED',
    });
    expect(Number(responses[3].getHeaders()['Retry-After'])).toBeGreaterThan(0);
    world.clock.advance(60_000);
    expect(world.UrlFetchApp.fetch(sendRequest(5).url, sendRequest(5)).getResponseCode()).toBe(200);
    expect(world.mailbox.sentMessages()).toHaveLength(4);
  });
});

// https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#fetchAll(Object)
describe('UrlFetchApp semantics (reference/url-fetch/url-fetch-app)', () => {
  test('fetchAll is ONE call whose latency is the slowest request, each request counted', () => {
    const world = makeWorld();
    const start = world.clock.now();
    const requests = [
      { url: `${API}/labels`, headers: auth },
      { url: `${API}/profile`, headers: auth },
      sendRequest(1),
      { url: `${API}/messages`, headers: auth },
    ];
    const responses = world.UrlFetchApp.fetchAll(requests);
    expect(responses.map((response) => response.getResponseCode())).toEqual([200, 200, 200, 200]);
    expect(world.clock.now() - start).toBe(latencyOf('Gmail.Users.Messages.send'));
    expect(latencyOf('Gmail.Users.Messages.send')).toBeGreaterThan(latencyOf('Gmail.Users.Labels.list'));
    expect(world.accounting.total.calls['UrlFetchApp.fetchAll']).toBe(1);
    expect(world.accounting.callsMatching('Gmail.REST.')).toBe(4);
    expect(world.accounting.total.gmailUnits).toBe(1 + 1 + 100 + 5);
    expect(world.quotas.remainingUrlFetch()).toBe(20_000 - 4);
  });

  test('a kill at fetchAll performs a seeded-random subset of the requests; the script sees none', () => {
    const performedBySeed: number[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const world = makeWorld({ faults: { seed, killExecution: 1, killAtCall: 1 } });
      world.startExecution();
      let thrown: unknown;
      try {
        world.UrlFetchApp.fetchAll(Array.from({ length: 10 }, (_, i) => sendRequest(i)));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ExecutionTerminated);
      const sent = world.mailbox.sentMessages().map((entry) => entry.subject);
      expect(new Set(sent).size).toBe(sent.length);
      performedBySeed.push(sent.length);
      // After the kill, nothing else can happen in this execution.
      expect(() => world.UrlFetchApp.fetch(`${API}/profile`, { headers: auth })).toThrow('Execution killed');
      expect(world.mailbox.sentMessages()).toHaveLength(sent.length);
    }
    expect(performedBySeed.some((count) => count > 0 && count < 10)).toBe(true);
    expect(new Set(performedBySeed).size).toBeGreaterThan(1);
    // Reproducible from the seed.
    const again = makeWorld({ faults: { seed: 1, killExecution: 1, killAtCall: 1 } });
    again.startExecution();
    expect(() => again.UrlFetchApp.fetchAll(Array.from({ length: 10 }, (_, i) => sendRequest(i)))).toThrow(ExecutionTerminated);
    expect(again.mailbox.sentMessages()).toHaveLength(performedBySeed[0]);
  });

  test('transient faults per request: 429 with Retry-After, 500/503 Google JSON, network errors throw', () => {
    const world = makeWorld({ faults: { seed: 7, rateByMethod: { 'UrlFetchApp.fetch': 1 } } });
    const seen = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      try {
        const response = world.UrlFetchApp.fetch(`${API}/profile`, { headers: auth, muteHttpExceptions: true });
        const code = response.getResponseCode();
        seen.set(String(code), (seen.get(String(code)) ?? 0) + 1);
        const body = JSON.parse(response.getContentText());
        if (code === 429) {
          expect(body.error.errors[0].reason).toBe('rateLimitExceeded');
          expect(response.getHeaders()['Retry-After']).toBe('1');
        }
        if (code === 500) expect(body.error).toMatchObject({ message: 'Backend Error', status: 'INTERNAL' });
        if (code === 503) expect(body.error).toMatchObject({ status: 'UNAVAILABLE' });
      } catch (error) {
        expect((error as Error).message).toBe(`Address unavailable: ${API}/profile`);
        seen.set('network', (seen.get('network') ?? 0) + 1);
      }
    }
    expect([...seen.keys()].sort()).toEqual(['429', '500', '503', 'network']);
    expect(world.accounting.faultsInjected).toBe(40);
  });

  test('other hosts are unreachable (nothing reaches the network); bad URLs are invalid arguments', () => {
    const { UrlFetchApp } = makeWorld();
    expect(() => UrlFetchApp.fetch('https://example.com/api')).toThrow('DNS error: https://example.com/api');
    expect(() => UrlFetchApp.fetchAll(['https://example.com/x'])).toThrow('DNS error: https://example.com/x');
    expect(() => UrlFetchApp.fetch('not a url')).toThrow('Invalid argument: not a url');
  });

  test("the UrlFetch daily quota throws Apps Script's message, and frees after 24 h", () => {
    const world = makeWorld({ quotas: { limits: { urlFetchPerDay: 3 } } });
    for (let i = 0; i < 3; i++) world.UrlFetchApp.fetch(`${API}/profile`, { headers: auth });
    expect(() => world.UrlFetchApp.fetch(`${API}/profile`, { headers: auth })).toThrow(
      'Service invoked too many times for one day: urlfetch.',
    );
    world.clock.advance(24 * 60 * 60_000);
    expect(world.UrlFetchApp.fetch(`${API}/profile`, { headers: auth }).getResponseCode()).toBe(200);
  });

  test('HTTPResponse: headers, signed content bytes, blob with the content type', () => {
    const { UrlFetchApp } = makeWorld();
    const response = UrlFetchApp.fetch(`${API}/profile`, { headers: auth });
    expect(response.getHeaders()).toEqual({ 'Content-Type': 'application/json; charset=UTF-8' });
    expect(response.getAllHeaders()).toEqual(response.getHeaders());
    const profile = JSON.parse(response.getContentText());
    expect(profile).toMatchObject({ emailAddress: USER, messagesTotal: 0, threadsTotal: 0 });
    expect(Buffer.from(response.getContent().map((byte) => byte & 0xff)).toString()).toBe(response.getContentText());
    expect(response.getBlob().getContentType()).toBe('application/json');
  });
});
