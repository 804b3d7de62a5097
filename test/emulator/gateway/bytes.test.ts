// Bytes through the gateway: attachments and raw messages come out exactly as Gmail holds them through
// both transports, every byte value 0–255 and lengths that are not a multiple of 3, and they are decoded
// by the platform (Utilities.base64DecodeWebSafe through REST; the Advanced service hands over bytes,
// which are taken as they are), one call for a whole batch: the script's own JavaScript never decodes
// base64 for them. An answer
// whose bytes are not base64 fails that item with a TransientError; the other items go on.

import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';
import { KINDS, SUPPLIER, crlf, harnessSource, type Kind } from './helpers';

/** Every byte value, three times, then `extra` more: lengths 768 + extra. */
function allBytes(extra: number): Buffer {
  const out = Buffer.alloc(768 + extra);
  for (let i = 0; i < out.length; i++) out[i] = (i * 7 + 3) & 0xff;
  for (let v = 0; v < 256; v++) out[v] = v;
  return out;
}

const ONE = allBytes(1); // 769 bytes: 1 left over after groups of 3
const TWO = allBytes(2); // 770 bytes: 2 left over
const wrap = (bytes: Buffer): string => (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\n');

function eml(user: string): Buffer {
  return crlf(`From: Verrerie <${SUPPLIER}>
To: ${user}
Subject: Octets
Date: ${new Date(Date.UTC(2026, 0, 5, 8)).toUTCString()}
Message-ID: <bytes@fournisseur-verre.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mix"

--mix
Content-Type: text/plain; charset=UTF-8

Deux fichiers.
--mix
Content-Type: application/octet-stream; name="one.bin"
Content-Disposition: attachment; filename="one.bin"
Content-Transfer-Encoding: base64

${wrap(ONE)}
--mix
Content-Type: application/octet-stream; name="two.bin"
Content-Disposition: attachment; filename="two.bin"
Content-Transfer-Encoding: base64

${wrap(TWO)}
--mix--
`);
}

function invoke(runner: Runner, fn: string, args: unknown[]) {
  const outcome = runner.invoke(fn, args, 'cli');
  if (outcome.outcome !== 'completed') throw new Error(`${fn}: ${outcome.outcome} ${outcome.error?.message ?? ''}`);
  const calls = outcome.counts.calls as Record<string, number>;
  return { ...(JSON.parse(String(outcome.value)) as { result: any; usage: { calls: number } }), calls };
}

describe.each(KINDS)('gateway bytes through %s', (kind: Kind) => {
  const workspace = Workspace.create();
  const id = workspace.mailbox.importRaw(new Uint8Array(eml(workspace.session.userEmail))).id;
  const runner = new Runner(workspace, { source: harnessSource(), sidebarPath: null });
  const run = (operation: string, ...args: unknown[]) => invoke(runner, 'gatewayRun', [kind, operation, JSON.stringify(args)]);

  it('attachments of every byte value, 769 and 770 bytes long, come back exactly, decoded by the platform', () => {
    const message = run('getMessages', [id], 'full').result[0].value;
    const refs = message.view.attachments.map((a: { attachmentId: string }) => ({ messageId: id, attachmentId: a.attachmentId }));
    expect(refs).toHaveLength(2);
    const got = run('getAttachments', refs);
    expect(got.result.map((o: { ok: boolean }) => o.ok)).toEqual([true, true]);
    expect(Buffer.from(got.result[0].value.bytes)).toEqual(ONE);
    expect(Buffer.from(got.result[1].value.bytes)).toEqual(TWO);
    // REST: ONE Utilities.base64DecodeWebSafe for the batch; Advanced: the service's bytes, no decoding.
    expect(got.calls['Utilities.base64DecodeWebSafe'] ?? 0).toBe(kind === 'rest' ? 1 : 0);
    expect(got.calls['Utilities.base64EncodeWebSafe'] ?? 0).toBe(0);
  });

  it('a raw message comes back as the exact bytes Gmail holds', () => {
    const got = run('getMessages', [id], 'raw');
    expect(Buffer.from(got.result[0].value.raw.bytes)).toEqual(Buffer.from(workspace.mailbox.getMessage(id)!.raw));
    expect(got.calls['Utilities.base64DecodeWebSafe'] ?? 0).toBe(kind === 'rest' ? 1 : 0);
  });
});

describe('an answer whose bytes are not base64', () => {
  const runner = new Runner(Workspace.create(), { source: harnessSource(), sidebarPath: null });
  const over = (operation: string, args: unknown[], answers: unknown[]) =>
    invoke(runner, 'gatewayRunOverAnswers', [operation, JSON.stringify(args), JSON.stringify(answers)]);
  const refs = [
    { messageId: 'm1', attachmentId: 'a1' },
    { messageId: 'm1', attachmentId: 'a2' },
    { messageId: 'm2', attachmentId: 'a3' },
  ];

  it('fails that attachment alone with a TransientError (malformedAnswer), not the batch', () => {
    const got = over('getAttachments', [refs], [{ data: 'AAEC_w==' }, { data: 'ab$d' }, { data: '' }]);
    expect(got.result[0]).toEqual({ ok: true, value: { bytes: [0, 1, 2, 255] } });
    expect(got.result[1]).toEqual({
      ok: false,
      error: expect.objectContaining({
        kind: 'transient',
        name: 'TransientError',
        operation: 'getAttachments',
        reasons: ['malformedAnswer'],
        mayHaveHappened: false,
      }),
    });
    expect(got.result[1].error.detail).toMatch(/not base64/);
    expect(got.result[1].error.fr).toMatch(/Gmail n’a pas répondu correctement/);
    expect(got.result[2]).toEqual({ ok: true, value: { bytes: [] } });
    // The text that is not base64 is refused before the platform call; the good one is decoded by it.
    expect(got.calls['Utilities.base64DecodeWebSafe']).toBe(1);
  });

  it('fails a raw message the same way', () => {
    const got = over(
      'getMessages',
      [['m1', 'm2'], 'raw'],
      [
        { id: 'm1', raw: '%%%%' },
        { id: 'm2', raw: Buffer.from('Subject: ok\r\n\r\nhi').toString('base64url') },
      ],
    );
    expect(got.result[0]).toEqual({ ok: false, error: expect.objectContaining({ kind: 'transient', reasons: ['malformedAnswer'] }) });
    expect(got.result[1].ok).toBe(true);
    expect(got.result[1].value.headers.subject).toBe('ok');
  });
});
