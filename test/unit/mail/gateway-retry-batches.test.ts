// The gateway's retries of idempotent reads after a fetchAll failed at the network level: tried again
// RETRY_BATCH requests per call (one bad request in a large retry would fail all the others again),
// and the send check's reads of SENT (listSent) RETRY_BATCH per call from the first attempt.

import { createMailGateway, RETRY_BATCH } from '../../../src/server/adapters/gmail/gateway-core';
import type { ApiAnswer, ApiRequest, GmailTransport } from '../../../src/server/adapters/gmail/api-request';
import { mailErrorFromHttp } from '../../../src/server/domain/mail/error-mapping';

/** A transport whose calls of more than `failAbove` requests fail whole at the network level. */
function transport(failAbove: number, calls: ApiRequest[][]): GmailTransport {
  return {
    kind: 'rest',
    run(requests) {
      calls.push([...requests]);
      return requests.map((request): ApiAnswer => {
        if (requests.length > failAbove) {
          const error = mailErrorFromHttp('read', { status: 0, networkError: 'Address unavailable' }, 0)!;
          return { ok: false, error };
        }
        if (request.method === 'messages.list')
          return { ok: true, json: { messages: Array.from({ length: 30 }, (_, i) => ({ id: `m${i}` })) } };
        const id = request.method === 'messages.get' ? request.id : '';
        return { ok: true, json: { id, threadId: `t${id}`, internalDate: '1', payload: { headers: [] } } };
      });
    },
  };
}

function gateway(failAbove: number, calls: ApiRequest[][]) {
  return createMailGateway(transport(failAbove, calls), {
    sleep: () => undefined,
    random: () => 0.5,
    codecs: { base64DecodeEach: (texts) => texts.map(() => new Uint8Array()) },
  });
}

describe('idempotent reads after a network failure of a whole call', () => {
  it('are tried again RETRY_BATCH at a time, and all answered', () => {
    const calls: ApiRequest[][] = [];
    const ids = Array.from({ length: 30 }, (_, i) => `m${i}`);
    const answers = gateway(RETRY_BATCH, calls).getMessages(ids, 'minimal');
    expect(answers.every((answer) => answer.ok)).toBe(true);
    expect(calls.map((call) => call.length)).toEqual([30, 10, 10, 10]);
  });

  it('the reads of SENT go RETRY_BATCH per call from the first attempt', () => {
    const calls: ApiRequest[][] = [];
    const page = gateway(RETRY_BATCH, calls).listSent({ max: 100 });
    expect(page.ok && page.value.messages).toHaveLength(30);
    expect(calls.map((call) => call.length)).toEqual([1, 10, 10, 10]);
  });
});
