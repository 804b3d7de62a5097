// The platform codecs adapter's pure part: any base64 / base64url text, padded or not, becomes the
// padded web-safe text Utilities.base64DecodeWebSafe reads. (The adapter itself runs in the e2e tests,
// where every Receipts sha256 is checked against the stored file's own digest.)

import { toPaddedWebSafe } from '../../../src/server/adapters/collect-codecs';

describe('toPaddedWebSafe', () => {
  it.each([
    ['', ''],
    ['QQ', 'QQ=='],
    ['QQ==', 'QQ=='],
    ['QUI', 'QUI='],
    ['QUJD', 'QUJD'],
    ['+/+/', '-_-_'],
    ['-_8', '-_8='],
    ['QU\r\nJD', 'QUJD'],
  ])('%j → %j', (input, expected) => {
    expect(toPaddedWebSafe(input)).toBe(expected);
    expect(Buffer.from(toPaddedWebSafe(input), 'base64url')).toEqual(
      Buffer.from(input.replace(/\s/g, ''), input.includes('-') || input.includes('_') ? 'base64url' : 'base64'),
    );
  });
});
