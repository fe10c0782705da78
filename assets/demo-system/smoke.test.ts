// Browser smoke test of the demo system in real Chromium (playwright-core):
// sign in, walk the wizard with an upload, dismiss then accept the confirm,
// save a note in the legacy iframe, open and close the printable popup.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USER, startDemoSystem } from './server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

test(
  'browser smoke: sign in, file a claim, note in the iframe, print popup',
  { skip: existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`, timeout: 120_000 },
  async () => {
    const demo = await startDemoSystem({ port: 0, slowMs: 300 });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${demo.url}/`);
      await page.getByLabel('User name:').fill(DEMO_USER);
      await page.getByLabel('Password:').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Welcome, clerk' }).waitFor();

      await page.getByRole('link', { name: 'New claim' }).click();
      await page.getByRole('heading', { name: 'New claim — step 1 of 3' }).waitFor();
      await page.getByLabel('Policy number:').fill('POL-31337');
      await page.getByLabel('Claimant name:').fill('Dana Whitaker');
      await page.getByLabel('Incident date:').fill('2004-05-06');
      await page.getByLabel('Claim type:').selectOption('auto');
      await page.getByRole('button', { name: 'Next >' }).click();

      await page.getByRole('heading', { name: 'New claim — step 2 of 3' }).waitFor();
      await page.getByLabel('Email').check();
      await page.getByLabel('Police report filed').check();
      await page.getByLabel('Description:').fill('Side mirror knocked off in the car park.');
      await page.getByLabel('Supporting document:').setInputFiles({ name: 'mirror.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not really a jpeg') });
      await page.getByRole('button', { name: 'Next >' }).click();

      await page.getByRole('heading', { name: 'New claim — step 3 of 3' }).waitFor();
      page.once('dialog', (d) => void d.dismiss());
      await page.getByRole('button', { name: 'Submit claim' }).click();
      await page.waitForTimeout(100);
      assert.equal(demo.state.claims.length, 35, 'dismissing the confirm files nothing');
      await page.getByRole('heading', { name: 'New claim — step 3 of 3' }).waitFor();

      let confirmText = '';
      page.once('dialog', (d) => {
        confirmText = d.message();
        void d.accept();
      });
      await page.getByRole('button', { name: 'Submit claim' }).click();
      assert.equal(await page.locator('.claim-no').textContent(), 'CLM-2004-000036');
      assert.equal(confirmText, 'Submit this claim to the mainframe?');
      const claim = demo.state.claims[35];
      assert.equal(claim?.channel, 'email');
      assert.equal(claim?.policeReport, true);
      assert.equal(claim?.attachment?.filename, 'mirror.jpg');

      await page.goto(`${demo.url}/claims/CLM-2004-000036`);
      const frame = page.frameLocator('iframe[name="legacy"]');
      await frame.getByLabel('Note:').fill('Called the body shop.');
      const dialog = page.waitForEvent('dialog');
      await frame.getByRole('button', { name: 'Save note' }).click();
      const alert = await dialog;
      assert.equal(alert.message(), 'Note saved');
      await alert.accept();
      await frame.getByText('Called the body shop.').waitFor();
      assert.deepEqual(demo.state.claims[35]?.notes, ['Called the body shop.']);

      const popupEvent = page.waitForEvent('popup');
      await page.getByRole('link', { name: 'Printable view' }).click();
      const popup = await popupEvent;
      await popup.getByText('Dana Whitaker').waitFor();
      const closed = popup.waitForEvent('close');
      // The button closes its own page: the click may end with "page closed", which is the point.
      await popup
        .getByRole('button', { name: 'Close window' })
        .click({ noWaitAfter: true })
        .catch((error: unknown) => {
          if (!popup.isClosed() && !/closed/.test(String(error))) throw error;
        });
      await closed;

      await page.getByLabel('New status:').selectOption('Under review');
      page.once('dialog', (d) => void d.accept());
      await page.getByRole('button', { name: 'Update status' }).click();
      await page.getByText('Status changed to Under review.').waitFor();
      assert.equal(demo.state.claims[35]?.status, 'Under review');
    } finally {
      await browser.close();
      await demo.close();
    }
  },
);
