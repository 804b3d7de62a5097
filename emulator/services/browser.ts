// Browser: the old Sheets dialogs, inputBox and msgBox, with the Browser.Buttons constants. Nobody is
// there to click, so the answers are SCRIPTED in the workspace (`workspace.browser.answer(...)`, a
// queue, one answer per dialog) and every dialog is recorded (title, prompt, buttons, what it
// returned), like the Ui log of SpreadsheetApp.getUi(). Return values are the documented ones:
// msgBox gives the lower-case name of the clicked button, inputBox the typed text, and both 'cancel'
// for a cancelled or dismissed dialog. Only in a container-bound script with a user interface (not in
// a trigger, not standalone).
// https://developers.google.com/apps-script/reference/base/browser

import type { ServiceContext } from '../runtime/execution';
import { withNotEmulated } from './fake-support';

/** Browser.Buttons: the button sets a dialog may show (enum values are their names, as elsewhere). */
export const BrowserButtons = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' } as const;
export type BrowserButtonSet = keyof typeof BrowserButtons;

/** A button the user clicks; 'close' dismisses the dialog (its ✕). */
export type BrowserClick = 'ok' | 'cancel' | 'yes' | 'no' | 'close';

const BUTTONS_OF: Record<BrowserButtonSet, BrowserClick[]> = {
  OK: ['ok'],
  OK_CANCEL: ['ok', 'cancel'],
  YES_NO: ['yes', 'no'],
  YES_NO_CANCEL: ['yes', 'no', 'cancel'],
};

/** One scripted answer: the button clicked, the text typed (inputBox), the user's think time. */
export interface BrowserAnswer {
  button?: BrowserClick;
  text?: string;
  /** Virtual time the dialog stays open (the execution keeps running meanwhile). Default 0. */
  afterMs?: number;
}

export interface RecordedBrowserDialog {
  kind: 'msgBox' | 'inputBox';
  title: string;
  prompt: string;
  buttons: BrowserButtonSet;
  clicked: BrowserClick;
  /** What the method returned to the script. */
  returned: string;
}

/** The workspace's scripted answers (consumed in order) and the record of every dialog shown. */
export class BrowserDialogs {
  private readonly queue: BrowserAnswer[] = [];
  readonly dialogs: RecordedBrowserDialog[] = [];

  /** Queues the answers of the next dialogs, in order. Without one, a dialog is answered with its first button and no text. */
  answer(...answers: BrowserAnswer[]): this {
    this.queue.push(...answers);
    return this;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The next answer without consuming it (its think time is the dialog call's latency). */
  peek(): BrowserAnswer {
    return this.queue[0] ?? {};
  }

  take(): BrowserAnswer {
    return this.queue.shift() ?? {};
  }
}

const CONTEXT_ERROR = (method: string) => `Cannot call Browser.${method}() from this context; have you tried Logger.log() instead?`;

function dialogArguments(method: string, args: unknown[]): { title: string; prompt: string; buttons: BrowserButtonSet } {
  if (args.length === 0) throw new Error(`Invalid argument: the parameters () don't match the method signature for Browser.${method}.`);
  const [title, prompt, buttons] = args.length >= 3 ? [args[0], args[1], args[2]] : ['', args[0], args[1] ?? 'OK'];
  const set = String(buttons);
  if (!(set in BrowserButtons)) throw new Error(`Invalid argument: buttons`);
  return { title: String(title ?? ''), prompt: String(prompt ?? ''), buttons: set as BrowserButtonSet };
}

export class FakeBrowser implements Pick<GoogleAppsScript.Base.Browser, 'inputBox' | 'msgBox'> {
  readonly Buttons = BrowserButtons as unknown as GoogleAppsScript.Base.ButtonSet;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly log: BrowserDialogs,
    /** False in a trigger or a standalone script: the dialogs throw, as on the platform. */
    private readonly hasUi: boolean,
  ) {}

  /** inputBox(prompt) | inputBox(prompt, buttons) | inputBox(title, prompt, buttons) */
  inputBox(...args: unknown[]): string {
    return this.show('inputBox', args);
  }

  /** msgBox(prompt) | msgBox(prompt, buttons) | msgBox(title, prompt, buttons) */
  msgBox(...args: unknown[]): string {
    return this.show('msgBox', args);
  }

  private show(kind: 'inputBox' | 'msgBox', args: unknown[]): string {
    const answer = this.hasUi ? this.log.peek() : {};
    return this.ctx.call(
      `Browser.${kind}`,
      () => {
        if (!this.hasUi) throw new Error(CONTEXT_ERROR(kind));
        const { title, prompt, buttons } = dialogArguments(kind, args);
        const taken = this.log.take();
        const allowed = BUTTONS_OF[buttons];
        const clicked = taken.button ?? allowed[0];
        if (clicked !== 'close' && !allowed.includes(clicked)) {
          throw new Error(`Emulator: the scripted answer "${clicked}" is not a button of Browser.Buttons.${buttons}`);
        }
        let returned: string;
        if (clicked === 'close' || clicked === 'cancel') returned = 'cancel';
        else if (kind === 'msgBox') returned = clicked;
        else returned = clicked === 'no' ? 'no' : (taken.text ?? '');
        this.log.dialogs.push({ kind, title, prompt, buttons, clicked, returned });
        return returned;
      },
      answer.afterMs !== undefined ? { latencyMs: answer.afterMs } : {},
    );
  }
}

/** Browser for the sandbox. */
export function createBrowser(ctx: ServiceContext, log: BrowserDialogs, options: { hasUi: boolean }): GoogleAppsScript.Base.Browser {
  return withNotEmulated(new FakeBrowser(ctx, log, options.hasUi), 'Browser') as unknown as GoogleAppsScript.Base.Browser;
}
