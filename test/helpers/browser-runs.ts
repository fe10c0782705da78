// Runs of automation documents through one Engine in one shared Chromium for a test file: each run opens
// its own context in the browser (StartRunRequest.browser), so the files stay quick and runs stay apart.
import { after, before } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { tempDir, writeAutomation } from './env.js';

export interface BrowserRuns {
  run: (doc: Record<string, unknown>) => Promise<{ result: Awaited<ReturnType<Engine['run']>>; events: RunEvent[] }>;
}

/** Registers the file's before/after hooks (call it inside the describe) and gives its run function. */
export function browserRuns(prefix: string): BrowserRuns {
  let dir: string;
  let engine: Engine;
  let browser: Browser;
  before(async () => {
    dir = tempDir(prefix);
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir } });
    browser = await chromium.launch({ executablePath: findBrowser(), headless: true, timeout: 120_000 });
  });
  after(async () => {
    engine.close();
    await browser?.close();
  });
  return {
    run: async (doc) => {
      const file = writeAutomation(dir, `${Math.random().toString(36).slice(2)}.json`, doc);
      const events: RunEvent[] = [];
      const result = await engine.run({ file, browser }, (event) => events.push(event));
      return { result, events };
    },
  };
}

/** The warnings a run logged. */
export const warnings = (events: RunEvent[]): string[] => events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));
