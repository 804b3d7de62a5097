// Durable progress at short execution budgets: a 14-row list where EVERY execution is killed at its
// k-th service call (unflushed Sheets writes lost), for a sweep of k, with and without 10 % transient
// faults; executions run until the job is done, and every row must be in SENT exactly once and `sent`
// in the sheet with that message's id. The sweep starts at 10 calls (9 that succeed): a continuing
// execution takes the lock (2), loads the user properties (2), gets the token, reads the tab by REST
// with the first SENT page and the attachments folder's files in the same fetchAll, writes the group's
// intent by REST in the fetchAll of the burst's files, encodes with the platform's base64, and sends as
// its 9th call; the start and the safety trigger are steps of their own, each saved within 9 calls
// (README, known limits). Every k from there to 61. The fault cases draw their faults from seed 1000 + k
// (with seed k, k = 53 gave a run whose executions all ended before their 53rd call: no kill, no proof).

import { ensureBuilt, invoiceRows, runFaultCase } from './helpers';

const SMALLEST_BUDGET = 10;
const LARGEST_BUDGET = 61;

describe('every execution killed at its k-th call, for a sweep of k', () => {
  beforeAll(ensureBuilt);
  const ks = Array.from({ length: LARGEST_BUDGET - SMALLEST_BUDGET + 1 }, (_, i) => SMALLEST_BUDGET + i);

  it.each(ks)('kill every %i calls: every row sent exactly once', (k) => {
    const result = runFaultCase({ seed: k, killEvery: k }, invoiceRows(14));
    expect(result.killed).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
  });

  it.each(ks)('kill every %i calls with 10 %% faults: every row sent exactly once', (k) => {
    const result = runFaultCase({ seed: 1000 + k, killEvery: k, rate: 0.1 }, invoiceRows(14));
    expect(result.killed).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
  });

  it('kill every 40 calls (the budget the CLI was tried with): the run ends, all 14 rows sent once', () => {
    const result = runFaultCase({ seed: 40, killEvery: 40 }, invoiceRows(14));
    expect(result.problems).toEqual([]);
  });
});
