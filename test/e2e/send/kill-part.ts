// The kill-at-every-index proof, shared by kill-0..3.test.ts (jest runs the four files in parallel):
// a clean 50-row send takes N service calls in its first execution; for every k in 1..N whose
// k mod 4 is `part`, a fresh workspace kills that execution at its k-th call (a fetchAll killed
// mid-call still delivers a seeded random subset of its requests; unflushed Sheets writes are lost),
// then executions run until the job is done, and every row must be in SENT exactly once and `sent`
// in the sheet with the id of that message.

import { cleanRunCalls, ensureBuilt, runFaultCase } from './helpers';

export function describeKillPart(part: number, parts = 4): void {
  describe(`kill the first execution at every call index ≡ ${part} (mod ${parts})`, () => {
    beforeAll(ensureBuilt);
    it('sends every valid row exactly once, whatever the call the execution died at', () => {
      const total = cleanRunCalls();
      expect(total).toBeGreaterThan(100);
      const failures: string[] = [];
      let killed = 0;
      for (let k = 1 + part; k <= total + 1; k += parts) {
        const result = runFaultCase({ seed: k, killExecution: 1, killAtCall: k });
        killed += result.killed;
        if (result.problems.length) failures.push(`kill at call ${k}: ${result.problems.slice(0, 3).join('; ')}`);
      }
      expect(failures).toEqual([]);
      // Every case but the one past the end (k = N + 1) really killed the execution.
      const cases = Math.floor((total + 1 - (1 + part)) / parts) + 1;
      expect(killed).toBeGreaterThanOrEqual(cases - 1);
    });
  });
}
