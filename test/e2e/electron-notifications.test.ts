// The desktop app's native notifications, from its main process (dist/electron/main.js under the
// fake `electron` module; the engine host is a real child process): a run that passes, fails or
// waits for a review says so under the bot's name (also once resumed after its review), and
// clicking a notification opens the tray panel.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { App, until } from '../helpers/electron-app.js';
import { tempDir, writeAutomation } from '../helpers/env.js';

interface Shown {
  title: string;
  body: string;
}

describe('native notifications of the desktop app', { timeout: 240_000 }, () => {
  it('tells when a run ends or needs review, by the bot’s name, and opens the tray when clicked', { timeout: 200_000 }, async () => {
    const home = tempDir('electron-notify');
    const bots = path.join(home, 'automations');
    mkdirSync(bots);
    writeAutomation(bots, 'quick.json', { format: 1, id: 'test.quick', name: 'Quick', version: '1.0.0', outputs: ['claim'], steps: [{ kind: 'flow.set', var: 'claim', value: 'CLM-7' }] });
    writeAutomation(bots, 'broken.json', { format: 1, id: 'test.broken', name: 'Broken', version: '1.0.0', steps: [{ kind: 'flow.fail', message: 'the claim is a duplicate' }] });
    writeAutomation(bots, 'confirm.json', {
      format: 1,
      id: 'test.confirm',
      name: 'Confirm an amount',
      version: '1.0.0',
      steps: [{ kind: 'human.review', title: 'Check the claim amount', values: { amount: '120.00' }, into: 'answer' }],
    });
    const app = new App(home);
    const shown = async (): Promise<Shown[]> => (await app.send({ cmd: 'notifications' }))['notifications'] as Shown[];
    const waitFor = (title: string): Promise<Shown> => until(`a notification "${title}"`, async () => (await shown()).find((n) => n.title === title), 90_000);
    try {
      await until('the engine host answering', async () => (await app.call('host.status')).ok);
      const list = (await app.call('automations.list')).value as Array<{ id: string; name: string }>;
      const idOf = (name: string): string => list.find((a) => a.name === name)!.id;

      assert.ok((await app.call('runs.start', { id: idOf('Quick'), inputs: {} })).ok);
      const passed = await waitFor('Quick finished');
      assert.equal(passed.body, 'claim: CLM-7', 'a passed run tells its outputs');

      assert.ok((await app.call('runs.start', { id: idOf('Broken'), inputs: {} })).ok);
      assert.match((await waitFor('Broken failed')).body, /the claim is a duplicate/);

      assert.ok((await app.call('runs.start', { id: idOf('Confirm an amount'), inputs: {} })).ok);
      const review = await waitFor('Confirm an amount needs your review');
      assert.equal(review.body, 'Check the claim amount');

      // Clicking it opens the tray panel, where the review inbox is on top.
      const index = (await shown()).findIndex((n) => n.title === review.title);
      const windows = (await app.send({ cmd: 'clickNotification', index }))['windows'] as string[];
      assert.ok(windows.some((url) => url.endsWith('#/tray')), `the tray opened: ${JSON.stringify(windows)}`);

      // The run resumed after the review ends with a notification under its name too.
      const reviews = (await app.call('reviews.list')).value as Array<{ id: string }>;
      assert.ok((await app.call('reviews.resolve', { reviewId: reviews[0]!.id, decision: 'approved' })).ok);
      await waitFor('Confirm an amount finished');
      assert.ok(!(await shown()).some((n) => n.title.startsWith('A bot')), JSON.stringify(await shown()));
    } finally {
      await app.send({ cmd: 'quit' }).catch(() => undefined);
      await until('the app to exit', () => app.child.exitCode !== null || app.child.signalCode !== null, 30_000).catch(() => app.child.kill('SIGKILL'));
      // The engine child may still be writing its last files as the app quits: retry the removal a little.
      rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    }
  });
});
