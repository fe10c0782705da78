// One browser per run: launched by browser.open, shared with called automations, closed
// when the run ends. Keeps the list of tabs in opening order and answers dialogs.
import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { RpaError } from '../errors.js';

export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface DialogAnswer {
  action: 'accept' | 'dismiss';
  promptText?: string | undefined;
  expectMessage?: string | undefined;
  /** Step path of the browser.dialog step that armed this answer. */
  armedBy: string;
  onDialog(message: string): void;
}

export interface SessionLog {
  (level: 'info' | 'warn', message: string): void;
}

export class BrowserSession {
  private readonly pages: Page[] = [];
  private current: Page | undefined;
  private readonly armed: DialogAnswer[] = [];
  /** Problems found while answering dialogs; reported by the step that triggered them. */
  readonly dialogProblems: string[] = [];

  private constructor(
    readonly browser: Browser,
    readonly context: BrowserContext,
    private readonly log: SessionLog,
  ) {
    context.on('page', (page) => this.track(page));
  }

  static async launch(options: { executablePath: string; headless: boolean; viewport?: { width: number; height: number } | undefined; log: SessionLog }): Promise<BrowserSession> {
    // Loaded on first use: importing playwright-core costs ~0.4 s, and runs without a
    // browser (or `rpa validate`, `rpa runs`) should not pay it.
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: options.executablePath, headless: options.headless, args: CHROMIUM_ARGS, timeout: 60_000 });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, acceptDownloads: true });
    const session = new BrowserSession(browser, context, options.log);
    session.current = await context.newPage();
    return session;
  }

  private track(page: Page): void {
    if (this.pages.includes(page)) return;
    this.pages.push(page);
    page.on('dialog', (dialog) => void this.answer(dialog));
    page.on('close', () => {
      const index = this.pages.indexOf(page);
      if (index >= 0) this.pages.splice(index, 1);
    });
  }

  private async answer(dialog: Dialog): Promise<void> {
    const message = dialog.message();
    const answer = this.armed.shift();
    try {
      if (!answer) {
        this.log('warn', `unexpected ${dialog.type()} "${message}" was dismissed; add a browser.dialog step before the step that opens it`);
        await dialog.dismiss();
        return;
      }
      if (answer.expectMessage !== undefined && !message.includes(answer.expectMessage)) {
        this.dialogProblems.push(`the ${dialog.type()} said "${message}", expected it to contain "${answer.expectMessage}" (browser.dialog at step ${answer.armedBy})`);
      }
      answer.onDialog(message);
      this.log('info', `${dialog.type()} "${message}" → ${answer.action}`);
      if (answer.action === 'accept') await dialog.accept(answer.promptText);
      else await dialog.dismiss();
    } catch (error) {
      // The page may have gone away while the dialog was open; nothing is waiting on it then.
      this.log('warn', `could not answer dialog "${message}": ${(error as Error).message}`);
    }
  }

  armDialog(answer: DialogAnswer): void {
    this.armed.push(answer);
  }

  /** browser.dialog steps whose dialog never came. */
  unusedDialogAnswers(): string[] {
    return this.armed.map((a) => a.armedBy);
  }

  get page(): Page {
    if (!this.current || this.current.isClosed()) {
      throw new RpaError('the current tab was closed; add a browser.switchTab step to continue in another tab');
    }
    return this.current;
  }

  openPages(): Page[] {
    return this.pages.filter((p) => !p.isClosed());
  }

  async switchTo(page: Page): Promise<void> {
    this.current = page;
    await page.bringToFront();
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await this.browser.close().catch(() => undefined);
  }
}
