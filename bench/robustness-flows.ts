// The flows of bench/robustness: each drives the recorder's browser with real Playwright
// input on the unmutated demo system (so the recorder makes the automation), notes for every
// element it acts on the absolute CSS path a naive recorder would store, and says how to
// judge the demo system's data after a replay.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USER, type Claim, type DemoState } from '../assets/demo-system/server.js';
import type { Fingerprint } from '../engine/format/schema.js';

export const UPLOAD_FILE = fileURLToPath(new URL('../../automations/examples/files/incident-report.txt', import.meta.url));
const INSPECT_BUNDLE = readFileSync(new URL('../engine/page/inspect.bundle.js', import.meta.url), 'utf8');

/** What the naive recorder stores for one action: the element's nth-child path from <html>. */
export interface Tracked {
  fingerprint: Fingerprint;
  cssPath: string;
}

interface InspectGlobal {
  __rpaInspect?: { fingerprintOf(el: unknown): Fingerprint; cssPath(el: unknown): string };
}

/** Real input on the recorder's page, noting each element's fingerprint and CSS path first. */
export class Driver {
  readonly tracked: Tracked[] = [];
  constructor(readonly page: Page) {}

  private async track(locator: Locator): Promise<void> {
    this.tracked.push(
      await locator.evaluate((el, source) => {
        const g = globalThis as unknown as InspectGlobal;
        if (!g.__rpaInspect?.cssPath) (0, eval)(source);
        return { fingerprint: g.__rpaInspect!.fingerprintOf(el), cssPath: g.__rpaInspect!.cssPath(el) };
      }, INSPECT_BUNDLE),
    );
  }

  async click(locator: Locator): Promise<void> {
    await locator.waitFor();
    await this.track(locator);
    await locator.click();
  }

  async type(locator: Locator, text: string): Promise<void> {
    await locator.waitFor();
    await this.track(locator);
    await locator.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.type(text);
  }

  /** A date field the way a person types it: the digits of the locale's mm/dd/yyyy. */
  async typeDate(locator: Locator, iso: string): Promise<void> {
    const [year, month, day] = iso.split('-');
    await locator.waitFor();
    await this.track(locator);
    await locator.focus(); // focus lands on the month segment; a click may land on any segment
    await this.page.keyboard.type(`${month}${day}${year}`);
  }

  /** A drop-down the way a keyboard user picks: focus it, type the option's first letters. */
  async select(locator: Locator, label: string): Promise<void> {
    await this.track(locator);
    await locator.focus();
    await this.page.keyboard.type(label.slice(0, 3));
    await this.page.keyboard.press('Tab');
  }

  async upload(locator: Locator, file: string): Promise<void> {
    await this.track(locator);
    await locator.setInputFiles(file);
  }

  /** Waits until the page shows this text (recorder-side pages load between actions). */
  async see(text: string): Promise<void> {
    await this.page.getByText(text).first().waitFor();
  }
}

/** How the demo system's claims compare with the seed after a replay. */
export type Verdict = 'ok' | 'untouched' | 'wrong';

export interface Flow {
  name: string;
  /** Text the last page shows when the flow is done (and its frame): the wait a builder adds with the toolbar. */
  done: { text: string; frame?: string[] };
  drive(d: Driver): Promise<void>;
  /** `before`: the claims before the run (the seed). */
  judge(before: Claim[], after: DemoState): Verdict;
}

async function signIn(d: Driver): Promise<void> {
  await d.type(d.page.getByLabel('User name:'), DEMO_USER);
  await d.type(d.page.getByLabel('Password:'), DEMO_PASSWORD);
  await d.click(d.page.getByRole('button', { name: 'Sign in' }));
  await d.see('Welcome,');
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** untouched when nothing changed, ok when exactly `expected` changed as it should, else wrong. */
function judgeChanges(before: Claim[], after: Claim[], expected: (changed: Claim[], added: Claim[]) => boolean): Verdict {
  const changed = after.filter((c) => {
    const old = before.find((b) => b.number === c.number);
    return old !== undefined && !same(old, c);
  });
  const added = after.filter((c) => !before.some((b) => b.number === c.number));
  if (!changed.length && !added.length && after.length === before.length) return 'untouched';
  return expected(changed, added) ? 'ok' : 'wrong';
}

const fileAClaim: Flow = {
  name: 'sign-in + file a claim',
  done: { text: 'Claim filed.' },
  async drive(d) {
    await signIn(d);
    await d.click(d.page.getByRole('link', { name: 'New claim' }));
    await d.type(d.page.getByLabel('Policy number:'), 'POL-10004');
    await d.type(d.page.getByLabel('Claimant name:'), 'Rita Bench');
    await d.typeDate(d.page.getByLabel('Incident date:'), '2026-10-01');
    await d.select(d.page.getByLabel('Claim type:'), 'Property');
    await d.click(d.page.getByRole('button', { name: 'Next >' }));
    await d.see('step 2 of 3');
    await d.click(d.page.getByRole('radio', { name: 'Email' }));
    await d.click(d.page.getByLabel('Injuries involved'));
    await d.type(d.page.getByLabel('Description:'), 'Burst pipe flooded the basement.');
    await d.upload(d.page.getByLabel('Supporting document:'), UPLOAD_FILE);
    await d.click(d.page.getByRole('button', { name: 'Next >' }));
    await d.see('step 3 of 3');
    await d.click(d.page.getByRole('button', { name: 'Submit claim' }));
    await d.see('Claim filed.');
  },
  judge: (before, after) =>
    judgeChanges(before, after.claims, (changed, added) => {
      const claim = added[0];
      return (
        changed.length === 0 &&
        added.length === 1 &&
        claim !== undefined &&
        claim.policyNumber === 'POL-10004' &&
        claim.claimant === 'Rita Bench' &&
        claim.incidentDate === '2026-10-01' &&
        claim.claimType === 'property' &&
        claim.channel === 'email' &&
        claim.injuries &&
        !claim.policeReport &&
        claim.description === 'Burst pipe flooded the basement.' &&
        claim.attachment?.filename === 'incident-report.txt'
      );
    }),
};

const addNote: Flow = {
  name: 'add a note in the iframe panel',
  done: { text: 'Bench note: customer called back.', frame: ['iframe[name="legacy"]'] },
  async drive(d) {
    await signIn(d);
    await d.click(d.page.getByRole('link', { name: 'Search claims' }));
    await d.type(d.page.getByLabel('Claim number:'), 'CLM-2004-000012');
    await d.click(d.page.getByRole('button', { name: 'Search' }));
    await d.see('Claim CLM-2004-000012');
    const panel = d.page.frameLocator('iframe[name=legacy]');
    await d.type(panel.getByLabel('Note:'), 'Bench note: customer called back.');
    await d.click(panel.getByRole('button', { name: 'Save note' }));
    await panel.getByText('Bench note: customer called back.').first().waitFor();
  },
  judge: (before, after) =>
    judgeChanges(before, after.claims, (changed, added) => {
      const claim = changed[0];
      const old = before.find((c) => c.number === 'CLM-2004-000012');
      return added.length === 0 && changed.length === 1 && claim?.number === 'CLM-2004-000012' && same(claim.notes, [...(old?.notes ?? []), 'Bench note: customer called back.']);
    }),
};

const wizardWithBack: Flow = {
  name: 'the wizard, going back to correct step 1',
  done: { text: 'Claim filed.' },
  async drive(d) {
    await signIn(d);
    await d.click(d.page.getByRole('link', { name: 'New claim' }));
    await d.type(d.page.getByLabel('Policy number:'), 'POL-10021');
    await d.type(d.page.getByLabel('Claimant name:'), 'Wrong Name');
    await d.typeDate(d.page.getByLabel('Incident date:'), '2026-09-15');
    await d.select(d.page.getByLabel('Claim type:'), 'Liability');
    await d.click(d.page.getByRole('button', { name: 'Next >' }));
    await d.see('step 2 of 3');
    await d.click(d.page.getByRole('radio', { name: 'Branch' }));
    await d.click(d.page.getByLabel('Police report filed'));
    await d.click(d.page.getByRole('button', { name: '< Back' }));
    await d.see('step 1 of 3');
    await d.type(d.page.getByLabel('Claimant name:'), 'Sam Right');
    await d.click(d.page.getByRole('button', { name: 'Next >' }));
    await d.see('step 2 of 3');
    await d.type(d.page.getByLabel('Description:'), 'Customer slipped in the lobby.');
    await d.click(d.page.getByRole('button', { name: 'Next >' }));
    await d.see('step 3 of 3');
    await d.click(d.page.getByRole('button', { name: 'Submit claim' }));
    await d.see('Claim filed.');
  },
  judge: (before, after) =>
    judgeChanges(before, after.claims, (changed, added) => {
      const claim = added[0];
      return (
        changed.length === 0 &&
        added.length === 1 &&
        claim?.policyNumber === 'POL-10021' &&
        claim.claimant === 'Sam Right' &&
        claim.claimType === 'liability' &&
        claim.channel === 'branch' &&
        !claim.injuries &&
        claim.policeReport &&
        claim.description === 'Customer slipped in the lobby.' &&
        claim.attachment === undefined
      );
    }),
};

const changeStatus: Flow = {
  name: 'change a claim status from the list',
  done: { text: 'Status changed to Under review.' },
  async drive(d) {
    await signIn(d);
    await d.click(d.page.getByRole('link', { name: 'Claims list' }));
    await d.click(d.page.getByRole('link', { name: 'CLM-2004-000003' }));
    await d.see('Claim CLM-2004-000003');
    await d.select(d.page.getByLabel('New status:'), 'Under review');
    await d.click(d.page.getByRole('button', { name: 'Update status' }));
    await d.see('Status changed to');
  },
  judge: (before, after) =>
    judgeChanges(before, after.claims, (changed, added) => {
      const claim = changed[0];
      const old = before.find((c) => c.number === 'CLM-2004-000003');
      return added.length === 0 && changed.length === 1 && claim?.number === 'CLM-2004-000003' && same({ ...old, status: 'Under review' }, claim);
    }),
};

export const FLOWS: readonly Flow[] = [fileAClaim, addNote, wizardWithBack, changeStatus];
