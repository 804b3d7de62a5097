// The export job over in-memory fakes of its ports: files and manifest, batches newest first, `max`,
// `since: 'last'`, attachments, cancel, the time budget, bad options, and the crash protocol: killed
// at EVERY port call of a small export, then continued, every message is in exactly one batch file.

import { cancelExportRun, continueExportRun, startExportRun, viewExportProgress, type ExportDeps } from '../../../src/server/jobs/export';
import { fakeDeps, Killed, World } from './fakes';

const ROOT = 'Postroom/exports';

function fill(world: World, n: number, options: Parameters<World['addMessage']>[1] = {}): string[] {
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) ids.push(world.addMessage(i, options));
  return ids; // newest first (n=1 is the newest)
}

/** Runs executions as the trigger would until no run is left; a killed one releases the lock. */
function drive(world: World, deps: ExportDeps, maxExecutions = 200): number {
  let executions = 0;
  while (world.props.has('export.run') && executions < maxExecutions) {
    executions++;
    const next = world.triggers.find((t) => t.handler === 'runExportContinue');
    if (next && next.at > world.now) world.now = next.at;
    world.triggers = world.triggers.filter((t) => t.handler !== 'runExportContinue');
    try {
      continueExportRun(deps);
    } catch (error) {
      if (!(error instanceof Killed)) throw error;
      world.locked = false;
    }
  }
  return executions;
}

function batchFiles(world: World) {
  return world
    .liveFiles()
    .filter((f) => /\/messages-\d{5}\.json$/.test(f.path))
    .sort((a, b) => a.path.localeCompare(b.path));
}

function exportedIds(world: World): string[] {
  return batchFiles(world).flatMap((f) => (JSON.parse(f.text as string) as Array<{ 'Message-ID': string }>).map((m) => m['Message-ID']));
}

function manifest(world: World) {
  const file = world.liveFiles().find((f) => f.path.endsWith('/manifest.json'));
  return file ? JSON.parse(file.text as string) : null;
}

describe('an export over the fakes', () => {
  it('writes batches newest first, a manifest, one JobRuns row, and reports progress in French', () => {
    const world = new World();
    const ids = fill(world, 23);
    const deps = fakeDeps(world);
    const started = startExportRun(deps, { batchSize: 5 });
    expect(started).toMatchObject({ state: 'running', total: null, exported: 0, files: 0 });
    // The first execution's one-off trigger, and the recurring one that carries on after a crash.
    expect(world.triggers.map((t) => t.handler)).toEqual(['runExportContinue', 'runExportContinue']);
    drive(world, deps);
    const files = batchFiles(world);
    expect(files.map((f) => f.path.split('/').pop())).toEqual([
      'messages-00001.json',
      'messages-00002.json',
      'messages-00003.json',
      'messages-00004.json',
      'messages-00005.json',
    ]);
    expect(files[0].path).toMatch(new RegExp(`^${ROOT}/2026-01-20_0900_all-mail/`));
    expect(exportedIds(world)).toEqual(ids);
    const m = manifest(world);
    expect(m).toMatchObject({
      state: 'done',
      query: '',
      batchSize: 5,
      historyId: '4242',
      counts: { selected: 23, exported: 23, files: 5 },
    });
    expect(m.files.map((f: { messages: number }) => f.messages)).toEqual([5, 5, 5, 5, 3]);
    expect(world.liveFiles().some((f) => f.path.endsWith('.postroom-snapshot.txt'))).toBe(false);
    expect(world.rows).toHaveLength(1);
    expect(world.rows[0]).toMatchObject({
      job: 'export',
      status: 'succeeded',
      emails_scanned: 23,
      folder_url: expect.stringContaining('drive/folders'),
    });
    const progress = viewExportProgress(deps);
    expect(progress).toMatchObject({ state: 'done', exported: 23, total: 23, files: 5, summary: '23 messages exportés dans 5 fichiers' });
    expect(world.triggers).toEqual([]);
  });

  it('each message has the seed structure', () => {
    const world = new World();
    world.addMessage(1, {
      plain: 'Prix : 12 €',
      html: '<p>Prix : <b>12 €</b></p>',
      attachments: [{ name: 'facture.pdf', bytes: Buffer.from('%PDF-1.4 x'), type: 'application/pdf' }],
    });
    const deps = fakeDeps(world);
    startExportRun(deps, {});
    drive(world, deps);
    const [message] = JSON.parse(batchFiles(world)[0].text as string);
    expect(Object.keys(message).slice(0, 10)).toEqual([
      'Message-ID',
      'Thread-ID',
      'Labels',
      'Date',
      'From',
      'To',
      'Subject',
      'Body',
      'Attachments',
      'Snippet',
    ]);
    expect(message).toMatchObject({
      'Message-ID': 'm000001',
      'Thread-ID': 't1',
      Labels: ['INBOX'],
      Date: 'Mon, 05 Jan 2026 09:00:00 +0100',
      From: 'Fournisseur <f@x.fr>',
      To: 'compta@x.fr',
      Subject: 'Facture n°1',
      Body: { plain: 'Prix : 12 €', html: '<p>Prix : <b>12 €</b></p>' },
      Attachments: [{ id: '2', filename: 'facture.pdf', mimeType: 'application/pdf', size: 10, inline: false }],
      Snippet: 'snippet 1',
    });
  });

  it('max exports exactly the newest max messages', () => {
    const world = new World();
    const ids = fill(world, 30);
    const deps = fakeDeps(world);
    startExportRun(deps, { max: 7, batchSize: 3 });
    drive(world, deps);
    expect(exportedIds(world)).toEqual(ids.slice(0, 7));
    expect(manifest(world).counts).toMatchObject({ selected: 7, exported: 7, files: 3 });
  });

  it('since "last" exports only what arrived after the previous export of the same query', () => {
    const world = new World();
    const first = fill(world, 6);
    const deps = fakeDeps(world);
    startExportRun(deps, { since: 'last' });
    drive(world, deps);
    expect(exportedIds(world)).toEqual(first);
    world.now += 3_600_000;
    const late = world.addMessage(100, { internalDate: world.now - 1000 });
    // Same second as the previous newest: must not come back; a new one in that second must.
    const sameSecond = world.addMessage(101, { internalDate: Number(world.messages.find((m) => m.id === first[0])!.internalDate) + 1 });
    world.files.clear();
    startExportRun(deps, { since: 'last' });
    drive(world, deps);
    expect(exportedIds(world)).toEqual([late, sameSecond]);
    expect(manifest(world).gmailQuery).toMatch(/^after:\d+$/);
  });

  it('refuses bad options in the user’s language and writes nothing', () => {
    for (const [options, fr] of [
      [{ batchSize: 0 }, 'batchSize doit être un nombre entier de 1 à 5000'],
      [{ batchSize: 5001 }, 'batchSize doit être'],
      [{ max: 0 }, 'max doit être un nombre entier'],
      [{ max: '10' }, 'max doit être'],
      [{ query: 42 }, 'query doit être un texte'],
      [{ since: 'yesterday' }, 'since doit valoir'],
      [{ includeAttachments: 'yes' }, 'includeAttachments doit valoir'],
      [{ folder: 'a//b' }, 'folder doit être'],
      [{ colour: 'red' }, '« colour » n’est pas une option'],
      ['all', 'Les options d’export doivent être un objet'],
    ] as Array<[unknown, string]>) {
      const world = new World();
      fill(world, 3);
      expect(() => startExportRun(fakeDeps(world), options)).toThrow(fr);
      expect(() => startExportRun(fakeDeps(world, { locale: 'en' }), options)).toThrow(/must|not an export option|object/);
      expect([...world.props.keys()]).toEqual([]);
      expect(world.liveFiles()).toEqual([]);
      expect(world.rows).toEqual([]);
      expect(world.triggers).toEqual([]);
    }
  });

  it('includeAttachments stores each attachment next to the batches and names it in the JSON', () => {
    const world = new World();
    world.addMessage(1, {
      attachments: [
        { name: 'a.pdf', bytes: Buffer.from('%PDF-A'), type: 'application/pdf' },
        { name: 'scan:1.png', bytes: Buffer.from('PNG!'), type: 'image/png' },
      ],
    });
    world.addMessage(2, { attachments: [{ name: 'a.pdf', bytes: Buffer.from('%PDF-B'), type: 'application/pdf' }] });
    const deps = fakeDeps(world);
    startExportRun(deps, { includeAttachments: true });
    drive(world, deps);
    const stored = world.liveFiles().filter((f) => f.path.includes('/attachments/'));
    expect(stored.map((f) => f.path.split('/').pop()).sort()).toEqual(['m000001_1_a.pdf', 'm000001_2_scan_1.png', 'm000002_1_a.pdf']);
    const messages = JSON.parse(batchFiles(world)[0].text as string);
    expect(messages[0].Attachments.map((a: { file: string }) => a.file)).toEqual(['m000001_1_a.pdf', 'm000001_2_scan_1.png']);
    expect(manifest(world).counts).toMatchObject({ attachmentsSeen: 3, attachmentsStored: 3, attachmentsFailed: 0 });
  });

  it('a time budget spreads the export over executions, each continued by its trigger', () => {
    const world = new World();
    const ids = fill(world, 130);
    const deps = fakeDeps(world, { budgetMs: 1 });
    startExportRun(deps, { batchSize: 100 });
    const executions = drive(world, deps);
    // One chunk of 50 per execution (the first chunk is always read), each execution writes what it read.
    expect(executions).toBe(3);
    expect(exportedIds(world)).toEqual(ids);
    expect(manifest(world).files.map((f: { messages: number }) => f.messages)).toEqual([50, 50, 30]);
  });

  it('cancel keeps the files written so far and says so', () => {
    const world = new World();
    fill(world, 130);
    const deps = fakeDeps(world, { budgetMs: 1 });
    startExportRun(deps, { batchSize: 20 });
    drive(world, deps, 1);
    const progress = cancelExportRun(deps);
    expect(progress.state).toBe('cancelled');
    expect(progress.summary).toMatch(/^Export annulé : \d+ messages exportés sur 130 dans \d+ fichiers?$/);
    expect(manifest(world).state).toBe('cancelled');
    expect(world.props.has('export.run')).toBe(false);
    expect(world.rows[0].status).toBe('cancelled');
    expect(new Set(exportedIds(world)).size).toBe(exportedIds(world).length);
  });

  it('a second start while one runs is refused', () => {
    const world = new World();
    fill(world, 3);
    const deps = fakeDeps(world);
    startExportRun(deps, {});
    expect(() => startExportRun(deps, {})).toThrow(/Un export est déjà en cours/);
  });

  it('splits a batch that would pass the size limit, and says so in the manifest', () => {
    const world = new World();
    const ids = fill(world, 10, { plain: 'x'.repeat(400) });
    const deps = fakeDeps(world, { maxFileBytes: 2000 });
    startExportRun(deps, { batchSize: 5000 });
    drive(world, deps);
    const files = batchFiles(world);
    expect(files.length).toBeGreaterThan(2);
    expect(files.every((f) => f.size <= 2000)).toBe(true);
    expect(exportedIds(world)).toEqual(ids);
    const m = manifest(world);
    expect(m.limits).toMatchObject({ maxFileBytes: 2000, splitFiles: files.length - 1 });
    expect(m.files.map((f: { bytes: number }) => f.bytes)).toEqual(files.map((f) => f.size));
  });

  it('messages deleted after the snapshot are listed as missing, the others exported', () => {
    const world = new World();
    const ids = fill(world, 8);
    const deps = fakeDeps(world);
    startExportRun(deps, { batchSize: 3 });
    world.beforeGet = () => {
      world.deleted.add(ids[2]);
      world.deleted.add(ids[5]);
    };
    drive(world, deps);
    expect(exportedIds(world)).toEqual(ids.filter((_, i) => i !== 2 && i !== 5));
    expect(manifest(world)).toMatchObject({
      state: 'done',
      counts: { selected: 8, exported: 6, missing: 2 },
      missingIds: [ids[2], ids[5]],
    });
    expect(world.rows[0]).toMatchObject({ status: 'partial', errors_count: 2 });
  });
});

describe('crash safety', () => {
  function cleanCalls(): number {
    const world = new World();
    fill(world, 12);
    const deps = fakeDeps(world);
    startExportRun(deps, { batchSize: 5 });
    const before = world.calls;
    drive(world, deps);
    return world.calls - before;
  }

  it('killed at every port call of a small export, every message ends in exactly one batch file', () => {
    const calls = cleanCalls();
    expect(calls).toBeGreaterThan(30);
    for (let killAt = 1; killAt <= calls + 2; killAt++) {
      const world = new World();
      const ids = fill(world, 12);
      const deps = fakeDeps(world);
      startExportRun(deps, { batchSize: 5 });
      world.killAt = world.calls + killAt;
      drive(world, deps);
      expect({ killAt, ids: exportedIds(world) }).toEqual({ killAt, ids });
      const m = manifest(world);
      expect({ killAt, state: m.state, files: m.files.map((f: { name: string }) => f.name) }).toEqual({
        killAt,
        state: 'done',
        files: batchFiles(world).map((f) => f.path.split('/').pop()),
      });
      expect(m.files.map((f: { bytes: number }) => f.bytes)).toEqual(batchFiles(world).map((f) => f.size));
      expect(world.rows).toHaveLength(1);
    }
  });

  it('with attachments, killed at every call, each attachment is stored once', () => {
    const setup = (world: World) => {
      for (let i = 1; i <= 6; i++)
        world.addMessage(i, { attachments: [{ name: `f${i}.pdf`, bytes: Buffer.from(`%PDF-${i}`), type: 'application/pdf' }] });
    };
    const clean = new World();
    setup(clean);
    const cleanDeps = fakeDeps(clean);
    startExportRun(cleanDeps, { batchSize: 4, includeAttachments: true });
    const base = clean.calls;
    drive(clean, cleanDeps);
    const calls = clean.calls - base;
    for (let killAt = 1; killAt <= calls; killAt++) {
      const world = new World();
      setup(world);
      const deps = fakeDeps(world);
      startExportRun(deps, { batchSize: 4, includeAttachments: true });
      world.killAt = world.calls + killAt;
      drive(world, deps);
      const stored = world
        .liveFiles()
        .filter((f) => f.path.includes('/attachments/'))
        .map((f) => f.path.split('/').pop());
      expect({ killAt, stored: stored.sort() }).toEqual({
        killAt,
        stored: ['m000001_1_f1.pdf', 'm000002_1_f2.pdf', 'm000003_1_f3.pdf', 'm000004_1_f4.pdf', 'm000005_1_f5.pdf', 'm000006_1_f6.pdf'],
      });
      expect(exportedIds(world)).toHaveLength(6);
    }
  });

  it('15 % transient faults on reads and uploads: all messages, once each', () => {
    const world = new World();
    const ids = fill(world, 60, { attachments: [{ name: 'r.pdf', bytes: Buffer.from('%PDF'), type: 'application/pdf' }] });
    world.faultRate = 0.15;
    const deps = fakeDeps(world);
    startExportRun(deps, { batchSize: 25, includeAttachments: true });
    drive(world, deps);
    expect(exportedIds(world)).toEqual(ids);
    expect(manifest(world).state).toBe('done');
  });
});
