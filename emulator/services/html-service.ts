// HtmlService: HTML outputs from the project's files (the runner maps "Sidebar" to dist/Sidebar.html)
// or from a string. A missing file throws Apps Script's message. Ui.showSidebar reads the recorded
// content and title so tests and the preview see exactly what the user would.
// https://developers.google.com/apps-script/reference/html/html-service

import type { ServiceContext } from '../runtime/execution';
import { FakeBlob } from './blob';
import { withNotEmulated } from './fake-support';

type HtmlOutput = GoogleAppsScript.HTML.HtmlOutput;

export const SandboxMode = { EMULATED: 'EMULATED', IFRAME: 'IFRAME', NATIVE: 'NATIVE' } as const;
export const XFrameOptionsMode = { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' } as const;

export class FakeHtmlOutput implements Pick<
  HtmlOutput,
  | 'getContent'
  | 'setContent'
  | 'append'
  | 'clear'
  | 'getTitle'
  | 'setTitle'
  | 'getWidth'
  | 'setWidth'
  | 'getHeight'
  | 'setHeight'
  | 'setSandboxMode'
  | 'setXFrameOptionsMode'
  | 'addMetaTag'
  | 'getBlob'
  | 'getAs'
> {
  content: string;
  title = '';
  width: number | null = null;
  height: number | null = null;
  sandboxMode: string = SandboxMode.IFRAME;
  xFrameOptionsMode: string = XFrameOptionsMode.DEFAULT;
  readonly metaTags: Array<{ name: string; content: string }> = [];

  constructor(
    private readonly ctx: ServiceContext,
    content: string,
    /** The project file it came from, if any. */
    readonly fileName: string | null = null,
  ) {
    this.content = content;
  }

  private self(): HtmlOutput {
    return this as unknown as HtmlOutput;
  }

  private call<T>(method: string, fn: () => T): T {
    return this.ctx.call(`HtmlService.HtmlOutput.${method}`, fn);
  }

  getContent(): string {
    return this.call('getContent', () => this.content);
  }
  setContent(content: string): HtmlOutput {
    return this.call('setContent', () => {
      this.content = String(content);
      return this.self();
    });
  }
  append(addedContent: string): HtmlOutput {
    return this.call('append', () => {
      this.content += String(addedContent);
      return this.self();
    });
  }
  clear(): HtmlOutput {
    return this.call('clear', () => {
      this.content = '';
      return this.self();
    });
  }
  getTitle(): string {
    return this.call('getTitle', () => this.title);
  }
  setTitle(title: string): HtmlOutput {
    return this.call('setTitle', () => {
      this.title = String(title);
      return this.self();
    });
  }
  getWidth(): number {
    return this.call('getWidth', () => this.width as number);
  }
  setWidth(width: number): HtmlOutput {
    return this.call('setWidth', () => {
      this.width = width;
      return this.self();
    });
  }
  getHeight(): number {
    return this.call('getHeight', () => this.height as number);
  }
  setHeight(height: number): HtmlOutput {
    return this.call('setHeight', () => {
      this.height = height;
      return this.self();
    });
  }
  setSandboxMode(mode: GoogleAppsScript.HTML.SandboxMode): HtmlOutput {
    return this.call('setSandboxMode', () => {
      this.sandboxMode = String(mode);
      return this.self();
    });
  }
  setXFrameOptionsMode(mode: GoogleAppsScript.HTML.XFrameOptionsMode): HtmlOutput {
    return this.call('setXFrameOptionsMode', () => {
      this.xFrameOptionsMode = String(mode);
      return this.self();
    });
  }
  addMetaTag(name: string, content: string): HtmlOutput {
    return this.call('addMetaTag', () => {
      this.metaTags.push({ name, content });
      return this.self();
    });
  }
  /** The content as a text/html Blob (UTF-8), named after the title when there is one. */
  getBlob(): GoogleAppsScript.Base.Blob {
    return this.call(
      'getBlob',
      () => FakeBlob.fromString(this.content, 'text/html', this.title || null) as unknown as GoogleAppsScript.Base.Blob,
    );
  }
  /** getBlob().getAs(contentType): 'application/pdf' gives a PDF of the HTML's text (see Blob.getAs). */
  getAs(contentType: string): GoogleAppsScript.Base.Blob {
    return this.call('getAs', () => FakeBlob.fromString(this.content, 'text/html', this.title || null).getAs(contentType));
  }
}

export class FakeHtmlService implements Pick<GoogleAppsScript.HTML.HtmlService, 'createHtmlOutput' | 'createHtmlOutputFromFile'> {
  readonly SandboxMode = SandboxMode;
  readonly XFrameOptionsMode = XFrameOptionsMode;

  constructor(
    /** Project HTML files by name without extension: { Sidebar: '<!doctype html>…' }. */
    private readonly files: Record<string, string>,
    private readonly ctx: ServiceContext,
  ) {}

  private output(content: string, fileName: string | null = null): HtmlOutput {
    return withNotEmulated(new FakeHtmlOutput(this.ctx, content, fileName), 'HtmlService.HtmlOutput') as unknown as HtmlOutput;
  }

  createHtmlOutput(html?: string | GoogleAppsScript.Base.BlobSource): HtmlOutput {
    return this.ctx.call('HtmlService.createHtmlOutput', () => {
      if (html === undefined || html === null) return this.output('');
      if (typeof html === 'string') return this.output(html);
      return this.output(html.getBlob().getDataAsString());
    });
  }

  createHtmlOutputFromFile(filename: string): HtmlOutput {
    return this.ctx.call('HtmlService.createHtmlOutputFromFile', () => {
      // The editor stores "Sidebar.html" as "Sidebar"; either name finds it.
      const name = String(filename).replace(/\.html$/, '');
      const content = this.files[name];
      if (content === undefined) throw new Error(`No HTML file named ${filename} was found.`);
      return this.output(content, name);
    });
  }
}

/** HtmlService for the sandbox over the project's HTML files. */
export function createHtmlService(files: Record<string, string>, ctx: ServiceContext): GoogleAppsScript.HTML.HtmlService {
  return withNotEmulated(new FakeHtmlService(files, ctx), 'HtmlService') as unknown as GoogleAppsScript.HTML.HtmlService;
}
