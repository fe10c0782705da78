// The challenges: one page each (pages.ts), what a person does there, and the end state.
import path from 'node:path';
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
  {
    id: 'dynamic-ids',
    kind: 'generated ids',
    page: 'dynamic-ids',
    async drive(page) {
      await typeInto(page, 'Full name', 'Ada Byron');
      await typeInto(page, 'E-mail', 'ada@example.org');
      await page.getByLabel('Plan').focus();
      await page.keyboard.press('ArrowDown'); // Basic → Pro, with the keyboard as a person may
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByText('Account created').waitFor();
    },
    expect: { name: 'Ada Byron', email: 'ada@example.org', plan: 'Pro' },
  },
  {
    id: 'delayed-ajax',
    kind: 'load delays (AJAX)',
    page: 'delayed-ajax',
    async drive(page) {
      await page.getByRole('button', { name: 'Load orders' }).click();
      await page.getByRole('button', { name: 'Approve SO-312' }).click();
      await page.getByText('SO-312 approved').waitFor();
    },
    expect: { approved: ['SO-312'] },
  },
  {
    id: 'table-edit-links',
    kind: 'duplicate links in rows',
    page: 'table-edit-links',
    async drive(page) {
      await page.getByRole('row').filter({ hasText: 'INV-2041' }).getByRole('link', { name: 'Edit' }).click();
      await page.getByText('Editing INV-2041').waitFor();
      await page.getByLabel('Amount').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('99.50');
      await page.getByRole('button', { name: 'Save' }).click();
    },
    expect: { invoice: 'INV-2041', amount: '99.50' },
  },
  {
    id: 'shadow-form',
    kind: 'web components (shadow DOM)',
    page: 'shadow-form',
    async drive(page) {
      await typeInto(page, 'Street', '1 Main St');
      await typeInto(page, 'City', 'Porto');
      await page.getByRole('button', { name: 'Save address' }).click();
      await page.getByText('Address saved').waitFor();
    },
    expect: { street: '1 Main St', city: 'Porto' },
  },
  {
    id: 'autocomplete',
    kind: 'autocomplete combobox',
    page: 'autocomplete',
    async drive(page) {
      await page.getByLabel('Destination').click();
      await page.keyboard.type('Li');
      await page.getByRole('option', { name: 'Lisbon' }).click();
      await page.getByRole('button', { name: 'Book' }).click();
      await page.getByText('Booked Lisbon').waitFor();
    },
    expect: { destination: 'Lisbon', typed: 'Lisbon' },
  },
  {
    id: 'date-picker',
    kind: 'date picker',
    page: 'date-picker',
    async drive(page) {
      await page.getByLabel('Due date').click();
      await page.getByRole('button', { name: 'March 15, 2027' }).click();
      await page.getByRole('button', { name: 'Submit' }).click();
    },
    expect: { due: '2027-03-15' },
  },
  {
    id: 'overlay-busy',
    kind: 'overlays and animated buttons',
    page: 'overlay-busy',
    async drive(page) {
      await typeInto(page, 'Reference', 'R-77');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('button', { name: 'Confirm' }).click();
    },
    expect: { ref: 'R-77', confirmed: true },
  },
  {
    id: 'nested-frames',
    kind: 'nested frames',
    page: 'nested-frames',
    async drive(page) {
      const inner = page.frameLocator('iframe[name="outer"]').frameLocator('iframe[name="inner"]');
      await inner.getByLabel('I agree').click();
      await inner.getByRole('button', { name: 'Accept terms' }).click();
    },
    expect: { agreed: true },
  },
  {
    id: 'disabled-until-valid',
    kind: 'disabled inputs',
    page: 'disabled-until-valid',
    async drive(page) {
      await typeInto(page, 'Voucher code', 'ABCD-1234');
      await page.getByLabel('I accept the conditions').click();
      await page.getByRole('button', { name: 'Redeem' }).click();
      await page.getByText('Sent').waitFor();
    },
    expect: { code: 'ABCD-1234', accepted: true },
  },
  {
    id: 'hover-menu',
    kind: 'hover-only content',
    page: 'hover-menu',
    async drive(page) {
      await page.getByText('Account ▾').hover();
      await page.getByRole('link', { name: 'Export data' }).click();
      await page.getByText('Export started').waitFor();
    },
    expect: { exported: true },
  },
  {
    id: 'popup',
    kind: 'popups',
    page: 'popup',
    async drive(page) {
      const opened = page.context().waitForEvent('page');
      await page.getByRole('button', { name: 'Find customer' }).click();
      const picker = await opened;
      await picker.getByLabel('Customer number').click();
      await picker.keyboard.type('C-1009');
      // The button closes its own window: Playwright may report the page closed while it finishes the click.
      await picker
        .getByRole('button', { name: 'Use this customer' })
        .click()
        .catch((error: unknown) => {
          if (!picker.isClosed() && !/has been closed/.test(String(error))) throw error;
        });
      await page.getByText('Customer C-1009').waitFor();
    },
    expect: { customer: 'C-1009' },
  },
  {
    id: 'inline-editor',
    kind: 'rich-text editor (contenteditable)',
    page: 'inline-editor',
    async drive(page) {
      await page.getByRole('textbox', { name: 'Comment' }).click();
      await page.keyboard.type('Looks good');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Underline' }).click();
      await page.keyboard.type('ship it');
      await page.getByRole('button', { name: 'Post comment' }).click();
    },
    expect: { lines: ['Looks good', 'ship it'], underlined: ['ship it'] },
  },
  {
    id: 'drag-drop',
    kind: 'drag and drop',
    page: 'drag-drop',
    async drive(page) {
      await page.getByText('Check stock').dragTo(page.getByRole('heading', { name: 'Done' }));
      await page.locator('[data-dropzone=done] .card').waitFor();
    },
    expect: { done: ['Check stock'] },
  },
  {
    id: 'sortable-table',
    kind: 'sortable tables',
    page: 'sortable-table',
    async drive(page) {
      await page.getByRole('button', { name: 'Customer ⇅' }).click();
      await page.getByRole('row').filter({ hasText: 'Mira SA' }).getByRole('button', { name: 'Open' }).click();
      await page.getByText('Opened Mira SA').waitFor();
    },
    expect: { opened: 'Mira SA', first: 'Alpha GmbH' },
  },
  {
    id: 'todo-checkbox',
    kind: 'list rows in any order',
    page: 'todo-checkbox',
    async drive(page) {
      await page.getByRole('listitem').filter({ hasText: 'Pay the invoice' }).getByRole('checkbox').click();
      await page.getByRole('button', { name: 'Save list' }).click();
    },
    expect: { done: ['Pay the invoice'] },
  },
  {
    id: 'styled-radios',
    kind: 'visually hidden inputs',
    page: 'styled-radios',
    async drive(page) {
      await page.getByText('Express').click();
      await page.getByText('Gift wrap').click();
      await page.getByRole('button', { name: 'Place order' }).click();
    },
    expect: { ship: 'exp', gift: true },
  },
  {
    id: 'tabs-same-labels',
    kind: 'hidden layers, same labels',
    page: 'tabs-same-labels',
    async drive(page) {
      await page.getByRole('tab', { name: 'Billing' }).click();
      await page.locator('[name=billing]').click();
      await page.keyboard.type('Acme Billing Dept');
      await page.getByRole('button', { name: 'Save' }).click();
    },
    expect: { contact: '', billing: 'Acme Billing Dept' },
  },
  {
    id: 'scroll-container',
    kind: 'scrollbars (inner scrolling box)',
    page: 'scroll-container',
    async drive(page) {
      await page.getByRole('button', { name: 'Account 150' }).click(); // scrolled into view inside the box
      await page.getByText('Chosen Account 150').waitFor();
    },
    expect: { account: 'Account 150' },
  },
  {
    id: 'upload',
    kind: 'file uploads',
    page: 'upload',
    files: { 'receipt-0412.txt': 'Taxi 23.40 EUR\n' },
    async drive(page, _session, files) {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByLabel('Receipt').click()]);
      await chooser.setFiles(path.join(files, 'receipt-0412.txt'));
      await page.getByText('receipt-0412.txt (15 bytes)').waitFor();
      await page.getByRole('button', { name: 'Send expense' }).click();
    },
    expect: { file: 'receipt-0412.txt', text: 'Taxi 23.40 EUR\n' },
  },
  {
    id: 'modal-same-name',
    kind: 'duplicate names (modal over page)',
    page: 'modal-same-name',
    async drive(page) {
      await page.getByRole('button', { name: 'Add contact' }).click();
      await typeInto(page, 'Contact name', 'Grace H.');
      await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    },
    expect: { saved: 'modal', contact: 'Grace H.' },
  },
  {
    id: 'custom-select',
    kind: 'custom dropdowns',
    page: 'custom-select',
    async drive(page) {
      await page.getByRole('button', { name: 'Priority Normal' }).click();
      await page.getByRole('option', { name: 'High' }).click();
      await page.getByRole('button', { name: 'Apply' }).click();
    },
    expect: { priority: 'High' },
  },
  {
    id: 'slow-load',
    kind: 'load delays',
    page: 'slow-load',
    async drive(page) {
      await typeInto(page, 'Phone', '+351 912 000 111');
      await page.getByRole('button', { name: 'Update phone' }).click();
      await page.getByText('Phone updated').waitFor();
    },
    expect: { phone: '+351 912 000 111' },
  },
  {
    id: 'nbsp-text',
    kind: 'non-breaking spaces',
    page: 'nbsp-text',
    async drive(page) {
      await page.getByRole('button', { name: /Pay now/ }).click();
      await page.locator('#status').waitFor();
      await pickAssert(page, page.locator('#status'));
    },
    expect: { paid: true },
  },
  {
    id: 'late-iframe-form',
    kind: 'frames added by script',
    page: 'late-iframe-form',
    async drive(page) {
      const form = page.frameLocator('iframe[title="Edit address"]');
      await form.getByLabel('Zip').click();
      await page.keyboard.type('1100-148');
      await form.getByLabel('Country').focus();
      await page.keyboard.press('ArrowDown');
      await form.getByRole('button', { name: 'Save address' }).click();
    },
    expect: { zip: '1100-148', country: 'Spain' },
  },
  {
    id: 'frame-messages',
    kind: 'dialogs from messages between frames',
    page: 'frame-messages',
    async drive(page) {
      await page.getByRole('button', { name: 'Pay' }).click(); // message to the widget: confirm; message back: alert
      await page.getByText('Paid', { exact: true }).waitFor();
      await page.frameLocator('iframe[title="Payment"]').getByRole('button', { name: 'Receipt' }).click(); // message to the page: prompt
      await page.getByText('Receipt to ap@example.com').waitFor();
      await page.getByRole('button', { name: 'Done' }).click();
      await page.waitForTimeout(300);
    },
    expect: { paid: true, email: 'ap@example.com' },
  },
  {
    id: 'worker-dialogs',
    kind: 'dialogs from a worker\'s answer',
    page: 'worker-dialogs',
    async drive(page) {
      await page.getByRole('button', { name: 'Check duplicates' }).click(); // the worker answers 0.6 s later: confirm
      await page.getByText('Merged').waitFor();
      await page.getByRole('button', { name: 'Done' }).click();
      await page.waitForTimeout(300);
    },
    expect: { merged: true, duplicates: 2, warmed: true },
  },
  {
    id: 'scheduled-dialogs',
    kind: 'dialogs from a poll and a scheduler',
    page: 'scheduled-dialogs',
    async drive(page) {
      await page.getByRole('button', { name: 'Export' }).click(); // third tick of an interval: alert
      await page.getByText('Exported').waitFor();
      await page.getByRole('button', { name: 'Archive' }).click(); // a MessageChannel job: confirm
      await page.getByText('Archived').waitFor();
      await page.getByRole('button', { name: 'Done' }).click();
      await page.waitForTimeout(300);
    },
    expect: { exported: true, archived: true },
  },
  {
    id: 'crossorigin-messages',
    kind: 'dialogs from messages across origins',
    page: 'crossorigin-messages',
    async drive(page) {
      await page.getByRole('button', { name: 'Pay' }).click(); // message to the widget of another origin: confirm; message back: alert
      await page.getByText('Paid', { exact: true }).waitFor();
      await page.frameLocator('iframe[title="Payment"]').getByRole('button', { name: 'Receipt' }).click(); // message to the page: prompt
      await page.getByText('Receipt to ap@example.com').waitFor();
      await page.getByRole('button', { name: 'Done' }).click();
      await page.waitForTimeout(300);
    },
    expect: { paid: true, email: 'ap@example.com' },
  },
  {
    id: 'unprompted-dialogs',
    kind: 'dialogs the page opens on its own',
    page: 'unprompted-dialogs',
    untied: ['Your session expires in 5 minutes', 'A new version is available. Reload later?'],
    async drive(page) {
      await page.getByRole('button', { name: 'Check' }).click(); // the worker answers at once, no dialog
      await page.getByText('Checked 3').waitFor();
      await page.getByText('Warned', { exact: true }).waitFor(); // a timer of the page's own: alert
      await page.getByText('Notice answered').waitFor(); // the worker's own timer: confirm
      await page.getByRole('button', { name: 'Done' }).click();
      await page.waitForTimeout(300);
    },
    expect: { checked: 3, warned: true, reloadLater: true },
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
