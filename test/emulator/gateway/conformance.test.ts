// The mail gateway's conformance suite: the SAME operations run through the REST gateway (UrlFetchApp
// .fetchAll) and the Advanced-service gateway, each in its own emulated workspace built alike, must
// leave the same mailbox and give the same answers (values, per-item outcomes, calls and quota units).
// Outcomes are checked on the mailbox itself (labels, trash, Sent), not on call shapes.

import { KINDS, PDF, SUPPLIER, makeWorld, rawToSend, type Kind, type World } from './helpers';

const MISSING = 'ffffffffffffffff';

/** Every operation once, in an order a job could use them; returns what each answered. */
function scenario(world: World, kind: Kind) {
  const run = (operation: string, ...args: unknown[]) => world.run(kind, operation, ...args);
  const out: Record<string, ReturnType<typeof run>> = {};
  const [first, second, third] = world.invoices;
  out.profile = run('profile');
  out.labels = run('listLabels');
  out.ensure = run('ensureLabels', ['Postroom/imported', 'Postroom/quarantine', 'Postroom/imported']);
  out.ensureAgain = run('ensureLabels', ['Postroom/imported']);
  out.page1 = run('search', `from:${SUPPLIER}`, { max: 2 });
  out.page2 = run('search', `from:${SUPPLIER}`, { max: 2, pageToken: out.page1.result.value.nextPageToken });
  out.full = run('getMessages', [first, MISSING, 'not an id!'], 'full');
  out.metadata = run('getMessages', [second], 'metadata', { metadataHeaders: ['Subject', 'Message-ID'] });
  out.raw = run('getMessages', [third], 'raw');
  // Attachment ids live for a few messages.get of their message: fetch with the ids of a fresh read.
  const fresh = run('getMessages', [first], 'full').result[0].value;
  const pdf = fresh.view.attachments.find((a: { mimeType: string }) => a.mimeType === 'application/pdf');
  out.attachments = run('getAttachments', [
    { messageId: first, attachmentId: pdf.attachmentId },
    { messageId: first, attachmentId: 'ANGjdJnot-issued' },
  ]);
  out.markRead = run('markRead', [first, second]);
  const imported = out.ensure.result.value['Postroom/imported'];
  out.move = run('modifyLabels', [first, second], [imported], ['INBOX']);
  out.badLabel = run('modifyLabels', [third, second], ['Label_999'], []);
  out.trash = run('trash', [third, MISSING]);
  out.before = run('profile');
  out.send = run('send', [rawToSend('client@exemple.fr', 'run-1/1'), rawToSend('', 'run-1/2')]);
  out.sent = run('listSent', { max: 10 });
  out.sentSkip = run('listSent', { max: 10, skipIds: [out.send.result[0].value.id] });
  out.history = run('history', out.before.result.value.historyId);
  out.historyInvalid = run('history', 'abc');
  return out;
}

describe('MailGateway conformance: REST and Advanced give the same answers', () => {
  const worlds = { rest: makeWorld(3), advanced: makeWorld(3) };
  const results = { rest: scenario(worlds.rest, 'rest'), advanced: scenario(worlds.advanced, 'advanced') };

  /**
   * Ids and times of sent messages follow the virtual clock and Gmail makes up their Message-ID: the
   * transports' latencies differ, so these are named by their order instead of compared as written.
   */
  function comparable(kind: Kind, value: unknown): unknown {
    let text = JSON.stringify(value);
    worlds[kind].workspace.mailbox.sentMessages().forEach((sent, i) => {
      text = text.split(sent.id).join(`sent-${i}`);
      const at = worlds[kind].workspace.mailbox.getMessage(sent.id)!.internalDate;
      text = text.split(String(at)).join(`-${i + 1}`);
    });
    return JSON.parse(text.replace(/<CA[A-Za-z0-9]+@mail\.gmail\.com>/g, '<generated>'));
  }

  it('answers identically, operation by operation (values, per-item errors, calls and units)', () => {
    for (const name of Object.keys(results.rest)) {
      const strip = (kind: Kind) => comparable(kind, { name, result: results[kind][name].result, usage: results[kind][name].usage });
      expect(strip('advanced')).toEqual(strip('rest'));
    }
  });

  it.each(KINDS)('%s: the calls and quota units the gateway reports are what Gmail counted', (kind) => {
    for (const name of Object.keys(results[kind])) {
      const { usage, emulator } = results[kind][name];
      expect({ name, calls: usage.calls, units: usage.units }).toEqual({ name, calls: emulator.calls, units: emulator.units });
    }
  });

  it('REST runs a batch in one fetchAll; the Advanced service makes no HTTP call', () => {
    expect(results.rest.full.emulator.fetchAll).toBe(1);
    expect(results.rest.send.emulator.fetchAll).toBe(1);
    for (const name of Object.keys(results.advanced)) expect(results.advanced[name].emulator.fetchAll).toBe(0);
  });

  it('leaves the same mailbox behind', () => {
    expect(comparable('advanced', worlds.advanced.workspace.mailbox.dumpState())).toEqual(
      comparable('rest', worlds.rest.workspace.mailbox.dumpState()),
    );
  });

  describe.each(KINDS)('%s', (kind) => {
    const world = worlds[kind];
    const r = results[kind];
    const [first, second, third] = world.invoices;

    it('profile, labels and ensureLabels (parents created, idempotent, 1 unit when nothing is missing)', () => {
      expect(r.profile.result.value).toEqual({
        emailAddress: world.user,
        messagesTotal: 3,
        threadsTotal: 3,
        historyId: expect.stringMatching(/^\d+$/),
      });
      expect(r.profile.usage).toEqual({ calls: 1, units: 1 });
      expect(r.labels.result.value).toEqual(expect.arrayContaining([{ id: 'INBOX', name: 'INBOX', type: 'system' }]));
      const ids = r.ensure.result.value;
      expect(Object.keys(ids)).toEqual(['Postroom/imported', 'Postroom/quarantine']);
      const labels = world.workspace.mailbox.labels();
      for (const name of ['Postroom', 'Postroom/imported', 'Postroom/quarantine'])
        expect(labels.find((l) => l.name === name)?.type).toBe('user');
      expect(r.ensure.usage).toEqual({ calls: 4, units: 1 + 3 * 5 });
      expect(r.ensureAgain.result.value).toEqual({ 'Postroom/imported': ids['Postroom/imported'] });
      expect(r.ensureAgain.usage).toEqual({ calls: 1, units: 1 });
    });

    it('search pages newest first', () => {
      expect(r.page1.result.value).toEqual({ ids: [third, second], nextPageToken: expect.any(String), resultSizeEstimate: 3 });
      expect(r.page2.result.value).toEqual({ ids: [first], nextPageToken: null, resultSizeEstimate: 3 });
      expect(r.page1.usage.units).toBe(5);
    });

    it('getMessages: one outcome per id, headers and bodies decoded, one bad id fails only itself', () => {
      const [ok, missing, invalid] = r.full.result;
      expect(ok.ok).toBe(true);
      expect(ok.value.headers.subject).toBe('Facture n°1 reçue');
      expect(ok.value.headers.from).toBe(`Verrerie Française <${SUPPLIER}>`);
      expect(ok.value.view.text).toBe('Voici la facture n°1, réglée à réception.');
      expect(ok.value.view.html).toBe('<p>Total : 120 € – merci</p>');
      expect(ok.value.view.from).toEqual({ address: SUPPLIER, name: 'Verrerie Française' });
      expect(ok.value.view.attachments.map(({ attachmentId: _id, ...rest }: { attachmentId: string }) => rest)).toEqual([
        { partId: '0.1', filename: 'logo.png', mimeType: 'image/png', size: 29, inline: true },
        { partId: '1', filename: 'facture n°1.pdf', mimeType: 'application/pdf', size: PDF.length, inline: false },
      ]);
      expect(missing).toEqual({
        ok: false,
        error: expect.objectContaining({
          kind: 'not_found',
          name: 'NotFoundError',
          status: 404,
          operation: 'getMessages',
          mayHaveHappened: false,
        }),
      });
      expect(invalid).toEqual({
        ok: false,
        error: expect.objectContaining({ kind: 'invalid_request', name: 'InvalidRequestError', status: 400, mayHaveHappened: false }),
      });
      expect(r.full.usage).toEqual({ calls: 3, units: 15 });
    });

    it('getMessages metadata (only the asked headers) and raw (the exact bytes, headers read from them)', () => {
      const metadata = r.metadata.result[0].value;
      expect(metadata.headers).toEqual({ subject: 'Facture n°2 reçue', 'message-id': '<invoice-2@fournisseur-verre.fr>' });
      expect(metadata.view).toBeUndefined();
      const raw = r.raw.result[0].value;
      expect(Buffer.from(raw.raw.bytes)).toEqual(Buffer.from(world.workspace.mailbox.getMessage(third)!.raw));
      expect(raw.headers.subject).toBe('Facture n°3 reçue');
    });

    it('getAttachments returns the bytes, a stale id fails alone', () => {
      const [pdf, stale] = r.attachments.result;
      expect(Buffer.from(pdf.value.bytes)).toEqual(PDF);
      expect(stale).toEqual({ ok: false, error: expect.objectContaining({ kind: 'invalid_request', status: 400 }) });
    });

    it('markRead, modifyLabels (the move) and trash change the mailbox, per message', () => {
      const label = r.ensure.result.value['Postroom/imported'];
      const state = (id: string) => world.workspace.mailbox.getMessage(id)!;
      expect(r.markRead.result).toEqual([
        { ok: true, value: true },
        { ok: true, value: true },
      ]);
      expect(r.move.result).toEqual([
        { ok: true, value: true },
        { ok: true, value: true },
      ]);
      expect(r.move.usage).toEqual({ calls: 1, units: 50 });
      for (const id of [first, second]) {
        expect(state(id).unread).toBe(false);
        expect(state(id).labelIds.has(label)).toBe(true);
        expect(state(id).labelIds.has('INBOX')).toBe(false);
      }
      // A label Gmail does not know fails every message alike: no per-message redo (one call, 50 units).
      const badLabel = {
        ok: false,
        error: expect.objectContaining({
          kind: 'invalid_request',
          status: 400,
          operation: 'modifyLabels',
          detail: 'Invalid label: Label_999',
        }),
      };
      expect(r.badLabel.result).toEqual([badLabel, badLabel]);
      expect(r.badLabel.usage).toEqual({ calls: 1, units: 50 });
      expect(r.trash.result).toEqual([
        { ok: true, value: true },
        { ok: false, error: expect.objectContaining({ kind: 'not_found', operation: 'trash' }) },
      ]);
      expect(state(third).labelIds.has('TRASH')).toBe(true);
    });

    it('send: one receipt per message, a message without recipients fails alone, never retried', () => {
      const [sent, rejected] = r.send.result;
      expect(sent.ok).toBe(true);
      expect(rejected).toEqual({
        ok: false,
        error: expect.objectContaining({ kind: 'invalid_request', status: 400, operation: 'send', mayHaveHappened: false }),
      });
      expect(r.send.usage).toEqual({ calls: 2, units: 200 });
      const out = world.workspace.mailbox.sentMessages();
      expect(out).toHaveLength(1);
      expect(out[0].id).toBe(sent.value.id);
    });

    it('listSent reads the exactly-once headers; skipIds are not read again', () => {
      const id = r.send.result[0].value.id;
      expect(r.sent.result.value.messages).toEqual([
        { id, threadId: id, internalDate: expect.any(Number), sendId: 'run-1/1', messageId: expect.stringMatching(/^<.+>$/) },
      ]);
      expect(r.sent.usage).toEqual({ calls: 2, units: 10 });
      expect(r.sentSkip.result.value.messages).toEqual([]);
      expect(r.sentSkip.usage).toEqual({ calls: 1, units: 5 });
    });

    it('history lists the messages added since a history id; a malformed id is an invalid request', () => {
      expect(r.history.result.value).toEqual({
        addedIds: [r.send.result[0].value.id],
        historyId: expect.stringMatching(/^\d+$/),
        nextPageToken: null,
      });
      expect(r.history.usage).toEqual({ calls: 1, units: 2 });
      expect(r.historyInvalid.result).toEqual({
        ok: false,
        error: expect.objectContaining({ kind: 'invalid_request', status: 400, operation: 'history' }),
      });
    });
  });
});
