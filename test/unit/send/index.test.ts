// The public entry of the Send domain exports each module's API, with no name clash between modules.

import * as send from '../../../src/server/domain/send';

describe('send domain index', () => {
  it('exposes the functions the job uses', () => {
    const names = [
      'parseSendSettings',
      'parseSendRows',
      'planSend',
      'buildMessage',
      'makeMessageId',
      'toMessageInput',
      'SendPacer',
      'decideRetry',
      'dailyCapStatus',
      'createProgress',
      'viewProgress',
      'serializeProgress',
      'renderTemplate',
      'parseAddressList',
      'describeRowProblems',
    ];
    for (const name of names) expect(typeof (send as Record<string, unknown>)[name]).toBe('function');
    expect(send.SEND_HEADERS[0]).toBe('key');
  });
});
