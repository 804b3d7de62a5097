// Reading Apps Script's own digest: Utilities.computeDigest returns SIGNED bytes (-128..127), which
// must be masked before being written as hex. SHA-256 itself lives in ../sha256.ts.
// https://developers.google.com/apps-script/reference/utilities/utilities#computeDigest(DigestAlgorithm,Byte)

import { toHex } from '../sha256';

export { sha256, sha256Hex, toHex } from '../sha256';

/** Hex of a digest from Utilities.computeDigest (signed bytes, e.g. [-70, 120, …]). */
export function hexFromSignedDigest(signed: readonly number[]): string {
  for (let i = 0; i < signed.length; i++) {
    if (!Number.isInteger(signed[i]) || signed[i] < -128 || signed[i] > 127)
      throw new RangeError(`digest byte ${i} is ${signed[i]}, not a signed byte`);
  }
  return toHex(signed);
}
