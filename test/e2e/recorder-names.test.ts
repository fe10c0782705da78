// The recorder's role + name candidates must be the names Playwright's getByRole computes, or
// the top candidate misses on every replay and the runner silently falls back (issue #18,
// class 2). Each element below is named in a way real pages do (icon fonts in ::before, hidden
// parts, images, block and inline children, web components); for each one the recorder's
// candidates are computed in the page, and Playwright itself must resolve the first candidate
// to exactly that element.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Locator } from '../../engine/format/schema.js';
import { toPlaywright } from '../../engine/runner/playwright-locator.js';
import { startRecording, type RecordingSession } from '../../recorder/api.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;

const PAGE = `<!doctype html><meta charset="utf-8">
<style>
.fa::before { font-family: sans-serif; } .i-login::before { content: "\\f090"; } .i-search::before { content: "\\f002"; }
.chev::after { content: "›"; display: block; } .attr::before { content: attr(data-label) ": "; }
.alt::before { content: "§" / ""; } .gap::before { content: "\\2605"; margin-right: 4px; }
</style>
<button data-check="1"><i class="fa i-login"></i> Login</button>
<button data-check="2"><span class="fa i-search" aria-hidden="true"></span>Search</button>
<a href="#next" class="chev" data-check="3">Next page</a>
<button data-check="4"><img src="data:," alt="Print"> Invoice</button>
<button data-check="5"><span style="display:none">secret</span>Save</button>
<button data-check="6" class="attr" data-label="Step">Go</button>
<button data-check="7"><b>Sub</b><i>mit</i></button>
<button data-check="8"><div>Pay</div><div>now</div></button>
<a href="#help" data-check="9"><span title="Help"></span></a>
<label>Amount <input data-check="10"> USD</label>
<h2 class="alt" data-check="11">Intro</h2>
<button data-check="12">Save&nbsp;&nbsp;draft</button>
<button data-check="13"><svg width="10" height="10"><title>Delete</title><rect width="10" height="10"/></svg> row</button>
<button data-check="14" class="gap">Favourite</button>
<button data-check="15"><span class="fa i-login"></span><span style="visibility:hidden">x</span>Sign in</button>
<a href="#t" data-check="16"><span>Terms</span>&#8203;<span>and conditions</span></a>
<fancy-button data-check="17"></fancy-button>
<label><input type="checkbox" data-check="18"><span class="fa i-search"></span> Remember me</label>
<script>
customElements.define('fancy-button', class extends HTMLElement {
  constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = '<button><slot name="icon"></slot>Open <b>file</b></button>'; }
});
document.querySelector('fancy-button').innerHTML = '<span slot="icon" class="fa i-login"></span>';
</script>`;

describe('recorder names as Playwright computes them', { skip, timeout: 120_000 }, () => {
  let session: RecordingSession;
  before(async () => {
    session = await startRecording({ url: `data:text/html,${encodeURIComponent(PAGE)}`, headless: true, executablePath: CHROMIUM });
  });
  after(async () => {
    await session.stop();
  });

  it('the first candidate of every element resolves, with Playwright, to exactly that element', async () => {
    const page = session.page;
    // Runs in the page (Node code is compiled without DOM types: described structurally).
    interface El {
      shadowRoot: { querySelector(s: string): El | null } | null;
      getAttribute(name: string): string | null;
    }
    const recorded = await page.evaluate(() => {
      type Api = { candidatesFor(el: El, o: { acceptInside?: boolean }): { candidates: unknown[]; description: string } };
      const g = globalThis as unknown as { __rpaRecorder: Api; document: { querySelectorAll(s: string): ArrayLike<El> } };
      const inner = (el: El): El => el.shadowRoot?.querySelector('button') ?? el;
      return Array.from(g.document.querySelectorAll('[data-check]')).map((el) => ({ check: el.getAttribute('data-check')!, ...g.__rpaRecorder.candidatesFor(inner(el), { acceptInside: true }) }));
    });
    const problems: string[] = [];
    for (const { check, candidates, description } of recorded) {
      const first = candidates[0] as Locator;
      const locator = toPlaywright(page, first);
      const count = await locator.count();
      const which = count === 1 ? await locator.evaluate((el) => {
        type Node = { closest(s: string): Node | null; getRootNode(): { host?: Node }; getAttribute(n: string): string | null };
        const node = el as unknown as Node;
        return (node.closest('[data-check]') ?? node.getRootNode().host?.closest('[data-check]'))?.getAttribute('data-check');
      }) : undefined;
      if (!('role' in first)) problems.push(`${check} ${description}: first candidate is not role + name: ${JSON.stringify(first)}`);
      if (count !== 1 || which !== check) problems.push(`${check} ${description}: ${JSON.stringify(first)} matched ${count} element(s)${which ? ` (${which})` : ''}`);
    }
    assert.deepEqual(problems, []);
  });
});
