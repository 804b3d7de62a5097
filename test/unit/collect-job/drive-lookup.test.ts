// The careful probe's Drive lookup, pure parts: the files.list query of a name (quotes and backslashes
// escaped as Drive's query grammar wants), and the answer read into files with Drive's SHA-256 (an
// error answer throws, so the upload stays in doubt). The lookup itself runs in the collect e2e tests
// against the emulator's Drive API (collect-resilience, collect-uploads).

import { driveQueryString, readSameNameAnswer, sameNameQueryUrl, subfolderQueryUrl } from '../../../src/server/adapters/drive-lookup';

describe('drive lookup by name', () => {
  it('quotes a name with quotes and backslashes', () => {
    expect(driveQueryString(`l'état\\2026.pdf`)).toBe(`'l\\'état\\\\2026.pdf'`);
  });

  it('asks for the non-trashed files of that name in that folder, with size and sha256Checksum', () => {
    const url = new URL(sameNameQueryUrl('folder-1', "d'avril.pdf"));
    expect(url.origin + url.pathname).toBe('https://www.googleapis.com/drive/v3/files');
    expect(url.searchParams.get('q')).toBe(`'folder-1' in parents and name = 'd\\'avril.pdf' and trashed = false`);
    expect(url.searchParams.get('fields')).toBe('files(id,name,mimeType,size,sha256Checksum,webViewLink)');
  });

  it('asks for the non-trashed subfolders of that name, ids only', () => {
    const url = new URL(subfolderQueryUrl('parent-1', '2026-01-05'));
    expect(url.searchParams.get('q')).toBe(
      `'parent-1' in parents and name = '2026-01-05' and mimeType = 'application/vnd.google-apps.folder' and trashed = false`,
    );
    expect(url.searchParams.get('fields')).toBe('files(id)');
  });

  it('reads the files of an answer; a file without checksum has sha256 ""', () => {
    const text = JSON.stringify({
      files: [
        { id: 'a', name: 'f.pdf', mimeType: 'application/pdf', size: '12', sha256Checksum: 'ABCDEF', webViewLink: 'https://d/a' },
        { id: 'b', name: 'f.pdf', mimeType: 'application/vnd.google-apps.document' },
      ],
    });
    expect(readSameNameAnswer(200, text)).toEqual([
      { id: 'a', name: 'f.pdf', mimeType: 'application/pdf', size: 12, sha256: 'abcdef', url: 'https://d/a' },
      { id: 'b', name: 'f.pdf', mimeType: 'application/vnd.google-apps.document', size: 0, sha256: '', url: '' },
    ]);
    expect(readSameNameAnswer(200, '{}')).toEqual([]);
  });

  it('throws for an error answer', () => {
    expect(() => readSameNameAnswer(503, 'backend error')).toThrow('Drive files.list: HTTP 503: backend error');
  });
});
