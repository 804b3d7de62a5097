// The editor's Ui as scripts see it (SpreadsheetApp.getUi()): menus, sidebars, dialogs, alerts and
// prompts are RECORDED in a UiLog so tests and the preview can read what the user saw; alert and
// prompt answer with a configurable button (and text), as a user clicking would.
// https://developers.google.com/apps-script/reference/base/ui

import type { ServiceContext } from '../runtime/execution';
import { withNotEmulated } from '../services/fake-support';
import { FakeHtmlOutput } from '../services/html-service';

type Ui = GoogleAppsScript.Base.Ui;
type Menu = GoogleAppsScript.Base.Menu;

export const Button = { CLOSE: 'CLOSE', OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO' } as const;
export const ButtonSet = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' } as const;
export type ButtonName = keyof typeof Button;

export type MenuEntry = { caption: string; functionName: string } | { separator: true } | { subMenu: RecordedMenu };

export interface RecordedMenu {
  caption: string;
  /** createAddonMenu(): shown under Extensions → <add-on name>. */
  addon: boolean;
  entries: MenuEntry[];
}

export interface RecordedHtml {
  kind: 'sidebar' | 'modal' | 'modeless';
  title: string;
  html: string;
  width: number | null;
  height: number | null;
  fileName: string | null;
}

export interface RecordedDialog {
  kind: 'alert' | 'prompt';
  title: string;
  prompt: string;
  buttons: string;
  response: ButtonName;
  responseText?: string;
}

/** Everything the user saw, in order. */
export class UiLog {
  readonly menus: RecordedMenu[] = [];
  readonly html: RecordedHtml[] = [];
  readonly dialogs: RecordedDialog[] = [];
  /** Button the next alert/prompt answers with (then resets to OK). */
  nextButton: ButtonName = 'OK';
  /** Text the next prompt answers with. */
  nextPromptText = '';

  get sidebars(): RecordedHtml[] {
    return this.html.filter((entry) => entry.kind === 'sidebar');
  }
}

function recordHtml(log: UiLog, kind: RecordedHtml['kind'], output: GoogleAppsScript.HTML.HtmlOutput, title?: string): void {
  if (!(output instanceof FakeHtmlOutput)) throw new Error('Invalid argument: userInterface');
  log.html.push({
    kind,
    title: title ?? output.title,
    html: output.content,
    width: output.width,
    height: output.height,
    fileName: output.fileName,
  });
}

export class FakeMenu implements Pick<Menu, 'addItem' | 'addSeparator' | 'addSubMenu' | 'addToUi'> {
  readonly recorded: RecordedMenu;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly log: UiLog,
    caption: string,
    addon: boolean,
  ) {
    this.recorded = { caption, addon, entries: [] };
  }

  private self(): Menu {
    return this as unknown as Menu;
  }

  addItem(caption: string, functionName: string): Menu {
    return this.ctx.call('SpreadsheetApp.Ui.Menu.addItem', () => {
      this.recorded.entries.push({ caption: String(caption), functionName: String(functionName) });
      return this.self();
    });
  }
  addSeparator(): Menu {
    return this.ctx.call('SpreadsheetApp.Ui.Menu.addSeparator', () => {
      this.recorded.entries.push({ separator: true });
      return this.self();
    });
  }
  addSubMenu(menu: Menu): Menu {
    return this.ctx.call('SpreadsheetApp.Ui.Menu.addSubMenu', () => {
      if (!(menu instanceof FakeMenu)) throw new Error('Invalid argument: menu');
      this.recorded.entries.push({ subMenu: menu.recorded });
      return this.self();
    });
  }
  addToUi(): void {
    this.ctx.call('SpreadsheetApp.Ui.Menu.addToUi', () => {
      // Adding the same menu again replaces it, as re-running onOpen does in the editor.
      const index = this.log.menus.findIndex((menu) => menu.caption === this.recorded.caption && menu.addon === this.recorded.addon);
      if (index >= 0) this.log.menus.splice(index, 1, this.recorded);
      else this.log.menus.push(this.recorded);
    });
  }
}

class FakePromptResponse implements Pick<GoogleAppsScript.Base.PromptResponse, 'getResponseText' | 'getSelectedButton'> {
  constructor(
    private readonly text: string,
    private readonly button: ButtonName,
  ) {}
  getResponseText(): string {
    return this.text;
  }
  getSelectedButton(): GoogleAppsScript.Base.Button {
    return this.button as unknown as GoogleAppsScript.Base.Button;
  }
}

export class FakeUi implements Pick<
  Ui,
  'createMenu' | 'createAddonMenu' | 'showSidebar' | 'showModalDialog' | 'showModelessDialog' | 'alert' | 'prompt'
> {
  readonly Button = Button;
  readonly ButtonSet = ButtonSet;

  constructor(
    private readonly ctx: ServiceContext,
    readonly log: UiLog,
    /** Add-on name shown for createAddonMenu(). */
    private readonly addonName = 'Postroom',
  ) {}

  createMenu(caption: string): Menu {
    return this.ctx.call(
      'SpreadsheetApp.Ui.createMenu',
      () => withNotEmulated(new FakeMenu(this.ctx, this.log, String(caption), false), 'SpreadsheetApp.Ui.Menu') as unknown as Menu,
    );
  }
  createAddonMenu(): Menu {
    return this.ctx.call(
      'SpreadsheetApp.Ui.createAddonMenu',
      () => withNotEmulated(new FakeMenu(this.ctx, this.log, this.addonName, true), 'SpreadsheetApp.Ui.Menu') as unknown as Menu,
    );
  }
  showSidebar(userInterface: GoogleAppsScript.HTML.HtmlOutput): void {
    this.ctx.call('SpreadsheetApp.Ui.showSidebar', () => recordHtml(this.log, 'sidebar', userInterface));
  }
  showModalDialog(userInterface: GoogleAppsScript.HTML.HtmlOutput, title: string): void {
    this.ctx.call('SpreadsheetApp.Ui.showModalDialog', () => recordHtml(this.log, 'modal', userInterface, title));
  }
  showModelessDialog(userInterface: GoogleAppsScript.HTML.HtmlOutput, title: string): void {
    this.ctx.call('SpreadsheetApp.Ui.showModelessDialog', () => recordHtml(this.log, 'modeless', userInterface, title));
  }

  /** alert(prompt) | alert(prompt, buttons) | alert(title, prompt, buttons) */
  alert(...args: unknown[]): GoogleAppsScript.Base.Button {
    return this.ctx.call('SpreadsheetApp.Ui.alert', () => {
      const { title, prompt, buttons } = dialogArguments(args);
      const response = this.takeButton();
      this.log.dialogs.push({ kind: 'alert', title, prompt, buttons, response });
      return response as unknown as GoogleAppsScript.Base.Button;
    });
  }

  /** prompt(prompt) | prompt(prompt, buttons) | prompt(title, prompt, buttons) */
  prompt(...args: unknown[]): GoogleAppsScript.Base.PromptResponse {
    return this.ctx.call('SpreadsheetApp.Ui.prompt', () => {
      const { title, prompt, buttons } = dialogArguments(args);
      const response = this.takeButton();
      const responseText = this.log.nextPromptText;
      this.log.nextPromptText = '';
      this.log.dialogs.push({ kind: 'prompt', title, prompt, buttons, response, responseText });
      return new FakePromptResponse(responseText, response) as unknown as GoogleAppsScript.Base.PromptResponse;
    });
  }

  private takeButton(): ButtonName {
    const button = this.log.nextButton;
    this.log.nextButton = 'OK';
    return button;
  }
}

function dialogArguments(args: unknown[]): { title: string; prompt: string; buttons: string } {
  if (args.length >= 3) return { title: String(args[0]), prompt: String(args[1]), buttons: String(args[2]) };
  return { title: '', prompt: String(args[0] ?? ''), buttons: args.length === 2 ? String(args[1]) : ButtonSet.OK };
}

export function createUi(ctx: ServiceContext, log: UiLog, addonName?: string): Ui {
  return withNotEmulated(new FakeUi(ctx, log, addonName), 'SpreadsheetApp.Ui') as unknown as Ui;
}
