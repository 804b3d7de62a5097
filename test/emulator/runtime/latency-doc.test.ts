// The latency table is documented in emulator/FIDELITY.md; this keeps the page and the code in step.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LATENCY_TABLE, latencyOf } from '../../../emulator/latency';

describe('latency table', () => {
  const doc = readFileSync(join(__dirname, '../../../emulator/FIDELITY.md'), 'utf8');

  it.each(Object.entries(LATENCY_TABLE))('%s is documented with its value and source', (key, entry) => {
    const row = `| \`${key}\`${key.endsWith('.') ? ' (prefix)' : ''} | ${entry.ms} | ${entry.source} |`;
    expect(doc).toContain(row);
  });

  it('resolves exact keys, then the longest prefix, then the default', () => {
    expect(latencyOf('DriveApp.File.getName')).toBe(1);
    expect(latencyOf('DriveApp.Folder.createFile')).toBe(400);
    expect(latencyOf('DriveApp.getFolderById')).toBe(150);
    expect(latencyOf('DriveApp.FileIterator.next')).toBe(20);
    expect(latencyOf('Nothing.known')).toBe(10);
  });
});
