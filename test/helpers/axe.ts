// axe-core's WCAG 2.1 A/AA check of a page, for the console and studio accessibility tests.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The page's critical and serious violations, one line each, prefixed with `screen` (empty: none). */
export async function seriousAxeFindings(page: Page, screen: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const { violations } = await page.evaluate<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: string[]; any: Array<{ message: string }> }> }> }>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
  );
  return violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${n.any[0]?.message ?? ''}`).join(' | ')}`);
}
