// The recorder and frames it cannot run in: a frame sandboxed without scripts gets no recorder,
// so what the person does inside it cannot be recorded. That must be said — on the toolbar, to
// the caller (rpa record prints it) and in the saved automation — never lost without a word.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startRecording } from '../../recorder/api.js';
import { startChallengeServer, type ChallengeServer } from '../challenges/server.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('recorder and frames it cannot enter', { skip, timeout: 120_000 }, () => {
  let server: ChallengeServer;
  before(async () => {
    server = await startChallengeServer();
  });
  after(async () => {
    await server.close();
  });

  it('warns about a frame sandboxed without scripts on the toolbar, to onWarning and in the saved automation', { timeout: 120_000 }, async () => {
    const said: string[] = [];
    const session = await startRecording({ url: `${server.url}/frame-sandboxed`, headless: true, executablePath: CHROMIUM, onWarning: (m) => said.push(m) });
    let stopped = false;
    try {
      const page = session.page;
      const legacy = page.frameLocator('iframe[title="Legacy"]');
      await legacy.getByLabel('Code').click();
      await page.keyboard.type('A-17');
      await page.getByRole('button', { name: 'Done' }).click();
      await until('the warning', () => said.length > 0);
      assert.equal(said.length, 1, said.join('\n'));
      assert.match(said[0]!, /iframe\[title="Legacy"\].*cannot be recorded: it is sandboxed without scripts \(sandbox="allow-forms"\).*NOT recorded/);
      const toolbar = await until('the toolbar warning', () =>
        page.evaluate(() => (globalThis as unknown as { __rpaRecorder: { toolbarText(): string } }).__rpaRecorder.toolbarText()).then((t) => (t.includes('cannot be recorded') ? t : undefined)),
      );
      assert.match(toolbar, /⚠ the frame iframe\[title="Legacy"\]/);
      const doc = await session.stop();
      stopped = true;
      assert.deepEqual(session.warnings(), said);
      const warning = doc.steps.find((s) => s.kind === 'log');
      assert.ok(warning && warning.kind === 'log' && warning.level === 'warn' && warning.message.includes('cannot be recorded'), JSON.stringify(doc.steps));
      assert.match(doc.description ?? '', /Not recorded: the frame iframe\[title="Legacy"\]/);
      // The click on Done, outside the frame, is recorded as usual.
      assert.ok(doc.steps.some((s) => s.kind === 'browser.click' && s.target.description?.includes('Done')));
    } finally {
      if (!stopped) await session.stop();
    }
  });

  it('says nothing about frames it records (same origin, rewritten by document.open, another origin)', { timeout: 120_000 }, async () => {
    for (const page of ['editor-iframe', 'editor-designmode', 'editor-crossorigin']) {
      const said: string[] = [];
      const session = await startRecording({ url: `${server.url}/${page}`, headless: true, executablePath: CHROMIUM, onWarning: (m) => said.push(m) });
      try {
        await session.page.waitForLoadState('load');
        await session.page.waitForTimeout(500);
      } finally {
        await session.stop();
      }
      assert.deepEqual(said, [], page);
    }
  });
});
