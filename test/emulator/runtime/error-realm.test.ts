// Errors a service throws are the script's own Errors, as on the platform: `instanceof Error` holds
// inside the script, and the message is the service's.

import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';

const SCRIPT = `
function probe() {
  try {
    DriveApp.getFileById('nope');
    return 'no error';
  } catch (error) {
    return { isError: error instanceof Error, name: error.name, message: error.message, text: String(error) };
  }
}
function probeTimeout() {
  try { while (true) Utilities.sleep(60000); } catch (error) { return { isError: error instanceof Error, message: error.message }; }
}`;

describe('service errors in the script realm', () => {
  it('a DriveApp error is an Error of the script', () => {
    const result = new Runner(Workspace.create(), { source: SCRIPT }).invoke('probe', [], 'menu');
    expect(result.outcome).toBe('completed');
    expect(result.value).toMatchObject({ isError: true, name: 'Error' });
    const value = result.value as { message: string; text: string };
    expect(value.text).toBe(`Error: ${value.message}`);
    expect(value.message).toMatch(/No item with the given ID could be found/);
  });

  it('the end of an execution reaches the script as an Error too, and is still a kill', () => {
    const result = new Runner(Workspace.create(), { source: SCRIPT }).invoke('probeTimeout', [], 'menu');
    expect(result.outcome).toBe('timed-out');
    expect(result.error?.message).toBe('Exceeded maximum execution time');
  });
});
