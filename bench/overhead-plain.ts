// The hand-written Playwright twin of bench/overhead-flow.ts: what a person would write
// for the same job, with the same locators as the automation's first candidates, in the
// same order. Keep the two in step: overhead.ts checks both file the same claims and
// read back the same values, and counts the steps each performed.
import type { Page } from 'playwright-core';
import { CLAIM_PATTERN, DIALOG_MESSAGE, PAGE_PATTERN, ROUNDS, STATUS_CELL_XPATH, type Round } from './overhead-flow.js';

export interface PlainResult {
  results: Array<{ claimNumber: string; status: string }>;
  pages: string[];
  /** Steps of the automation this script stands for (its actions, plus the two list appends of each round). */
  steps: number;
}

function capture(text: string, pattern: string): string {
  const match = new RegExp(pattern).exec(text);
  if (!match) throw new Error(`"${text}" does not match /${pattern}/`);
  return match[1] ?? match[0];
}

/**
 * Runs from a fresh tab to the end of the flow. `page` is a new page of a new context;
 * the browser launch is not part of this (nor of the runner's timed window).
 */
export async function runPlain(page: Page, baseUrl: string, username: string, password: string, rounds: readonly Round[] = ROUNDS): Promise<PlainResult> {
  page.setDefaultTimeout(15_000);
  const results: PlainResult['results'] = [];
  const pages: string[] = [];
  let steps = 1; // browser.open: the launch, done by the caller

  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('User name:').fill(username);
  await page.getByLabel('Password:').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  steps += 4;

  for (const r of rounds) {
    await page.getByRole('link', { name: 'New claim', exact: true }).click();
    await page.getByLabel('Policy number:').fill(r.policy);
    await page.getByLabel('Claimant name:').fill(r.claimant);
    await page.getByLabel('Incident date:').fill(r.incidentDate);
    await page.getByLabel('Claim type:').selectOption({ value: r.claimType });
    await page.getByRole('button', { name: 'Next >' }).click();
    await page.getByRole('radio', { name: r.channel, exact: true }).check();
    await page.getByLabel('Injuries involved').setChecked(r.injuries);
    await page.getByLabel('Police report filed').setChecked(r.policeReport);
    await page.getByLabel('Description:').fill(r.description);
    await page.getByRole('button', { name: 'Next >' }).click();
    await page.getByRole('heading', { name: 'New claim — step 3 of 3' }).waitFor();
    let dialogMessage = '';
    page.once('dialog', (dialog) => {
      dialogMessage = dialog.message();
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Submit claim' }).click();
    if (!dialogMessage.includes(DIALOG_MESSAGE)) throw new Error(`expected the "${DIALOG_MESSAGE}" confirm, got "${dialogMessage}"`);
    const claimNumber = capture((await page.locator('span.claim-no').innerText()).trim(), CLAIM_PATTERN);
    await page.getByRole('link', { name: 'Back to menu' }).click();

    await page.getByRole('link', { name: 'Search claims' }).click();
    await page.getByLabel('Claim number:').fill(claimNumber);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: `Claim ${claimNumber}` }).waitFor();
    const status = (await page.locator(`xpath=${STATUS_CELL_XPATH}`).innerText()).trim();
    results.push({ claimNumber, status });

    await page.getByRole('link', { name: 'Main menu' }).click();
    await page.getByRole('link', { name: 'Claims list' }).click();
    await page.getByRole('link', { name: 'Next >' }).click();
    pages.push(capture((await page.getByText('Page 2 of').innerText()).trim(), PAGE_PATTERN));
    await page.getByRole('link', { name: 'Main menu' }).click();
    steps += 28;
  }
  return { results, pages, steps };
}
