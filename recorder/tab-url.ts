// How a recorded browser.switchTab finds its tab again: the most stable part of the tab's URL
// that no other open tab's URL contains. Path segments holding record numbers or ids change
// from run to run (a new claim gets a new number), so runs of plain words come first.
import { looksGeneratedId } from './common/generated.js';

export interface TabUrl {
  key: number;
  url: string;
}

function volatile(segment: string): boolean {
  return /\d{3,}/.test(segment) || looksGeneratedId(segment.replace(/[^\w-]/g, '_'));
}

/** URL parts to try, most stable first. */
export function urlParts(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url ? [url] : [];
  }
  const segments = parsed.pathname.split('/').filter(Boolean);
  const runs: string[][] = [];
  let run: string[] = [];
  for (const segment of segments) {
    if (volatile(segment)) {
      if (run.length) runs.push(run);
      run = [];
    } else {
      run.push(segment);
    }
  }
  if (run.length) runs.push(run);
  const parts = runs
    .map((r, i) => ({ text: `/${r.join('/')}`, last: i === runs.length - 1 && !volatile(segments.at(-1) ?? '') }))
    // Longer runs first; on a tie the one ending the path ("/print" of /claims/CLM-1/print).
    .sort((a, b) => b.text.length - a.text.length || Number(b.last) - Number(a.last))
    .map((p) => p.text);
  const whole = `${parsed.pathname}${parsed.search}`;
  return [...new Set([...parts, parsed.pathname, whole])].filter((p) => p !== '/');
}

/** switchTab criteria for `tab`, unique among the open tabs. */
export function tabUrlCriteria(tab: TabUrl, openTabs: readonly TabUrl[]): { urlContains: string } | { index: number } {
  const others = openTabs.filter((t) => t.key !== tab.key);
  for (const part of urlParts(tab.url)) {
    if (!others.some((t) => t.url.includes(part))) return { urlContains: part };
  }
  const index = openTabs.findIndex((t) => t.key === tab.key);
  return { index: Math.max(0, index) };
}
