// Progress state: the seeds' live messages in FR and EN, counts, rate, ETA, pauses, and the 9 KB bound.

import { PostroomError } from '../../../src/server/domain/errors';
import {
  cancelProgress,
  createProgress,
  finishProgress,
  MAX_EVENTS,
  MAX_PROGRESS_BYTES,
  parseProgress,
  pauseByUser,
  pauseForQuota,
  pauseForRate,
  recordFailed,
  recordRetry,
  recordSent,
  resumeProgress,
  serializeProgress,
  startProgress,
  viewProgress,
  type SendProgress,
} from '../../../src/server/domain/send/progress';

const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);
const opts = (now: number) => ({ now });

/** A 50-invoice run with 48 successes and 2 errors (rows 4 and 20), one email every 400 ms. */
function run50(): SendProgress {
  let p = startProgress(createProgress('job-1', 50, T0), T0);
  for (let i = 1; i <= 50; i++) {
    const now = T0 + i * 400;
    if (i === 4) p = recordFailed(p, { key: 'CCT456', files: ['FACTURE2.pdf'], error: 'Invalid email' }, now);
    else if (i === 20) p = recordFailed(p, { key: 'CCT999', files: [], error: 'Attachment not found: X.pdf' }, now);
    else p = recordSent(p, { key: `CCT${100 + i}`, files: ['FACTURE_2025_01.pdf'], recipients: ['a@x.fr', 'b@x.fr'] }, now);
  }
  return p;
}

describe('events in the seeds’ words', () => {
  it('renders sent, error and finished lines in French and English', () => {
    let p = startProgress(createProgress('job-1', 50, T0), T0);
    p = recordSent(p, { key: 'CCT121', files: ['A.pdf'], recipients: ['z@x.fr'] }, T0 + 1);
    p = recordSent(p, { key: 'CCT122', files: ['B.pdf'], recipients: ['z@x.fr'] }, T0 + 2);
    p = recordSent(p, { key: 'CCT123', files: ['FACTURE_2025_01.pdf'], recipients: ['a@x.fr', 'b@x.fr'] }, T0 + 3);
    p = recordFailed(p, { key: 'CCT456', files: ['FACTURE2.pdf'], error: 'Invalid email' }, T0 + 4);
    const fr = viewProgress(p, 'fr', opts(T0 + 5)).events;
    const en = viewProgress(p, 'en', opts(T0 + 5)).events;
    expect(fr.slice(-2)).toEqual([
      '✅ Email 3/50 envoyé : CCT123 - FACTURE_2025_01.pdf → a@x.fr, b@x.fr',
      '⚠️ Email 4/50 ERREUR : CCT456 - FACTURE2.pdf : Invalid email',
    ]);
    expect(en.slice(-2)).toEqual([
      '✅ Email 3/50 sent: CCT123 - FACTURE_2025_01.pdf → a@x.fr, b@x.fr',
      '⚠️ Email 4/50 ERROR: CCT456 - FACTURE2.pdf: Invalid email',
    ]);
    expect(fr[0]).toBe('▶️ Envoi démarré : 50 facture(s)');
  });

  it('says the run is over: 48 successes, 2 errors out of 50', () => {
    const p = finishProgress(run50(), T0 + 21_000);
    expect(viewProgress(p, 'fr', opts(T0 + 30_000)).events.at(-1)).toBe('✅ Envoi terminé : 48 succès, 2 erreur(s) sur 50 facture(s)');
    expect(viewProgress(p, 'en', opts(T0 + 30_000)).events.at(-1)).toBe('✅ Send finished: 48 succeeded, 2 error(s) out of 50 invoice(s)');
  });

  it('shows the first two recipients and how many more, and files likewise', () => {
    let p = startProgress(createProgress('j', 2, T0), T0);
    p = recordSent(p, { key: 'K', files: ['1.pdf', '2.pdf', '3.pdf', '4.pdf'], recipients: ['a@x.fr', 'b@x.fr', 'c@x.fr'] }, T0);
    p = recordFailed(p, { key: 'K2', files: [], error: 'Attachment not found: X.pdf' }, T0);
    expect(viewProgress(p, 'en', opts(T0)).events.slice(1)).toEqual([
      '✅ Email 1/2 sent: K - 1.pdf, 2.pdf, 3.pdf (+1) → a@x.fr, b@x.fr (+1)',
      '⚠️ Email 2/2 ERROR: K2 - no attachment: Attachment not found: X.pdf',
    ]);
  });

  it('announces a quota pause with the time it resumes, in the reader’s words', () => {
    let p = startProgress(createProgress('j', 10, T0), T0);
    const resumeAt = T0 + 3 * 3_600_000 + 5 * 60_000;
    p = pauseForQuota(p, { resumeAt, sentToday: 2000, cap: 2000 }, T0 + 1000);
    expect(viewProgress(p, 'fr', opts(T0 + 1000)).events.at(-1)).toBe(
      '⏸️ Limite d’envoi quotidienne atteinte (2000/2000 en 24 h) : reprise automatique à 12:05 UTC (dans 3 h 05 min)',
    );
    expect(viewProgress(p, 'en', { now: T0 + 1000, formatTime: () => '13:05' }).events.at(-1)).toBe(
      '⏸️ Daily sending limit reached (2000/2000 in 24 h): the send resumes by itself at 13:05 (in 3 h 05 min)',
    );
    p = pauseForRate(resumeProgress(p, resumeAt), resumeAt + 60_000, resumeAt);
    expect(viewProgress(p, 'en', opts(resumeAt)).events.at(-1)).toBe(
      '⏸️ Gmail asked to slow down: the send resumes by itself at 12:06 UTC (in 1 min)',
    );
  });

  it('renders retries, user pauses, resumes and cancellation', () => {
    let p = startProgress(createProgress('j', 3, T0), T0);
    p = recordRetry(p, { key: 'K1', error: 'Backend Error (HTTP 503)', delayMs: 5000 }, T0);
    p = pauseByUser(p, 'marie@acuitis.com', T0 + 1);
    p = resumeProgress(p, T0 + 2);
    p = recordSent(p, { key: 'K1', files: [], recipients: ['a@x.fr'] }, T0 + 3);
    p = cancelProgress(p, T0 + 4);
    expect(viewProgress(p, 'fr', opts(T0 + 5)).events.slice(1)).toEqual([
      '🔁 Email 1/3 : K1 sera renvoyé dans 5 s (Backend Error (HTTP 503))',
      '⏸️ Envoi mis en pause par marie@acuitis.com',
      '▶️ Envoi repris',
      '✅ Email 1/3 envoyé : K1 - sans pièce jointe → a@x.fr',
      '⏹️ Envoi annulé : 1 envoyé(s), 2 non envoyé(s)',
    ]);
  });
});

describe('counts, rate and ETA', () => {
  it('measures emails per minute over running time and estimates the rest', () => {
    let p = startProgress(createProgress('j', 100, T0), T0);
    for (let i = 1; i <= 30; i++) p = recordSent(p, { key: `K${i}`, files: [], recipients: ['a@x.fr'] }, T0 + i * 400);
    const view = viewProgress(p, 'en', opts(T0 + 12_000));
    expect(view).toMatchObject({
      state: 'running',
      stateLabel: 'Sending',
      total: 100,
      processed: 30,
      sent: 30,
      failed: 0,
      remaining: 70,
      percent: 30,
      elapsedMs: 12_000,
    });
    expect(view.ratePerMinute).toBe(150);
    expect(view.etaMs).toBe(28_000);
  });

  it('excludes pauses from the rate and adds the quota wait to the ETA', () => {
    let p = startProgress(createProgress('j', 100, T0), T0);
    for (let i = 1; i <= 30; i++) p = recordSent(p, { key: `K${i}`, files: [], recipients: ['a@x.fr'] }, T0 + i * 400);
    p = pauseForQuota(p, { resumeAt: T0 + 3_600_000, sentToday: 30, cap: 30 }, T0 + 12_000);
    const view = viewProgress(p, 'fr', opts(T0 + 600_000));
    expect(view.state).toBe('paused-quota');
    expect(view.stateLabel).toBe('En pause (quota), reprise automatique');
    expect(view.ratePerMinute).toBe(150);
    expect(view.etaMs).toBe(28_000 + 3_000_000);
    expect(view.elapsedMs).toBe(600_000);
  });

  it('stops the clock when done', () => {
    const p = finishProgress(run50(), T0 + 20_000);
    const view = viewProgress(p, 'en', opts(T0 + 999_999));
    expect(view).toMatchObject({
      state: 'done',
      processed: 50,
      sent: 48,
      failed: 2,
      remaining: 0,
      percent: 100,
      etaMs: null,
      elapsedMs: 20_000,
    });
  });

  it('has no rate before anything is processed', () => {
    const view = viewProgress(createProgress('j', 5, T0), 'en', opts(T0));
    expect(view).toMatchObject({ state: 'planned', ratePerMinute: null, etaMs: null, elapsedMs: 0 });
  });
});

describe('rows failed at planning', () => {
  it('are not numbered as emails, and the rate, percentage and ETA count only emails', () => {
    // 12 rows planned, 2 invalid at planning: 10 emails. The first is sent 60 s after the start.
    let p = createProgress('j', 12, T0);
    p = recordFailed(p, { key: 'CCT1', files: ['F1.pdf'], error: 'Invalid to address' }, T0);
    p = recordFailed(p, { key: 'CCT2', files: [], error: 'Attachment not found: F2.pdf' }, T0);
    p = startProgress(p, T0 + 10_000);
    p = recordSent(p, { key: 'CCT3', files: ['F3.pdf'], recipients: ['a@x.fr'] }, T0 + 70_000);
    const fr = viewProgress(p, 'fr', opts(T0 + 70_000));
    expect(fr.events).toEqual([
      '⚠️ Ligne non envoyée (invalide) : CCT1 - F1.pdf : Invalid to address',
      '⚠️ Ligne non envoyée (invalide) : CCT2 - sans pièce jointe : Attachment not found: F2.pdf',
      '▶️ Envoi démarré : 10 facture(s)',
      '✅ Email 1/10 envoyé : CCT3 - F3.pdf → a@x.fr',
    ]);
    expect(fr).toMatchObject({
      total: 12,
      toSend: 10,
      invalid: 2,
      sent: 1,
      failed: 2,
      processed: 3,
      remaining: 9,
      percent: 10,
      ratePerMinute: 1,
      etaMs: 9 * 60_000,
    });
    const en = viewProgress(p, 'en', opts(T0 + 70_000));
    expect(en.events[0]).toBe('⚠️ Row not sent (invalid): CCT1 - F1.pdf: Invalid to address');
    expect(parseProgress(serializeProgress(p))).toEqual(p);
  });
});

describe('state machine guards', () => {
  it('refuses impossible transitions and more results than planned', () => {
    // Rows failed at planning may be recorded before the start; the count still cannot pass the total.
    const planned = createProgress('j', 2, T0);
    const oneFailed = recordFailed(planned, { key: 'K0', files: [], error: 'Invalid to address' }, T0);
    expect(oneFailed.failed).toBe(1);
    const running = startProgress(oneFailed, T0);
    expect(() => startProgress(running, T0)).toThrow(PostroomError);
    const full = recordSent(running, { key: 'K', files: [], recipients: [] }, T0);
    expect(() => recordSent(full, { key: 'K', files: [], recipients: [] }, T0)).toThrow('more results');
    const done = finishProgress(full, T0);
    expect(() => finishProgress(done, T0)).toThrow(PostroomError);
    expect(() => cancelProgress(done, T0)).toThrow(PostroomError);
    expect(() => resumeProgress(running, T0)).toThrow(PostroomError);
    expect(() => pauseByUser(done, 'x', T0)).toThrow(PostroomError);
  });
});

describe('persistence', () => {
  it('keeps only the last MAX_EVENTS events and round-trips through JSON', () => {
    const p = run50();
    expect(p.events).toHaveLength(MAX_EVENTS);
    expect(p.eventCount).toBe(51);
    expect(parseProgress(serializeProgress(p))).toEqual(p);
  });

  it('stays under 9 KB even with the longest strings', () => {
    let p = startProgress(createProgress('j'.repeat(40), 1000, T0), T0);
    const long = 'é'.repeat(5000);
    for (let i = 0; i < 60; i++) {
      p = recordFailed(p, { key: long, files: [long, long, long, long], error: `😀${long}` }, T0 + i);
      p = recordSent(p, { key: long, files: [long, long, long, long], recipients: [long, long, long] }, T0 + i);
    }
    const json = serializeProgress(p);
    expect(Buffer.byteLength(json, 'utf8')).toBeLessThanOrEqual(MAX_PROGRESS_BYTES);
    expect(Buffer.byteLength(json, 'utf8')).toBeLessThan(9 * 1024);
    const back = parseProgress(json);
    expect(back.events.length).toBeGreaterThan(0);
    expect(back.sent).toBe(60);
  });

  it('refuses a stored value that is not a progress', () => {
    expect(() => parseProgress('{')).toThrow(PostroomError);
    expect(() => parseProgress('{"version":2}')).toThrow('unknown shape');
    expect(() => parseProgress(JSON.stringify({ ...createProgress('j', 1, T0), total: '1' }))).toThrow('total');
  });
});
