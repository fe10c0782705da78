// Accessibility selectors on the desktop (issue #23, item 5), under Xvfb with a real D-Bus
// session bus, the real AT-SPI bus and a GTK 3 form: record the form with real input (xdotool),
// check that each click's top candidate is the control as AT-SPI names it (role + name, or the
// label that labels an entry, or the frame it sits in), replay after moving the window and after
// a theme and font change, and read what the form itself saved. A selector that matches several
// controls fails its step naming them and acts on none; a window whose control is gone does not
// fall back to coordinates.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { a11yProvider, closeA11y } from '../../engine/desktop/a11y/index.js';
import { AtSpiProvider } from '../../engine/desktop/a11y/atspi.js';
import { selectorFor, type A11ySelector } from '../../engine/desktop/a11y/match.js';
import type { A11yElement } from '../../engine/desktop/a11y/types.js';
import type { DesktopCandidate } from '../../engine/format/schema.js';
import { DesktopRecorder } from '../../recorder/desktop/recorder.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';
import { writeAutomation } from '../helpers/env.js';
import {
  missingA11yTools,
  missingDesktopTools,
  startAccessibilityBus,
  startGtkForm,
  type AccessibilityBus,
  type GtkForm,
  type VirtualDisplay,
} from '../fixtures/desktop/virtual-display.js';

const skip = missingDesktopTools() ?? missingA11yTools();
const WINDOW = 'GTK Contact Form';
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const EMPTY = { first: '', last: '', email: '', billing: '', shipping: '', code1: '', code2: '' };

describe('accessibility (AT-SPI) selectors on a GTK form', { concurrency: false, skip: skip ?? false, timeout: 300_000 }, () => {
  let display: VirtualDisplay;
  let bus: AccessibilityBus;
  let dir: string;
  let engine: Engine;
  const forms: GtkForm[] = [];
  const previousBus = process.env['DBUS_SESSION_BUS_ADDRESS'];

  // Registered before the display fixture's, so it runs first: the forms, the accessibility
  // connections and the bus end while the display is still there.
  after(async () => {
    await closeA11y();
    for (const form of forms) await form.stop();
    engine?.close();
    await bus?.stop();
    if (previousBus === undefined) delete process.env['DBUS_SESSION_BUS_ADDRESS'];
    else process.env['DBUS_SESSION_BUS_ADDRESS'] = previousBus;
  });
  const shared = useDesktopDisplay('desktop-a11y');

  before(async () => {
    ({ display, dir } = shared);
    bus = await startAccessibilityBus(display.env);
    process.env['DBUS_SESSION_BUS_ADDRESS'] = bus.address;
    engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home') } });
  });

  async function open(options: Parameters<typeof startGtkForm>[2] = {}): Promise<GtkForm> {
    const form = await startGtkForm(bus.env, path.join(dir, `saved-${forms.length}.jsonl`), options);
    forms.push(form);
    return form;
  }

  /** The form's controls as AT-SPI lists them now (where to click, for the test's own input). */
  async function controls(): Promise<A11yElement[]> {
    const provider = a11yProvider();
    const window = (await provider.windows()).find((candidate) => candidate.title === WINDOW);
    assert.ok(window, `AT-SPI lists the window "${WINDOW}"`);
    return provider.elements(window);
  }

  const centre = (element: A11yElement): { x: number; y: number } => ({ x: Math.round(element.rect.x + element.rect.width / 2), y: Math.round(element.rect.y + element.rect.height / 2) });

  async function run(steps: unknown[]): Promise<{ result: Awaited<ReturnType<Engine['run']>>; events: RunEvent[] }> {
    const file = writeAutomation(dir, `${Math.random().toString(36).slice(2)}.json`, { format: 1, id: 'a11y', name: 'a11y', version: '1.0.0', steps });
    const events: RunEvent[] = [];
    const result = await engine.run({ file }, (event) => events.push(event));
    return { result, events };
  }

  const xdotool = (...args: string[]): void => void execFileSync('xdotool', args, { env: bus.env });

  it('reports a missing accessibility bus clearly instead of crashing', async () => {
    const saved = process.env['DBUS_SESSION_BUS_ADDRESS'];
    process.env['DBUS_SESSION_BUS_ADDRESS'] = `unix:path=${path.join(dir, 'no-such-bus')}`;
    const provider = new AtSpiProvider();
    try {
      const reason = await provider.unavailable();
      assert.match(reason ?? '', /session bus|accessibility bus/i, `a reason is given: ${reason}`);
    } finally {
      await provider.close();
      process.env['DBUS_SESSION_BUS_ADDRESS'] = saved;
    }
  });

  it('names each control by the shortest unique selector: name, label relation, frame path; identical neighbours by their order', async () => {
    const form = await open();
    const elements = await controls();
    const entries = elements.filter((element) => element.role === 'text');
    assert.equal(entries.length, 7, 'seven entries');
    const selectors = entries.map((entry) => selectorFor(entry, elements));
    const expected: Array<A11ySelector | undefined> = [
      // The two "Code" entries side by side: nothing but their place tells them apart, so their order in the tree.
      { role: 'text', path: [], nth: { index: 0, of: 2 } },
      { role: 'text', path: [], nth: { index: 1, of: 2 } },
      { role: 'text', path: [{ role: 'panel', name: 'Shipping' }] },
      { role: 'text', path: [{ role: 'panel', name: 'Billing' }] },
      { role: 'text', label: 'Email' },
      { role: 'text', label: 'Last name' },
      { role: 'text', label: 'First name' },
    ];
    assert.deepEqual(selectors, expected);
    const ok = elements.find((element) => element.name === 'OK')!;
    assert.deepEqual(selectorFor(ok, elements), { role: 'push button', name: 'OK' });
    await form.stop();
  });

  const values = { first: 'Ada', last: 'Lovelace', email: 'ada@example.org', billing: '1 Main St', shipping: '2 Side Rd', code1: '', code2: '' };
  let recording: string;

  it('records the form with real input: each click has its accessible control as the top candidate', async () => {
    const out = path.join(dir, 'gtk-session.json');
    const problems: string[] = [];
    let steps = 0;
    const recorder = await DesktopRecorder.start({ out, id: 'gtk-session', onStep: () => void steps++, onProblem: (message) => problems.push(message) });
    const form = await open({ at: { x: 300, y: 200 } });
    const until = async (check: () => boolean, what: string): Promise<void> => {
      for (const deadline = Date.now() + 60_000; !check(); await pause(50)) if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    };
    const elements = await controls();
    const entry = (label: string): A11yElement => elements.find((element) => element.role === 'text' && (element.labels.includes(label) || element.path.some((step) => step.name === label)))!;
    await recorder.ready();
    for (const [label, text] of [['First name', values.first], ['Last name', values.last], ['Email', values.email], ['Billing', values.billing], ['Shipping', values.shipping]] as const) {
      const seen = steps;
      const at = centre(entry(label));
      xdotool('mousemove', String(at.x), String(at.y), 'click', '1');
      await until(() => steps > seen, `the click in "${label}" to be recorded`);
      await recorder.ready();
      xdotool('type', '--delay', '40', text);
      await until(() => recorder.pendingText === text, `"${text}" to be heard`);
      await recorder.ready();
    }
    const seen = steps;
    const ok = centre(elements.find((element) => element.name === 'OK')!);
    xdotool('mousemove', String(ok.x), String(ok.y), 'click', '1');
    await until(() => steps > seen, 'the OK click to be recorded');
    const { file, automation } = await recorder.stop();
    recording = file;
    assert.ok(await form.waitClosed(), 'OK closed the form');
    assert.deepEqual(form.records(), [values], 'the session itself saved the entries');
    assert.deepEqual(problems, []);

    const clicks = automation.steps.flatMap((step) => (step.kind === 'desktop.click' ? [step] : []));
    const tops = clicks.map((step) => step.target.candidates[0]);
    assert.deepEqual(tops, [
      { a11y: { role: 'text', label: 'First name' } },
      { a11y: { role: 'text', label: 'Last name' } },
      { a11y: { role: 'text', label: 'Email' } },
      { a11y: { role: 'text', path: [{ role: 'panel', name: 'Billing' }] } },
      { a11y: { role: 'text', path: [{ role: 'panel', name: 'Shipping' }] } },
      { a11y: { role: 'push button', name: 'OK' } },
    ] satisfies DesktopCandidate[]);
    for (const step of clicks) {
      assert.equal(step.target.window, WINDOW);
      assert.ok('offset' in step.target.candidates.at(-1)!, 'coordinates stay the last resort');
    }
  });

  async function replay(options: Parameters<typeof startGtkForm>[2]): Promise<{ form: GtkForm; events: RunEvent[] }> {
    assert.ok(recording, 'the recording test ran first');
    const form = await open(options);
    const events: RunEvent[] = [];
    const result = await engine.run({ file: recording }, (event) => events.push(event));
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.ok(await form.waitClosed(), 'the replayed OK closed the form');
    assert.deepEqual(form.records(), [values], 'the form saved what was recorded');
    const located = events.flatMap((event) => (event.type === 'step.succeeded' && event.kind === 'desktop.click' ? [event.locator] : []));
    assert.equal(located.length, 6);
    for (const locator of located) assert.equal(locator?.index, 0, `found by the accessible control: ${JSON.stringify(locator)}`);
    return { form, events };
  }

  it('replays the recording in a window moved elsewhere on the screen', async () => {
    await replay({ at: { x: 980, y: 520 } });
  });

  it('replays the recording after a theme and font change (images no longer match)', async () => {
    await replay({ at: { x: 300, y: 200 }, theme: 'HighContrast', font: 'DejaVu Serif 15' });
  });

  it('fails a selector that matches several controls, naming them, and types nowhere', async () => {
    const form = await open();
    const { result } = await run([
      { kind: 'desktop.focusWindow', title: WINDOW },
      { kind: 'desktop.click', target: { window: WINDOW, candidates: [{ a11y: { role: 'text', path: [] } }, { offset: { x: 100, y: 30 } }] } },
      { kind: 'desktop.type', text: 'WRONG' },
    ]);
    assert.equal(result.status, 'failed');
    const message = result.error?.message ?? '';
    assert.match(message, /matches 5 controls; nothing was clicked/, message);
    assert.match(message, /labelled "First name"/, 'the controls are named');
    // OK through AT-SPI's own coordinates: nothing was typed anywhere.
    const ok = centre((await controls()).find((element) => element.name === 'OK')!);
    xdotool('mousemove', String(ok.x), String(ok.y), 'click', '1');
    assert.ok(await form.waitClosed());
    assert.deepEqual(form.records(), [EMPTY]);
  });

  it('takes the nth of identical unlabelled entries in tree order, and refuses it when the window holds another number of them', async () => {
    // The two "Code" entries have no name, label or named box: only their order tells them apart.
    const form = await open({ at: { x: 300, y: 200 } });
    const second = { a11y: { role: 'text', path: [], nth: { index: 1, of: 2 } } };
    const ok = { a11y: { role: 'push button', name: 'OK' } };
    const { result } = await run([
      { kind: 'desktop.focusWindow', title: WINDOW },
      { kind: 'desktop.click', target: { window: WINDOW, candidates: [second] } },
      { kind: 'desktop.type', text: 'B-2' },
      { kind: 'desktop.click', target: { window: WINDOW, candidates: [ok] } },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.ok(await form.waitClosed(), 'OK closed the form');
    assert.deepEqual(form.records(), [{ ...EMPTY, code2: 'B-2' }], 'typed into the second code entry, nowhere else');

    // Recorded when the window held 3 such entries: this one holds 2, so "the 2nd" may be another.
    const changed = await open();
    const refused = await run([
      { kind: 'desktop.focusWindow', title: WINDOW },
      // Time enough for the accessibility search to answer on a loaded machine (a clean-clone CI run at load ~12 ran
      // out of 4 s before it had, and the message held only the coordinates' line).
      { kind: 'desktop.click', timeoutMs: 12_000, target: { window: WINDOW, candidates: [{ a11y: { ...second.a11y, nth: { index: 1, of: 3 } } }, { offset: { x: 100, y: 30 } }] } },
      { kind: 'desktop.type', text: 'WRONG' },
    ]);
    assert.equal(refused.result.status, 'failed');
    const message = refused.result.error?.message ?? '';
    assert.match(message, /holds 2 such controls, recorded 3: its structure changed/, message);
    // The coordinates are refused after it (or, on a loaded machine, the step's time ran out first): never clicked.
    assert.match(message, /offset \(100, 30\): (not used|not tried)/, message);
    const okAt = centre((await controls()).find((element) => element.name === 'OK')!);
    xdotool('mousemove', String(okAt.x), String(okAt.y), 'click', '1');
    assert.ok(await changed.waitClosed());
    assert.deepEqual(changed.records(), [EMPTY], 'nothing typed anywhere');
  });

  it('a control missing from an accessible window falls to text, but never to coordinates', async () => {
    const form = await open({ at: { x: 300, y: 200 } });
    const ok = (await controls()).find((element) => element.name === 'OK')!;
    const window = (await a11yProvider().windows()).find((candidate) => candidate.title === WINDOW)!;
    const xwin = execFileSync('xdotool', ['search', '--onlyvisible', '--name', WINDOW], { env: bus.env }).toString().trim().split('\n')[0]!;
    const geometry = execFileSync('xwininfo', ['-id', xwin], { env: bus.env }).toString();
    const field = (name: string): number => Number(new RegExp(`${name}:\\s*(-?\\d+)`).exec(geometry)![1]);
    const origin = { x: field('Absolute upper-left X'), y: field('Absolute upper-left Y') };
    const windowSize = { width: field('Width'), height: field('Height') };
    const offset = { x: centre(ok).x - origin.x, y: centre(ok).y - origin.y };
    assert.ok(window);
    const missing = { a11y: { role: 'push button', name: 'Submit' } };
    const byCoordinates = await run([{ kind: 'desktop.click', timeoutMs: 4_000, target: { window: WINDOW, windowSize, candidates: [missing, { offset }] } }]);
    assert.equal(byCoordinates.result.status, 'failed', 'coordinates are not trusted when the accessible window lacks the control');
    // Either the coordinates were refused (the window is accessible and lacks the control) or, on a loaded machine,
    // the accessible search used the step's time first; both name the missing control, neither clicks.
    assert.match(byCoordinates.result.error?.message ?? '', /accessible push button "Submit"/);
    assert.match(byCoordinates.result.error?.message ?? '', /is not in the window, which is accessible|not tried, the step's time ran out/);
    assert.equal(form.closed(), false, 'OK was not clicked');
    const byText = await run([{ kind: 'desktop.click', target: { window: WINDOW, windowSize, candidates: [missing, { text: 'OK', exact: true }] } }]);
    assert.equal(byText.result.status, 'passed', JSON.stringify(byText.result.error));
    assert.ok(
      byText.events.some((event) => event.type === 'log' && /found by a fallback/.test(event.message)),
      'the fallback is a warning',
    );
    assert.ok(await form.waitClosed(), 'OK found by its text');
    assert.deepEqual(form.records(), [EMPTY]);
  });
});
