// Port: the time, so jobs run on the emulator's virtual clock as on the real one.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}
