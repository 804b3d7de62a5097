// Small in-memory fakes of the export job's ports (mail gateway, Drive files, properties, ledger, lock,
// scheduler, clock), stateful so the job's tests assert outcomes (files written, rows, state), and a
// "kill" that ends an execution at its Nth port call like the platform's hard stop.

import { createHash } from 'node:crypto';
import { base64Decode } from '../../../src/server/domain/encoding';
import { NotFoundError, TransientError } from '../../../src/server/domain/mail-errors';
import type { GmailMessage, GmailMessagePart } from '../../../src/server/domain/collect/mime-walk';
import type { ExportDeps } from '../../../src/server/jobs/export/deps';
import type { ExportFileInfo, ExportFiles } from '../../../src/server/ports/export-files';
import type { MailGateway, MailMessage, MailOutcome } from '../../../src/server/ports/mail-gateway';
import type { KeyValueStore } from '../../../src/server/ports/kv';
import type { LedgerRow, LedgerStore, LedgerTable } from '../../../src/server/ports/ledger';

export class Killed extends Error {
  constructor() {
    super('Execution killed (test)');
  }
}

export class World {
  now = Date.UTC(2026, 0, 20, 9, 0, 0);
  calls = 0;
  killAt: number | null = null;
  faultRate = 0;
  private seed = 7;
  /** Newest first. */
  messages: GmailMessage[] = [];
  attachments = new Map<string, Uint8Array>();
  deleted = new Set<string>();
  props = new Map<string, string>();
  files = new Map<string, { id: string; folder: string; name: string; text: string | null; bytes: Uint8Array | null; trashed: boolean }>();
  folders = new Map<string, string>();
  rows: Array<Record<string, unknown>> = [];
  triggers: Array<{ handler: string; at: number }> = [];
  locked = false;
  /** Runs before each messages.get batch (tests delete mail "during" the export). */
  beforeGet: (() => void) | null = null;
  usage = { calls: 0, units: 0 };
  fileSeq = 0;

  random(): number {
    this.seed = (this.seed * 16807) % 2147483647;
    return this.seed / 2147483647;
  }

  /** Counts a port call; throws at the kill index. */
  tick(): void {
    this.calls++;
    if (this.killAt !== null && this.calls === this.killAt) throw new Killed();
    this.now += 5;
  }

  addMessage(
    n: number,
    options: {
      plain?: string;
      html?: string;
      attachments?: Array<{ name: string; bytes: Uint8Array; type: string }>;
      internalDate?: number;
      subject?: string;
    } = {},
  ): string {
    const id = `m${String(n).padStart(6, '0')}`;
    const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');
    const parts: GmailMessagePart[] = [
      {
        partId: '0',
        mimeType: 'text/plain',
        headers: [{ name: 'Content-Type', value: 'text/plain; charset=utf-8' }],
        body: { size: 10, data: b64(options.plain ?? `Bonjour ${n}, voilà.`) },
      },
    ];
    if (options.html)
      parts.push({
        partId: '1',
        mimeType: 'text/html',
        headers: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }],
        body: { size: 10, data: b64(options.html) },
      });
    (options.attachments ?? []).forEach((a, i) => {
      const attachmentId = `att-${id}-${i}`;
      this.attachments.set(attachmentId, a.bytes);
      parts.push({
        partId: String(parts.length),
        mimeType: a.type,
        filename: a.name,
        headers: [{ name: 'Content-Disposition', value: `attachment; filename="${a.name}"` }],
        body: { size: a.bytes.length, attachmentId },
      });
    });
    const message: GmailMessage = {
      id,
      threadId: `t${n}`,
      labelIds: ['INBOX'],
      snippet: `snippet ${n}`,
      internalDate: String(options.internalDate ?? this.now - n * 60_000),
      sizeEstimate: 100,
      payload: {
        partId: '',
        mimeType: 'multipart/mixed',
        headers: [
          { name: 'From', value: 'Fournisseur <f@x.fr>' },
          { name: 'To', value: 'compta@x.fr' },
          { name: 'Subject', value: options.subject ?? `Facture n°${n}` },
          { name: 'Date', value: 'Mon, 05 Jan 2026 09:00:00 +0100' },
          { name: 'Message-ID', value: `<${id}@x.fr>` },
        ],
        parts,
      },
    };
    this.messages.push(message);
    this.messages.sort((a, b) => Number(b.internalDate) - Number(a.internalDate));
    return id;
  }

  file(path: string): { text: string | null; bytes: Uint8Array | null } | undefined {
    return [...this.files.values()].find((f) => !f.trashed && `${f.folder}/${f.name}` === path);
  }

  liveFiles(): Array<{ path: string; text: string | null; size: number }> {
    return [...this.files.values()]
      .filter((f) => !f.trashed)
      .map((f) => ({
        path: `${f.folder}/${f.name}`,
        text: f.text,
        size: f.text !== null ? Buffer.byteLength(f.text) : (f.bytes?.length ?? 0),
      }));
  }
}

function fault(world: World): TransientError | null {
  return world.faultRate > 0 && world.random() < world.faultRate
    ? new TransientError({ operation: 'fake', status: 503, detail: 'Backend Error' })
    : null;
}

/**
 * The gateway's read side, as the export uses it. Checked against the port (`satisfies Partial`), cast
 * so that operations the export never calls (and ones other jobs add to the port) need no fake.
 */
export function fakeMail(world: World): MailGateway {
  const matches = (query: string) => {
    const after = /after:(\d+)/.exec(query);
    const word = /subject:(\S+)/.exec(query);
    return world.messages.filter(
      (m) =>
        !world.deleted.has(m.id) &&
        (!after || Number(m.internalDate) >= Number(after[1]) * 1000) &&
        (!word || (m.payload?.headers ?? []).some((h) => h.name === 'Subject' && h.value.includes(word[1]))),
    );
  };
  const charge = (calls: number, units: number) => {
    world.usage.calls += calls;
    world.usage.units += units;
  };
  const gateway = {
    kind: 'rest' as const,
    profile(): MailOutcome<{ emailAddress: string; messagesTotal: number; threadsTotal: number; historyId: string }> {
      world.tick();
      charge(1, 1);
      return { ok: true, value: { emailAddress: 'compta@x.fr', messagesTotal: world.messages.length, threadsTotal: 1, historyId: '4242' } };
    },
    search(
      query: string,
      options: { pageToken?: string | null; max?: number } = {},
    ): MailOutcome<{ ids: string[]; nextPageToken: string | null; resultSizeEstimate: number }> {
      world.tick();
      charge(1, 5);
      const all = matches(query).map((m) => m.id);
      const start = Number(options.pageToken ?? 0);
      const size = options.max ?? 100;
      const ids = all.slice(start, start + size);
      return {
        ok: true,
        value: { ids, nextPageToken: start + size < all.length ? String(start + size) : null, resultSizeEstimate: all.length },
      };
    },
    getMessages(ids: readonly string[]) {
      world.tick();
      world.beforeGet?.();
      charge(ids.length, ids.length * 5);
      return ids.map((id): MailOutcome<MailMessage> => {
        const failure = fault(world);
        if (failure) return { ok: false, error: failure };
        const m = world.messages.find((x) => x.id === id);
        if (!m || world.deleted.has(id))
          return {
            ok: false,
            error: new NotFoundError({ operation: 'getMessages', status: 404, detail: 'Requested entity was not found.' }),
          };
        return {
          ok: true,
          value: {
            id,
            threadId: m.threadId ?? '',
            labelIds: m.labelIds ?? [],
            snippet: m.snippet ?? '',
            historyId: '1',
            internalDate: Number(m.internalDate),
            sizeEstimate: 100,
            headers: {},
            resource: structuredClone(m),
          },
        };
      });
    },
    getAttachments(refs: ReadonlyArray<{ messageId: string; attachmentId: string }>) {
      world.tick();
      charge(refs.length, refs.length * 5);
      return refs.map((ref): MailOutcome<Uint8Array> => {
        const failure = fault(world);
        if (failure) return { ok: false, error: failure };
        const bytes = world.attachments.get(ref.attachmentId);
        return bytes
          ? { ok: true, value: bytes }
          : { ok: false, error: new NotFoundError({ operation: 'getAttachments', status: 404, detail: 'gone' }) };
      });
    },
    usage: () => ({ ...world.usage }),
  } satisfies Partial<MailGateway>;
  return gateway as unknown as MailGateway;
}

export function fakeFiles(world: World): ExportFiles {
  const info = (f: { id: string; name: string; text: string | null; bytes: Uint8Array | null }): ExportFileInfo => ({
    id: f.id,
    name: f.name,
    size: f.text !== null ? Buffer.byteLength(f.text) : (f.bytes?.length ?? 0),
    url: `https://drive/${f.id}`,
  });
  const find = (folder: string, name: string) =>
    [...world.files.values()].find((f) => !f.trashed && f.folder === folder && f.name === name);
  const create = (folder: string, name: string, text: string | null, bytes: Uint8Array | null) => {
    const f = { id: `f${++world.fileSeq}`, folder, name, text, bytes, trashed: false };
    world.files.set(f.id, f);
    return f;
  };
  const byId = (id: string) => {
    const f = world.files.get(id);
    return f && !f.trashed ? f : undefined;
  };
  return {
    folderIn(parent, name, create) {
      world.tick();
      const key = parent === 'root' ? name : `${parent}/${name}`;
      if (!world.folders.has(key) && create) world.folders.set(key, key);
      return world.folders.get(key) ?? null;
    },
    folderUrl: (id) => `https://drive/folders/${encodeURIComponent(id)}`,
    findFile(folder, name) {
      world.tick();
      const f = find(folder, name);
      return f ? info(f) : null;
    },
    readTexts(ids) {
      world.tick();
      return ids.map((id) => byId(id)?.text ?? null);
    },
    askFile(folder, name) {
      // Carried by the next Gmail read: no call of its own.
      return () => {
        const f = find(folder, name);
        return f ? info(f) : null;
      };
    },
    askText(id) {
      // Carried by the next Gmail read: no call of its own.
      return () => byId(id)?.text ?? null;
    },
    putText(folder, name, text, _mimeType, knownId) {
      world.tick();
      const f = (knownId ? byId(knownId) : undefined) ?? find(folder, name);
      if (f) {
        f.text = text;
        return info(f);
      }
      return info(create(folder, name, text, null));
    },
    createText(folder, name, text, _mimeType, alongside) {
      world.tick();
      const file = info(create(folder, name, text, null));
      const other = alongside ? byId(alongside.id) : undefined;
      if (other && alongside) other.text = alongside.text;
      return { file, alongsideDone: true };
    },
    upload(items) {
      world.tick();
      return items.map((item) => {
        if (fault(world)) return { ok: false as const, error: 'HTTP 503', maybeCreated: false };
        return { ok: true as const, file: info(create(item.folderId, item.name, null, item.bytes)) };
      });
    },
    trashById(id) {
      world.tick();
      const f = world.files.get(id);
      if (f) f.trashed = true;
    },
  };
}

export function fakeStore(world: World): KeyValueStore {
  return {
    get<T>(key: string): T | null {
      world.tick();
      const raw = world.props.get(key);
      return raw === undefined ? null : (JSON.parse(raw) as T);
    },
    set(key, value) {
      world.tick();
      const raw = JSON.stringify(value);
      if (raw.length > 9 * 1024) throw new Error(`property ${key} is ${raw.length} bytes, over 9 KB`);
      world.props.set(key, raw);
    },
    delete(key) {
      world.tick();
      world.props.delete(key);
    },
  };
}

export function fakeLedger(world: World): LedgerStore {
  const table: LedgerTable = {
    name: 'JobRuns',
    headers: () => [],
    readAll: (): LedgerRow[] => world.rows.map((values, i) => ({ rowNumber: i + 2, values: values as LedgerRow['values'] })),
    append(rows) {
      world.tick();
      const start = world.rows.length + 2;
      world.rows.push(...rows);
      return rows.map((_, i) => start + i);
    },
    update(updates) {
      world.tick();
      for (const u of updates) world.rows[u.rowNumber - 2] = { ...world.rows[u.rowNumber - 2], ...u.values };
    },
  };
  return { table: () => table, url: () => 'https://sheet', flush: () => world.tick() };
}

export function fakeDeps(world: World, overrides: Partial<ExportDeps> = {}): ExportDeps {
  let runs = 0;
  return {
    mail: fakeMail(world),
    files: fakeFiles(world),
    store: fakeStore(world),
    ledger: fakeLedger(world),
    lock: {
      tryAcquire() {
        world.tick();
        if (world.locked) return null;
        world.locked = true;
        return { release: () => (world.locked = false) };
      },
    },
    scheduler: {
      schedule(handler) {
        world.triggers = world.triggers.filter((t) => t.handler !== handler);
      },
      installed: (handler) => world.triggers.filter((t) => t.handler === handler).length,
      continueAfter(handler, delayMs) {
        world.tick();
        world.triggers = [...world.triggers.filter((t) => t.handler !== handler), { handler, at: world.now + delayMs }];
      },
      repeatEvery(handler) {
        world.tick();
        world.triggers = [...world.triggers, { handler, at: Number.POSITIVE_INFINITY }];
        return true;
      },
    },
    clock: {
      now: () => world.now,
      sleep: (ms) => {
        world.now += ms;
      },
    },
    locale: 'fr',
    formatDate: (ms, pattern) => {
      const d = new Date(ms);
      const p = (n: number) => String(n).padStart(2, '0');
      return pattern
        .replace('yyyy', String(d.getUTCFullYear()))
        .replace('MM', p(d.getUTCMonth() + 1))
        .replace('dd', p(d.getUTCDate()))
        .replace('HH', p(d.getUTCHours()))
        .replace('mm', p(d.getUTCMinutes()));
    },
    hash: (text) => createHash('sha256').update(text).digest('hex'),
    codecs: { base64Decode },
    newRunId: () => `run-${++runs}-${world.now}`,
    ...overrides,
  };
}
