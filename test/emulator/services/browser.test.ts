// Browser.inputBox / Browser.msgBox with the Browser.Buttons sets: answers scripted in the workspace
// (workspace.browser.answer), every dialog recorded, the documented return values ('cancel' for a
// cancelled or dismissed dialog, the lower-case button name for msgBox), and no dialog where there is
// no user interface. https://developers.google.com/apps-script/reference/base/browser

import { Runner } from '../../../emulator/runner';
import { Workspace } from '../../../emulator/workspace';

const script = `
  function ask() { return Browser.inputBox('Mail Merge', 'Objet du brouillon :', Browser.Buttons.OK_CANCEL); }
  function askShort() { return Browser.inputBox('Votre nom ?'); }
  function confirm() { return Browser.msgBox('Envoi', 'Envoyer 12 factures ?', Browser.Buttons.YES_NO_CANCEL); }
  function inform() { return Browser.msgBox('Terminé'); }
  function twice() { return [Browser.msgBox('Un', Browser.Buttons.YES_NO), Browser.inputBox('Deux', Browser.Buttons.OK_CANCEL)]; }
  function buttons() { return [Browser.Buttons.OK, Browser.Buttons.OK_CANCEL, Browser.Buttons.YES_NO, Browser.Buttons.YES_NO_CANCEL]; }
`;

function setup(options: Parameters<typeof Workspace.create>[0] = {}) {
  const workspace = Workspace.create(options);
  return { workspace, runner: new Runner(workspace, { source: script }) };
}

describe('Browser.inputBox', () => {
  it('returns the scripted text when OK is clicked, and records the dialog', () => {
    const { workspace, runner } = setup();
    workspace.browser.answer({ button: 'ok', text: 'Facture {{Nom}}' });
    expect(runner.menu('ask').value).toBe('Facture {{Nom}}');
    expect(workspace.browser.dialogs).toEqual([
      {
        kind: 'inputBox',
        title: 'Mail Merge',
        prompt: 'Objet du brouillon :',
        buttons: 'OK_CANCEL',
        clicked: 'ok',
        returned: 'Facture {{Nom}}',
      },
    ]);
  });

  it("returns 'cancel' when cancelled or dismissed", () => {
    const { workspace, runner } = setup();
    workspace.browser.answer({ button: 'cancel', text: 'ignored' }, { button: 'close' });
    expect(runner.menu('ask').value).toBe('cancel');
    expect(runner.menu('askShort').value).toBe('cancel');
  });

  it('answers an unscripted dialog with its first button and no text', () => {
    const { workspace, runner } = setup();
    expect(runner.menu('askShort').value).toBe('');
    expect(workspace.browser.dialogs[0]).toMatchObject({ title: '', prompt: 'Votre nom ?', buttons: 'OK', clicked: 'ok' });
  });

  it("charges the user's think time to the execution, up to its limit", () => {
    const { workspace, runner } = setup();
    workspace.browser.answer({ text: 'x', afterMs: 90_000 }, { text: 'y', afterMs: 7 * 60_000 });
    const first = runner.menu('ask');
    expect(first.endedAt - first.startedAt).toBeGreaterThanOrEqual(90_000);
    const second = runner.menu('ask');
    expect(second.outcome).toBe('timed-out');
    expect(workspace.browser.pending).toBe(1); // the dialog that never came back is not consumed
  });
});

describe('Browser.msgBox', () => {
  it('returns the lower-case name of the clicked button', () => {
    const { workspace, runner } = setup();
    workspace.browser.answer({ button: 'no' }, { button: 'yes' }, { button: 'ok', text: 'Nom' });
    expect(runner.menu('confirm').value).toBe('no');
    expect(runner.menu('twice').value).toEqual(['yes', 'Nom']);
    expect(runner.menu('inform').value).toBe('ok');
  });

  it('refuses a scripted button the dialog does not show (a test mistake, said plainly)', () => {
    const { workspace, runner } = setup();
    workspace.browser.answer({ button: 'yes' });
    expect(runner.menu('inform').error?.message).toContain('"yes" is not a button of Browser.Buttons.OK');
  });

  it('exposes the Browser.Buttons constants', () => {
    expect(setup().runner.menu('buttons').value).toEqual(['OK', 'OK_CANCEL', 'YES_NO', 'YES_NO_CANCEL']);
  });
});

describe('where there is no user interface', () => {
  it('throws in a time-driven trigger and in a standalone script', () => {
    const { runner } = setup();
    expect(runner.invoke('inform', [], 'trigger').error?.message).toBe(
      'Cannot call Browser.msgBox() from this context; have you tried Logger.log() instead?',
    );
    const standalone = setup({ container: false });
    expect(standalone.runner.menu('ask').error?.message).toMatch(/^Cannot call Browser\.inputBox\(\) from this context/);
  });
});
