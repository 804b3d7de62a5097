// Shared helpers for every fake: the "Not emulated" guard, the iterator contract and the Date factory.
// A fake implements `Pick<GoogleAppsScript.…>` of the members it emulates; `withNotEmulated` wraps it
// in a Proxy so that calling any other member throws `Not emulated: <Service.Class.member>` instead of
// "x is not a function", which tells a script author exactly where the emulator stops.

/** Property names that tools probe on any object (promises, JSON, jest, util.inspect): never traps. */
const PROBED_NAMES = new Set([
  'then',
  'catch',
  'toJSON',
  'constructor',
  'toString',
  'valueOf',
  'inspect',
  'nodeType',
  'asymmetricMatch',
  '$$typeof',
  'length',
  'prototype',
  'call',
  'apply',
  'bind',
  '__proto__',
  'tagName',
]);

export function notEmulated(member: string): Error {
  return new Error(`Not emulated: ${member}`);
}

/**
 * Wraps a fake so that an unknown member, when called, throws `Not emulated: <name>.<member>`.
 * Reading an unknown member yields a function (so the error names the member at call time);
 * well-known probes (then, toJSON, symbols…) stay undefined.
 */
export function withNotEmulated<T extends object>(target: T, name: string): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (typeof prop === 'symbol' || prop in obj || PROBED_NAMES.has(prop) || prop.startsWith('_') || prop.startsWith('@@')) {
        return Reflect.get(obj, prop, receiver);
      }
      return () => {
        throw notEmulated(`${name}.${prop}`);
      };
    },
  });
}

/**
 * Apps Script's iterator contract (FileIterator, FolderIterator): hasNext() / next(), next() past the
 * end throws. https://developers.google.com/apps-script/reference/drive/file-iterator
 */
export class FakeIterator<T> {
  private index = 0;
  constructor(
    private readonly items: readonly T[],
    private readonly onStep: (method: 'hasNext' | 'next', step: () => unknown) => unknown = (_m, step) => step(),
  ) {}

  hasNext(): boolean {
    return this.onStep('hasNext', () => this.index < this.items.length) as boolean;
  }

  next(): T {
    return this.onStep('next', () => {
      if (this.index >= this.items.length) {
        // Message as thrown by DriveApp iterators (quoted verbatim in many public scripts).
        throw new Error('Cannot retrieve the next object: iterator has reached the end.');
      }
      return this.items[this.index++];
    }) as T;
  }

  getContinuationToken(): string {
    throw notEmulated('DriveApp.Iterator.getContinuationToken');
  }
}

/**
 * Makes the Date objects handed to scripts. The runner passes the sandbox's own Date constructor so
 * that `value instanceof Date` holds inside the vm; tests use the host's.
 */
export type DateFactory = (epochMs: number) => Date;
export const hostDate: DateFactory = (epochMs) => new Date(epochMs);

/** Whether a value a script passed is a Date (from any realm, or the runner's virtual Date): anything with a numeric getTime(). */
export function isDateLike(value: unknown): value is { getTime(): number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { getTime?: unknown }).getTime === 'function' &&
    typeof (value as { getTime(): unknown }).getTime() === 'number'
  );
}
