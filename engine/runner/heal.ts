// Self-healing: when no locator candidate of a target matches exactly one element, find the
// element by its recorded fingerprint. The page lists plausible elements with their
// fingerprints (engine/page/heal.ts, injected on demand); Node scores them
// (heal-score.ts) and acts only on a clear winner above the threshold, through a new
// locator that is verified to match exactly that element.
import { readFileSync } from 'node:fs';
import type { Frame, Locator as PwLocator, Page } from 'playwright-core';
import type { HealedLocator } from '../events.js';
import type { Fingerprint, Locator, Target } from '../format/schema.js';
import { decideHeal, scoreFingerprint, type HealDecision } from './heal-score.js';
import { toPlaywright } from './playwright-locator.js';

/** What the page-side inspector exposes (engine/page/inspect.ts). */
interface InspectGlobal {
  __rpaInspect?: {
    scan(selector: string): Array<{ index: number; fingerprint: Fingerprint }>;
    pick(index: number): Locator[];
    isPicked(el: unknown): boolean;
  };
}

let bundle: string | undefined;
function inspectBundle(): string {
  bundle ??= readFileSync(new URL('../page/inspect.bundle.js', import.meta.url), 'utf8');
  return bundle;
}

/** The frame a target lives in (following its iframe selectors), or undefined while it is not there. */
async function frameOf(page: Page, selectors: readonly string[]): Promise<Frame | undefined> {
  let frame = page.mainFrame();
  for (const selector of selectors) {
    const handle = await frame.locator(selector).first().elementHandle({ timeout: 500 }).catch(() => null);
    const child = await handle?.contentFrame();
    await handle?.dispose();
    if (!child) return undefined;
    frame = child;
  }
  return frame;
}

async function ensureInspector(frame: Frame): Promise<void> {
  const present = await frame.evaluate(() => typeof (globalThis as InspectGlobal).__rpaInspect?.scan === 'function');
  if (!present) await frame.evaluate(inspectBundle());
}

const CONTROL_ROLES = ['button', 'textbox', 'combobox', 'checkbox', 'radio', 'searchbox', 'spinbutton', 'listbox', 'slider', 'switch', 'link', 'menuitem', 'tab', 'option'];
const FORM_CONTROLS = 'input:not([type=hidden]), select, textarea, button, [contenteditable=""], [contenteditable=true]';
const CLICKABLES = 'a[href], button, input[type=submit], input[type=button], input[type=reset], input[type=image]';

/** Which elements could be the recorded one: its tag family and its role, never the whole page. */
export function plausibleSelector(fp: Fingerprint): string {
  const parts = new Set<string>();
  const tag = /^[a-z][a-z0-9-]*$/.test(fp.tag) ? fp.tag : '*';
  parts.add(tag);
  if (['input', 'select', 'textarea', 'button'].includes(tag) || (fp.role && CONTROL_ROLES.includes(fp.role) && fp.role !== 'link')) parts.add(FORM_CONTROLS);
  if (tag === 'a' || tag === 'button' || fp.role === 'link' || fp.role === 'button') parts.add(CLICKABLES);
  if (fp.role && /^[a-z]+$/.test(fp.role)) parts.add(`[role=${fp.role}]`);
  return [...parts].join(', ');
}

/** One line about an element, for messages: `input textbox "Policy no.:" name=policy`. */
export function summarize(fp: Fingerprint): string {
  const name = fp.name ?? fp.label ?? fp.text;
  const attribute = fp.attributes?.['name'] ? ` name=${fp.attributes['name']}` : fp.attributes?.['href'] ? ` href=${fp.attributes['href']}` : '';
  return `${fp.tag}${fp.role && fp.role !== fp.tag ? ` ${fp.role}` : ''}${name ? ` "${name.slice(0, 40)}"` : ''}${attribute}`;
}

export interface HealCandidate {
  score: number;
  element: string;
}

export type HealOutcome =
  | { healed: true; locator: PwLocator; report: Omit<HealedLocator, 'from'> }
  | { healed: false; reason: Exclude<HealDecision, { accept: true }>['reason'] | 'no-locator'; best: HealCandidate[] };

/**
 * Looks for the element the target's fingerprint describes. Returns a verified locator
 * for it when one element is a clear match (score ≥ threshold, runner-up behind by the
 * margin); otherwise the best few candidates with their scores, for the error message.
 */
export async function healTarget(page: Page, target: Target & { fingerprint: Fingerprint }, threshold: number): Promise<HealOutcome> {
  const frame = await frameOf(page, target.frame ?? []);
  if (!frame) return { healed: false, reason: 'none', best: [] };
  await ensureInspector(frame);
  const selector = plausibleSelector(target.fingerprint);
  const found = await frame.evaluate((sel) => (globalThis as InspectGlobal).__rpaInspect!.scan(sel), selector);
  const scored = found.map(({ index, fingerprint }) => ({ index, fingerprint, score: scoreFingerprint(target.fingerprint, fingerprint, target.description) }));
  const decision = decideHeal(scored, threshold);
  const best = [...scored]
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .map((s) => ({ score: round(s.score), element: summarize(s.fingerprint) }));
  if (!decision.accept) return { healed: false, reason: decision.reason, best };
  const proposals = await frame.evaluate((index) => (globalThis as InspectGlobal).__rpaInspect!.pick(index), decision.best.index);
  for (const proposal of proposals) {
    const locator = toPlaywright(frame, proposal);
    if ((await locator.count()) !== 1) continue;
    if (!(await locator.evaluate((el) => (globalThis as InspectGlobal).__rpaInspect!.isPicked(el)))) continue;
    const chosen = scored.find((s) => s.index === decision.best.index)!;
    return {
      healed: true,
      locator,
      report: {
        to: proposal,
        score: round(decision.best.score),
        ...(decision.runnerUp ? { runnerUp: round(decision.runnerUp.score) } : {}),
        fingerprint: chosen.fingerprint,
      },
    };
  }
  return { healed: false, reason: 'no-locator', best };
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
