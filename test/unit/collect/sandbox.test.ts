// The collect domain must run inside Apps Script's V8, which has no Buffer, TextDecoder, atob or
// require. Bundle it with esbuild and run it in a bare `vm` context (ECMAScript built-ins only).
import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import path from 'node:path';
import vm from 'node:vm';
import { filePart, message, multipart, pdfBytes, textPart } from './fixtures';

const entry = path.resolve(__dirname, '../../../src/server/domain/collect/index.ts');

describe('collect domain in a bare V8 context', () => {
  const { outputFiles } = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'Collect',
    target: 'es2020',
    platform: 'neutral',
  });
  const code = outputFiles[0].text;
  const context = vm.createContext({});
  vm.runInContext(code, context);

  it('has no Node or browser globals to lean on', () => {
    expect(vm.runInContext('[typeof Buffer, typeof TextDecoder, typeof atob, typeof require, typeof process].join()', context)).toBe(
      'undefined,undefined,undefined,undefined,undefined',
    );
  });

  it('walks, classifies and hashes there exactly as in Node', () => {
    const pdf = pdfBytes('sandbox');
    const signed = Array.from(pdf, (b) => (b > 127 ? b - 256 : b));
    const msg = message(
      'sbx',
      { Subject: '=?UTF-8?B?UmXDp3U=?=' },
      multipart('', 'mixed', [
        textPart('0', 'text/html', '<a href="https://drive.google.com/file/d/X/view">x</a>'),
        filePart('1', 'application/pdf', 'Reçu.pdf', pdf.length, { disposition: "attachment; filename*=UTF-8''Re%C3%A7u%20n%C2%B03.pdf" }),
      ]),
    );
    context.input = JSON.stringify({ msg, signed });
    const out = JSON.parse(
      vm.runInContext(
        `(() => {
          const { msg, signed } = JSON.parse(input);
          const walk = Collect.walkMessage(msg);
          const settings = Collect.parseCollectSettings({ allowedSenders: ['@fournisseur.fr'] }, { addonMode: true });
          const c = walk.candidates[0];
          return JSON.stringify({
            subject: walk.message.subject,
            filename: c.filename,
            links: walk.driveLinks,
            sender: Collect.classifySender(walk.message.from.address, walk.message.auth, settings),
            verdict: Collect.classifyAttachment({ declaredMimeType: c.mimeType, filename: c.filename, size: signed.length, bytes: signed }, settings).verdict,
            sha: Collect.sha256Hex(signed),
            name: Collect.storagePath('ingested', '2025-01-31', Collect.sanitizeFileName(c.filename)),
            fr: Collect.formatCollectSummary('fr', Object.assign(Collect.emptyMetrics(), { receiptsCreated: 1 })),
          });
        })()`,
        context,
      ),
    );
    expect(out).toEqual({
      subject: 'Reçu',
      filename: 'Reçu n°3.pdf',
      links: ['https://drive.google.com/file/d/X/view'],
      sender: { verdict: 'ok' },
      verdict: 'ingest',
      sha: createHash('sha256').update(pdf).digest('hex'),
      name: 'incoming/2025-01-31/Reçu n°3.pdf',
      fr: '1 justificatif importé, 0 en quarantaine, 0 doublon ignoré',
    });
  });
});
