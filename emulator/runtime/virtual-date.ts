// The script's `Date` inside the sandbox: every native behaviour, except that "now" is the virtual
// clock. `new Date()` with no arguments, `Date()` called as a function and `Date.now()` read the
// workspace's VirtualClock, so a script's own time budgets ("stop after 4.5 minutes") run in virtual
// time, the same time the 6-minute deadline is measured in. Instances are real host-realm Dates, so
// Dates made by the script and Dates returned by emulated services (getValues, getDate) are the same
// kind of object, and `value instanceof Date` holds for both.

export type VirtualDateConstructor = DateConstructor;

/** A Date constructor whose notion of "now" is `now()`. One per execution (its prototype is its own). */
export function makeVirtualDate(now: () => number): VirtualDateConstructor {
  const NativeDate = Date;
  // A function, not a class: `Date()` without `new` must return a string, as in JavaScript.
  function VirtualDate(this: unknown, ...args: unknown[]): unknown {
    if (!new.target) return new NativeDate(now()).toString();
    const date = args.length === 0 ? new NativeDate(now()) : new (NativeDate as unknown as new (...values: unknown[]) => Date)(...args);
    Object.setPrototypeOf(date, new.target.prototype);
    return date;
  }
  // Own prototype inheriting Date.prototype: a script that patches Date.prototype patches only its
  // own execution's copy, never the host's Date.
  const prototype = Object.create(NativeDate.prototype) as Date;
  Object.defineProperty(prototype, 'constructor', { value: VirtualDate, writable: true, configurable: true });
  Object.defineProperty(VirtualDate, 'prototype', { value: prototype, writable: false });
  Object.defineProperties(VirtualDate, {
    now: { value: () => now(), writable: true, configurable: true },
    parse: { value: NativeDate.parse, writable: true, configurable: true },
    UTC: { value: NativeDate.UTC, writable: true, configurable: true },
    name: { value: 'Date' },
    length: { value: 7 },
    // Dates made by emulated services (host Date.prototype) are Dates for the script too.
    [Symbol.hasInstance]: { value: (value: unknown) => value instanceof NativeDate },
  });
  return VirtualDate as unknown as VirtualDateConstructor;
}
