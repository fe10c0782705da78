// The challenges: one page each (pages.ts), what a person does there, and the end state.
import type { Page } from 'playwright-core';
import type { Challenge } from './suite.js';
import { pickAssert } from './suite.js';

async function typeInto(page: Page, label: string, text: string): Promise<void> {
  await page.getByLabel(label).click();
  await page.keyboard.type(text);
}

export const CHALLENGES: Challenge[] = [
  {
    id: 'flash-multiline',
    kind: 'text assertions',
    page: 'flash-multiline',
    async drive(page) {
      await typeInto(page, 'Name', 'Robin');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('#flash').waitFor();
      await pickAssert(page, page.locator('#flash'));
    },
    expect: { saved: 'Robin' },
  },
  {
    id: 'icon-button',
    kind: 'accessible names',
    page: 'icon-button',
    async drive(page) {
      await typeInto(page, 'User', 'robin');
      await page.locator('button', { hasText: 'Search' }).click();
      await page.locator('button', { hasText: 'Login' }).click();
      await page.getByText('signed in').waitFor();
    },
    expect: { user: 'robin', searched: true },
  },
  {
    id: 'dialogs',
    kind: 'asynchronous dialogs',
    page: 'dialogs',
    async drive(page) {
      await page.getByRole('button', { name: 'Rename' }).click(); // prompt (default Beta), alert, confirm
      await page.getByText('Record: Beta').waitFor();
      await page.getByRole('button', { name: 'Delete record' }).click(); // confirm, then an alert 1 s later
      await page.getByText('Record deleted').waitFor();
      await page.getByRole('button', { name: 'Done' }).click();
      await page.waitForTimeout(300);
    },
    expect: { name: 'Beta', notified: true, deleted: true },
  },
];
