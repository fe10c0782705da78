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
  {
    id: 'editor-iframe',
    kind: 'rich-text editor in an iframe',
    page: 'editor-iframe',
    async drive(page) {
      const editor = page.frameLocator('iframe[title="Rich Text Editor, message"]');
      await editor.getByText('Type your message here').click(); // the editor wrote its frame's document
      await page.keyboard.press('Control+A');
      await page.keyboard.type('Dear team, the invoice is paid.');
      await page.keyboard.press('Control+A');
      await page.getByTitle('Bold (Ctrl+B)').click();
      await page.getByRole('button', { name: 'Save message' }).click();
      await page.getByText('Message saved').waitFor();
      await pickAssert(page, editor.locator('body'));
    },
    expect: { text: 'Dear team, the invoice is paid.', bold: true },
  },
  {
    id: 'editor-designmode',
    kind: 'rich-text editor in an iframe',
    page: 'editor-designmode',
    async drive(page) {
      const editor = page.frameLocator('iframe[title="Notes editor"]');
      await editor.locator('body').click();
      await page.keyboard.type('Call the bank');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+b');
      await page.keyboard.type('Urgentt');
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Control+b');
      await page.keyboard.type(' before noon');
      await page.getByRole('button', { name: 'Save notes' }).click();
      await page.getByText('Notes saved').waitFor();
    },
    expect: { paragraphs: ['Call the bank', 'Urgent before noon'], bold: ['Urgent'] },
  },
  {
    id: 'editor-crossorigin',
    kind: 'rich-text editor in an iframe',
    page: 'editor-crossorigin',
    reports: 'ticket-widget',
    async drive(page) {
      const widget = page.frameLocator('iframe[title="Ticket widget"]');
      await widget.getByRole('textbox', { name: 'Describe the problem' }).click();
      await page.keyboard.type('Printer is ');
      await widget.getByRole('button', { name: 'Italic' }).click();
      await page.keyboard.type('offline');
      await widget.getByRole('button', { name: 'Send ticket' }).click();
      await widget.getByText('Ticket sent').waitFor();
      await pickAssert(page, widget.getByText('Ticket sent'));
    },
    expect: { text: 'Printer is offline', italic: ['offline'] },
  },
];

/** The challenges named in RPA_CHALLENGES (comma-separated ids), or all of them. */
export function selectedChallenges(env: NodeJS.ProcessEnv = process.env): Challenge[] {
  const wanted = env['RPA_CHALLENGES']?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!wanted?.length) return CHALLENGES;
  const unknown = wanted.filter((id) => !CHALLENGES.some((c) => c.id === id));
  if (unknown.length) throw new Error(`RPA_CHALLENGES: no challenge ${unknown.join(', ')}`);
  return CHALLENGES.filter((c) => wanted.includes(c.id));
}
