// The google.script.run value rules, applied to an "rpc" execution's arguments and result.
// "Legal parameters and return values are JavaScript primitives like a Number, Boolean, String, or
// null, as well as JavaScript objects and arrays that are composed of primitives, objects and arrays
// ... Requests fail if you attempt to pass a Date, Function, DOM element besides a form, or other
// prohibited type, including prohibited types inside objects or arrays. Objects that create circular
// references will also fail, and undefined fields within arrays become null."
// https://developers.google.com/apps-script/guides/html/communication#parameters_and_return_values
// What the browser reports for an illegal argument ("Failed due to illegal value in property: 0") and
// that a result holding a Date reaches the success handler as null are observed behaviours, reported
// publicly (see emulator/FIDELITY.md); the documentation only says the request fails.

export class RpcValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Error';
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null; // Object.prototype of any realm
}

/** The first illegal property path in `value`, or null when the value may cross google.script.run. */
export function findIllegalValue(value: unknown, path: string, seen = new Set<object>()): string | null {
  if (value === null || value === undefined) return null;
  const type = typeof value;
  if (type === 'string' || type === 'boolean') return null;
  if (type === 'number') return null;
  if (type === 'function' || type === 'symbol' || type === 'bigint') return path;
  const object = value as object;
  if (Object.prototype.toString.call(object) === '[object Date]') return path;
  if (seen.has(object)) return path; // circular
  seen.add(object);
  if (Array.isArray(object)) {
    for (let i = 0; i < object.length; i++) {
      const bad = findIllegalValue(object[i], String(i), seen);
      if (bad !== null) return bad;
    }
  } else if (isPlainObject(object)) {
    for (const [key, member] of Object.entries(object)) {
      const bad = findIllegalValue(member, key, seen);
      if (bad !== null) return bad;
    }
  } else {
    return path;
  }
  seen.delete(object);
  return null;
}

/** Arguments as the server function receives them: checked, then copied through JSON. */
export function marshalRpcArguments(args: unknown[]): unknown[] {
  args.forEach((argument, index) => {
    const bad = findIllegalValue(argument, String(index));
    if (bad !== null) throw new RpcValueError(`Failed due to illegal value in property: ${bad}`);
  });
  return args.map((argument) => (argument === undefined ? null : JSON.parse(JSON.stringify(argument))));
}

/** The result as the success handler receives it: a copy through JSON, or null when it is illegal. */
export function marshalRpcResult(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (findIllegalValue(value, 'result') !== null) return null;
  return JSON.parse(JSON.stringify(value));
}
