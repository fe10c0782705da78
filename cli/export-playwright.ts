// Exports an automation as a standalone playwright-core TypeScript script, for developers
// who outgrow the studio. Each step becomes plain Playwright calls; an action uses the first
// of its target's candidates that matches exactly one element (as the runner does); inputs become a typed object, secrets come from RPA_SECRET_<NAME>, flow.if /
// forEach / try become TypeScript control flow; dialogs no step answers follow the runner's policy (an alert is
// warned about, a confirm, prompt or beforeunload fails the step). A step kind with no faithful translation
// stops the export with an error naming the step.
import path from 'node:path';
import { UsageError } from '../engine/errors.js';
import type { LoadedAutomation } from '../engine/format/load.js';
import type { Condition, InputDecl, Locator, Step, StepOf, Target } from '../engine/format/schema.js';
import { parseReference } from '../engine/format/template.js';
import { describeStep } from '../engine/runner/describe-step.js';
import { HANDS_DIALOG_ON } from '../engine/runner/runner.js';

const REFERENCE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const str = (value: string): string => JSON.stringify(value);

/** TS expression for one reference: inputs.x (typed), secrets.x, vars['x'], run.x, nested fields through field(). */
function referenceCode(expression: string, where: string): string {
  const reference = parseReference(expression);
  if ('error' in reference) throw new UsageError(`${where}: ${reference.error}`);
  const base =
    reference.root === 'vars' ? `vars[${str(reference.name)}]` : `${reference.root}${IDENTIFIER.test(reference.name) ? `.${reference.name}` : `[${str(reference.name)}]`}`;
  return reference.rest.length ? `field(${base}, ${reference.rest.map(str).join(', ')})` : base;
}

/** A templated string as a TS string expression. */
function textCode(template: string, where: string): string {
  if (!template.includes('{{')) return str(template);
  const whole = WHOLE.exec(template);
  if (whole) return `text(${referenceCode(whole[1] ?? '', where)})`;
  const parts: string[] = [];
  let last = 0;
  for (const match of template.matchAll(REFERENCE)) {
    parts.push(template.slice(last, match.index).replace(/[`\\$]/g, (c) => `\\${c}`));
    parts.push(`\${text(${referenceCode(match[1] ?? '', where)})}`);
    last = match.index + match[0].length;
  }
  parts.push(template.slice(last).replace(/[`\\$]/g, (c) => `\\${c}`));
  return `\`${parts.join('')}\``;
}

/** Any JSON value as a TS expression: strings templated, a lone reference keeps its type. */
function valueCode(value: unknown, where: string): string {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    return whole ? referenceCode(whole[1] ?? '', where) : textCode(value, where);
  }
  if (Array.isArray(value)) return `[${value.map((item) => valueCode(item, where)).join(', ')}]`;
  if (value && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${str(k)}: ${valueCode(v, where)}`).join(', ')} }`;
  return JSON.stringify(value ?? null);
}

function candidateCode(root: string, candidate: Locator, where: string): string {
  const t = (s: string): string => textCode(s, where);
  const exact = (e: boolean | undefined): string => (e ? ', { exact: true }' : '');
  if ('role' in candidate) return `${root}.getByRole(${str(candidate.role)}${candidate.name !== undefined ? `, { name: ${t(candidate.name)}${candidate.exact ? ', exact: true' : ''} }` : ''})`;
  if ('label' in candidate) return `${root}.getByLabel(${t(candidate.label)}${exact(candidate.exact)})`;
  if ('testId' in candidate) return `${root}.getByTestId(${t(candidate.testId)})`;
  if ('placeholder' in candidate) return `${root}.getByPlaceholder(${t(candidate.placeholder)}${exact(candidate.exact)})`;
  if ('text' in candidate) return `${root}.getByText(${t(candidate.text)}${exact(candidate.exact)})`;
  if ('title' in candidate) return `${root}.getByTitle(${t(candidate.title)}${exact(candidate.exact)})`;
  if ('css' in candidate) return `${root}.locator(${t(candidate.css)})`;
  return `${root}.locator(${t(`xpath=${candidate.xpath}`)})`;
}

/**
 * The target as one Playwright locator: its candidates joined with locator.or(), so a page
 * where the first one no longer matches still finds the element by the next (the recorder
 * checked each of them to match exactly that element). `firstOnly` for counting.
 */
function locatorCode(target: Target, where: string, firstOnly = false): string {
  let root = 'page';
  for (const frame of target.frame ?? []) root += `.frameLocator(${str(frame)})`;
  const candidates = firstOnly ? target.candidates.slice(0, 1) : target.candidates;
  const [first, ...rest] = candidates.map((candidate) => candidateCode(root, candidate, where));
  return rest.length ? `${first!}${rest.map((c) => `\n      .or(${c})`).join('')}` : first!;
}

/**
 * The target for an action, picked at run time as the rpa runner picks it: the first candidate
 * that matches exactly one element (waiting for the page). A union of the candidates would be
 * ambiguous when a fallback candidate (a position) now points at another element, or when a
 * click's candidate matches inside the element.
 */
function pickCode(target: Target, where: string, timeout: number | undefined): string {
  if (target.candidates.length === 1) return locatorCode(target, where);
  let root = 'page';
  for (const frame of target.frame ?? []) root += `.frameLocator(${str(frame)})`;
  const candidates = target.candidates.map((candidate) => `\n      ${candidateCode(root, candidate, where)},`).join('');
  return `(await one([${candidates}\n    ]${timeout ? `, ${timeout}` : ''}))`;
}

const OPERATORS: Record<string, (l: string, r: string) => string> = {
  equals: (l, r) => `text(${l}) === text(${r})`,
  notEquals: (l, r) => `text(${l}) !== text(${r})`,
  contains: (l, r) => `text(${l}).includes(text(${r}))`,
  notContains: (l, r) => `!text(${l}).includes(text(${r}))`,
  matches: (l, r) => `new RegExp(text(${r})).test(text(${l}))`,
  greaterThan: (l, r) => `Number(${l}) > Number(${r})`,
  lessThan: (l, r) => `Number(${l}) < Number(${r})`,
  isEmpty: (l) => `text(${l}) === ''`,
  isNotEmpty: (l) => `text(${l}) !== ''`,
};

function conditionCode(condition: Condition, where: string): string {
  if ('visible' in condition) return `await isVisible(${locatorCode(condition.visible, where)}, ${condition.waitMs ?? 0})`;
  return OPERATORS[condition.op]!(valueCode(condition.left, where), valueCode(condition.right ?? '', where));
}

class Writer {
  readonly lines: string[] = [];
  private depth = 2;
  line(text: string): void {
    this.lines.push(`${'  '.repeat(this.depth)}${text}`);
  }
  /** `open` ends with "{"; `close` may continue the statement: "} else {", "} catch (error) {". */
  block(open: string, body: () => void): void {
    this.line(open);
    this.depth++;
    body();
    this.depth--;
  }
  end(text = '}'): void {
    this.line(text);
  }
}

function stepName(step: Step, stepPath: string): string {
  return `step ${stepPath}: ${step.name ?? describeStep(step)}`.replace(/\s+/g, ' ');
}

/** The variable holding the answer a waiting dialog step armed before the action ahead of it. */
const armedAnswer = (stepPath: string): string => `dialogOfStep${stepPath.replace(/\W+/g, '_')}`;

function dialogAnswerArgs(step: StepOf<'browser.dialog'>, where: string): string {
  return `${str(step.action)}, ${step.promptText !== undefined ? textCode(step.promptText, where) : 'undefined'}, ${step.expectMessage !== undefined ? textCode(step.expectMessage, where) : 'undefined'}${step.saveMessageAs ? `, (message) => (vars[${str(step.saveMessageAs)}] = message)` : ''}`;
}

function emitSteps(w: Writer, steps: Step[], prefix: string, automation: LoadedAutomation): void {
  const pathOf = (index: number): string => (prefix ? `${prefix}.${index + 1}` : String(index + 1));
  let armedEarly: string | undefined;
  steps.forEach((step, index) => {
    const next = steps[index + 1];
    // A dialog its step waits for after this action can open before the action returns (a busy machine), and the
    // action does not return until the dialog is answered: its answer is armed before the action.
    const early = HANDS_DIALOG_ON.has(step.kind) && next?.kind === 'browser.dialog' && next.wait === true && !next.whenever ? next : undefined;
    if (early) {
      w.line(`// the dialog step ${pathOf(index + 1)} waits for may open before this action returns: its answer is armed first`);
      w.line(`const ${armedAnswer(pathOf(index + 1))} = answerNextDialog(${dialogAnswerArgs(early, `step ${pathOf(index + 1)} (${early.kind})`)});`);
    }
    emitStep(w, step, pathOf(index), automation, armedEarly);
    // As the runner: a confirm or prompt no step answered fails the step during which it opened, unless a dialog step
    // comes next (it may declare that dialog's answer). Nothing runs after flow.fail's throw.
    if (next?.kind !== 'browser.dialog' && step.kind !== 'flow.fail') w.line(`failOnDialogProblems(${str(stepName(step, pathOf(index)))});`);
    armedEarly = early ? armedAnswer(pathOf(index + 1)) : undefined;
  });
}

/** `armedEarly`: for a waiting browser.dialog step, the variable of its answer armed before the action ahead of it. */
function emitStep(w: Writer, step: Step, stepPath: string, automation: LoadedAutomation, armedEarly?: string): void {
  const where = `step ${stepPath} (${step.kind})`;
  const timeout = step.timeoutMs ?? automation.doc.defaults?.timeoutMs;
  /** For actions: one candidate, picked at run time. */
  const L = (target: Target): string => pickCode(target, where, timeout);
  /** For waits and checks: every candidate joined with or(). */
  const U = (target: Target): string => locatorCode(target, where);
  const opts = timeout ? `{ timeout: ${timeout} }` : '{}';
  w.line(`// ${stepName(step, stepPath)}`);
  switch (step.kind) {
    case 'browser.open':
      if (step.viewport) w.line(`await page.setViewportSize(${JSON.stringify(step.viewport)});`);
      if (step.url) w.line(`await page.goto(${textCode(step.url, where)});`);
      break;
    case 'browser.goto':
      w.line(`await page.goto(${textCode(step.url, where)}${step.waitUntil ? `, { waitUntil: ${str(step.waitUntil)} }` : ''});`);
      break;
    case 'browser.click': {
      const options = [timeout ? `timeout: ${timeout}` : '', step.button ? `button: ${str(step.button)}` : '', step.clickCount ? `clickCount: ${step.clickCount}` : '', step.modifiers ? `modifiers: ${JSON.stringify(step.modifiers)}` : ''].filter(Boolean);
      w.line(`await ${L(step.target)}.click(${options.length ? `{ ${options.join(', ')} }` : ''});`);
      break;
    }
    case 'browser.fill':
      w.line(`await ${L(step.target)}.fill(${textCode(step.value, where)}, ${opts});`);
      break;
    case 'browser.select':
      w.line(`await ${L(step.target)}.selectOption(${step.value !== undefined ? `{ value: ${textCode(step.value, where)} }` : `{ label: ${textCode(step.label ?? '', where)} }`}, ${opts});`);
      break;
    case 'browser.check':
      w.line(`await ${L(step.target)}.setChecked(${step.checked}, ${opts});`);
      break;
    case 'browser.press':
      w.line(step.target ? `await ${L(step.target)}.press(${str(step.key)}, ${opts});` : `await page.keyboard.press(${str(step.key)});`);
      break;
    case 'browser.hover':
      w.line(`await ${L(step.target)}.hover(${opts});`);
      break;
    case 'browser.dragTo':
      w.line(`await ${L(step.target)}.dragTo(${L(step.to)}, ${opts});`);
      break;
    case 'browser.type':
      w.line(step.target ? `await ${L(step.target)}.pressSequentially(${textCode(step.text, where)}, ${opts});` : `await page.keyboard.type(${textCode(step.text, where)});`);
      break;
    case 'browser.upload':
      w.line(`await ${L(step.target)}.setInputFiles([${step.files.map((f) => `path.resolve(AUTOMATION_DIR, ${textCode(f, where)})`).join(', ')}], ${opts});`);
      break;
    case 'browser.waitFor':
      if (step.target) w.line(`await ${U(step.target)}.waitFor({ state: ${str(step.state ?? 'visible')}${timeout ? `, timeout: ${timeout}` : ''} });`);
      else if (step.urlContains !== undefined) w.line(`await page.waitForURL((url) => url.href.includes(${textCode(step.urlContains, where)}), ${opts});`);
      else w.line(`await page.waitForLoadState(${str(step.loadState ?? 'load')}, ${opts});`);
      break;
    case 'browser.extract': {
      const reads: Record<string, string> = {
        text: `(await ${L(step.target)}.innerText(${opts})).trim()`,
        value: `await ${L(step.target)}.inputValue(${opts})`,
        attribute: `(await ${L(step.target)}.getAttribute(${str(step.attribute ?? '')}, ${opts})) ?? ''`,
        count: `await ${locatorCode(step.target, where, true)}.count()`,
        allTexts: `(await ${U(step.target)}.allInnerTexts()).map((t) => t.trim())`,
        table: `await ${L(step.target)}.evaluate(readTable)`,
      };
      const read = reads[step.what]!;
      w.line(`vars[${str(step.into)}] = ${step.pattern ? `applyPattern(${read}, ${str(step.pattern)})` : read};`);
      break;
    }
    case 'browser.assert': {
      const message = str(step.message ?? `assertion "${step.assert}" failed at ${stepName(step, stepPath)}`);
      const expected = textCode(step.expected ?? '', where);
      const checks: Record<string, string> = {
        visible: `await ${step.target ? U(step.target) : 'page.locator("body")'}.waitFor({ state: 'visible'${timeout ? `, timeout: ${timeout}` : ''} }).then(() => true, () => false)`,
        hidden: `await ${step.target ? U(step.target) : 'page.locator("body")'}.waitFor({ state: 'hidden'${timeout ? `, timeout: ${timeout}` : ''} }).then(() => true, () => false)`,
        textEquals: `await eventually(async () => normalize(await ${step.target ? U(step.target) : 'page.locator("body")'}.innerText()) === normalize(${expected}))`,
        textContains: `await eventually(async () => normalize(await ${step.target ? U(step.target) : 'page.locator("body")'}.innerText()).includes(normalize(${expected})))`,
        valueEquals: `await eventually(async () => (await ${step.target ? U(step.target) : 'page.locator("body")'}.inputValue()) === ${expected})`,
        urlContains: `await eventually(async () => page.url().includes(${expected}))`,
        titleContains: `await eventually(async () => (await page.title()).includes(${expected}))`,
      };
      w.line(`if (!(${checks[step.assert]!})) throw new Error(${message});`);
      break;
    }
    case 'browser.screenshot': {
      const file = `path.join(OUT_DIR, ${str(step.fileName ?? `step-${stepPath}.png`)})`;
      w.line(step.target ? `await ${L(step.target)}.screenshot({ path: ${file} });` : `await page.screenshot({ path: ${file}${step.fullPage ? ', fullPage: true' : ''} });`);
      break;
    }
    case 'browser.dialog':
      if (step.whenever) {
        w.line(`${step.wait ? `await dialogOpenedWhenever(${timeout ?? automation.doc.defaults?.timeoutMs ?? 30_000}, ` : 'answerDialogsWhenever('}${dialogAnswerArgs(step, where)});`);
        break;
      }
      if (!step.wait) w.line(`answerNextDialog(${dialogAnswerArgs(step, where)});`);
      else w.line(`await dialogAnswered(${armedEarly ?? `answerNextDialog(${dialogAnswerArgs(step, where)})`}, ${timeout ?? automation.doc.defaults?.timeoutMs ?? 30_000});`);
      break;
    case 'browser.switchTab': {
      const test = [step.urlContains !== undefined ? `p.url().includes(${textCode(step.urlContains, where)})` : '', step.titleContains !== undefined ? `(await p.title()).includes(${textCode(step.titleContains, where)})` : ''].filter(Boolean).join(' && ');
      if (step.closeCurrent) w.line('await page.close();');
      w.line(`page = await findTab(context, ${step.index ?? 'undefined'}, async (p) => ${test || 'true'});`);
      break;
    }
    case 'flow.set':
      w.line(
        step.append
          ? `vars[${str(step.var)}] = [...((vars[${str(step.var)}] as unknown[] | undefined) ?? []), ${valueCode(step.value, where)}];`
          : `vars[${str(step.var)}] = ${valueCode(step.value, where)};`,
      );
      break;
    case 'flow.if':
      w.block(`if (${conditionCode(step.condition, where)}) {`, () => emitSteps(w, step.then, `${stepPath}.then`, automation));
      if (step.else) w.block('} else {', () => emitSteps(w, step.else!, `${stepPath}.else`, automation));
      w.end();
      break;
    case 'flow.forEach':
      if (step.csv) throw new UsageError(`${where}: flow.forEach over a CSV file has no export to Playwright; export a list input instead`);
      w.block(`for (const [index, item] of (${valueCode(step.items, where)} as unknown[]).entries()) {`, () => {
        w.line(`vars[${str(step.as)}] = item;`);
        if (step.indexAs) w.line(`vars[${str(step.indexAs)}] = index;`);
        emitSteps(w, step.steps, `${stepPath}[]`, automation);
      });
      w.end();
      break;
    case 'flow.try':
      w.block('try {', () => emitSteps(w, step.steps, `${stepPath}.try`, automation));
      if (step.catch || !step.finally) {
        w.block('} catch (error) {', () => {
          if (step.errorAs) w.line(`vars[${str(step.errorAs)}] = { name: (error as Error).name, message: (error as Error).message };`);
          emitSteps(w, step.catch ?? [], `${stepPath}.catch`, automation);
        });
      }
      if (step.finally) w.block('} finally {', () => emitSteps(w, step.finally!, `${stepPath}.finally`, automation));
      w.end();
      break;
    case 'flow.fail':
      w.line(`throw new Error(${textCode(step.message, where)});`);
      break;
    case 'log':
      w.line(`console.log(${textCode(step.message, where)});`);
      break;
    default:
      throw new UsageError(`${where}${step.name ? ` "${step.name}"` : ''}: ${step.kind} has no export to Playwright (${step.kind === 'flow.call' ? 'inline the called automation' : 'it needs the rpa runner'})`);
  }
}

function inputType(decl: InputDecl): string {
  return { string: 'string', file: 'string', number: 'number', boolean: 'boolean', list: 'unknown[]' }[decl.type];
}

function inputCode(decl: InputDecl): string {
  const fallback = decl.default !== undefined ? JSON.stringify(decl.default) : 'undefined';
  return `${str(decl.name)}: input(${str(decl.name)}, ${str(decl.type)}, ${fallback}) as ${inputType(decl)},`;
}

/** The script text. Throws UsageError naming the first step that cannot be exported. */
export function exportPlaywright(automation: LoadedAutomation): string {
  const doc = automation.doc;
  const body = new Writer();
  emitSteps(body, doc.steps, '', automation);
  const inputs = doc.inputs ?? [];
  return `// ${doc.name} (${doc.id} ${doc.version}), exported by \`rpa export\` from ${path.basename(automation.file)}.
// A standalone playwright-core script: an action takes the first of its target's recorded
// candidates that matches exactly one element (one()); waits and checks join them with .or().
// Inputs: RPA_INPUT_<NAME> environment variables (else the defaults below).
// Secrets: RPA_SECRET_<NAME>. Browser: RPA_BROWSER (default /usr/bin/chromium); HEADED=1 shows it.
// Uploads are read from RPA_AUTOMATION_DIR (default: the automation's folder at export time).
// A dialog no step answers is dismissed: an alert with a warning; a confirm, prompt or beforeunload
// stops the script after its step (exit code 1), as it fails the rpa run.
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Where the automation's relative paths (uploads) start: its folder when it was exported. */
const AUTOMATION_DIR = process.env['RPA_AUTOMATION_DIR'] ?? ${str(automation.dir)};
const OUT_DIR = process.cwd();

function input(name: string, type: string, fallback: unknown): unknown {
  const raw = process.env[\`RPA_INPUT_\${name.toUpperCase()}\`];
  if (raw === undefined) {
    if (fallback === undefined) throw new Error(\`input "\${name}" is required: set RPA_INPUT_\${name.toUpperCase()}\`);
    return fallback;
  }
  if (type === 'number') return Number(raw);
  if (type === 'boolean') return raw === 'true' || raw === '1' || raw === 'yes';
  if (type === 'list') return JSON.parse(raw) as unknown;
  return raw;
}

function secret(name: string): string {
  const value = process.env[\`RPA_SECRET_\${name.toUpperCase()}\`];
  if (value === undefined) throw new Error(\`secret "\${name}" is missing: set RPA_SECRET_\${name.toUpperCase()}\`);
  return value;
}

interface Inputs {
${inputs.map((d) => `  ${IDENTIFIER.test(d.name) ? d.name : str(d.name)}: ${inputType(d)};`).join('\n')}
}

const inputs: Inputs = {
${inputs.map((d) => `  ${inputCode(d)}`).join('\n')}
};
const secrets = {
${(doc.secrets ?? []).map((name) => `  get ${name}(): string {\n    return secret(${str(name)});\n  },`).join('\n')}
};
const run = { id: \`export-\${Date.now()}\`, startedAt: new Date().toISOString(), dir: OUT_DIR, automationDir: AUTOMATION_DIR };
const vars: Record<string, unknown> = {};

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value as number | boolean);
}

function field(value: unknown, ...names: string[]): unknown {
  return names.reduce<unknown>((v, name) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[name] : undefined), value);
}

function applyPattern(value: string, pattern: string): string {
  const match = new RegExp(pattern).exec(value);
  if (!match) throw new Error(\`"\${value}" does not match /\${pattern}/\`);
  return match[1] ?? match[0];
}

/**
 * The first candidate that matches exactly one element, as the rpa runner picks it, waiting for
 * the page; when none does in time, all of them joined with or(), whose error names every match.
 */
async function one(candidates: Locator[], timeoutMs = ${doc.defaults?.timeoutMs ?? 30_000}): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const candidate of candidates) if ((await candidate.count()) === 1) return candidate;
    if (Date.now() > deadline) return candidates.reduce((all, candidate) => all.or(candidate));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs = ${doc.defaults?.timeoutMs ?? 30_000}): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function isVisible(locator: ReturnType<Page['locator']>, waitMs: number): Promise<boolean> {
  return locator.first().waitFor({ state: 'visible', timeout: Math.max(1, waitMs) }).then(() => true, () => false);
}

/** Text as a reader sees it: runs of whitespace (line breaks, no-break spaces) are one space; no space at the ends. */
function normalize(text: string): string {
  return text.replace(/\\s+/g, ' ').trim();
}

interface DialogAnswer {
  action: 'accept' | 'dismiss';
  promptText?: string | undefined;
  expectMessage?: string | undefined;
  save?: ((message: string) => void) | undefined;
  answered: () => void;
}

/** Confirms, prompts and beforeunloads no step answered, dismissed: each fails the step during which it opened. */
const unexpectedDialogs: Array<{ type: string; message: string }> = [];
/** Dialogs answered otherwise than their step said (another message, or dismissed before the step declared to accept it). */
const dialogProblems: string[] = [];

/** What went wrong with dialogs since the last check (each said once); \`when\` says where the script was. */
function takeDialogProblems(when: string): string[] {
  const unexpected = unexpectedDialogs.splice(0).map(
    (d) => \`the page opened a \${d.type} "\${d.message.slice(0, 80)}" that no step answers (\${when}); it was dismissed, so the page went on as told Cancel. Add a browser.dialog step with its answer before the step that opens it (with whenever: true when the page opens it on its own) and export again\`,
  );
  return [...dialogProblems.splice(0), ...unexpected];
}

/** After a step (\`step\`; none after the last one): stops the script when a dialog was answered as no step says. */
function failOnDialogProblems(step?: string): void {
  const problems = takeDialogProblems(step === undefined ? 'after the last step' : \`by the end of \${step}\`);
  if (problems.length) throw new Error(problems.join('; '));
}

/** Answers for the dialogs to come, in order: one listener per tab takes the next one. */
const dialogAnswers: DialogAnswer[] = [];

/** Answers to dialogs the page opens on its own (a timer of its own): each answers every dialog saying its message, whenever it opens. */
const standingAnswers: Array<DialogAnswer & { seen: number; waited: number }> = [];

function answerDialogs(page: Page): void {
  page.on('dialog', (dialog) => {
    const message = dialog.message();
    const standing = standingAnswers.find((s) => s.expectMessage === undefined || message.includes(s.expectMessage));
    if (standing && !dialogAnswers.some((a) => a.expectMessage !== undefined && message.includes(a.expectMessage))) {
      standing.seen++;
      standing.save?.(message);
      void (standing.action === 'accept' ? dialog.accept(standing.promptText) : dialog.dismiss()).catch(() => undefined);
      return;
    }
    const answer = dialogAnswers.shift();
    if (!answer) {
      // Dismissed at once, so the page is not blocked. An alert has one answer (dismissing it is accepting it): only a
      // warning. A confirm, prompt or beforeunload was told Cancel, which no step said: the script stops after the step.
      void dialog.dismiss().catch(() => undefined);
      if (dialog.type() === 'alert') console.error(\`warning: unexpected alert "\${message}" was dismissed; add a browser.dialog step before the step that opens it\`);
      else unexpectedDialogs.push({ type: dialog.type(), message });
      return;
    }
    answer.save?.(message);
    if (answer.expectMessage !== undefined && !message.includes(answer.expectMessage)) dialogProblems.push(\`the \${dialog.type()} said "\${message}", expected it to contain "\${answer.expectMessage}"\`);
    void (answer.action === 'accept' ? dialog.accept(answer.promptText) : dialog.dismiss()).catch(() => undefined);
    answer.answered();
  });
}

/** Arms the answer to the next dialog; \`came\` settles once it has answered one. */
function answerNextDialog(action: 'accept' | 'dismiss', promptText?: string, expectMessage?: string, save?: (message: string) => void): { answer: DialogAnswer; came: Promise<void> } {
  let answered!: () => void;
  const came = new Promise<void>((resolve) => (answered = resolve));
  const answer = { action, promptText, expectMessage, save, answered };
  dialogAnswers.push(answer);
  return { answer, came };
}

/** A dialog the page opens on its own: answered whenever it opens, from now on (one standing answer per answer). */
function answerDialogsWhenever(action: 'accept' | 'dismiss', promptText?: string, expectMessage?: string, save?: (message: string) => void): DialogAnswer & { seen: number; waited: number } {
  const same = standingAnswers.find((s) => s.action === action && s.promptText === promptText && s.expectMessage === expectMessage);
  if (same) return same;
  const standing = { action, promptText, expectMessage, save, answered: () => undefined, seen: 0, waited: 0 };
  standingAnswers.push(standing);
  // One the page opened before this answer was declared was dismissed then: no longer unexpected when Cancel was its
  // answer; when it should have been accepted the page went on otherwise than the step says.
  for (const gone of [...unexpectedDialogs]) {
    if (expectMessage !== undefined && !gone.message.includes(expectMessage)) continue;
    unexpectedDialogs.splice(unexpectedDialogs.indexOf(gone), 1);
    if (action === 'accept') dialogProblems.push(\`the \${gone.type} "\${gone.message.slice(0, 80)}" opened before its answer was declared and was dismissed, not accepted as its browser.dialog step says; the page went on with that\`);
  }
  return standing;
}

/** Waits until the page's own dialog has opened once more than earlier waits for it waited for (it may have opened already). */
async function dialogOpenedWhenever(timeoutMs: number, action: 'accept' | 'dismiss', promptText?: string, expectMessage?: string, save?: (message: string) => void): Promise<void> {
  const standing = answerDialogsWhenever(action, promptText, expectMessage, save);
  const wanted = ++standing.waited;
  const deadline = Date.now() + timeoutMs;
  while (standing.seen < wanted) {
    if (Date.now() >= deadline) throw new Error(\`the dialog\${expectMessage !== undefined ? \` "\${expectMessage}"\` : ''} the page opens on its own did not open within \${timeoutMs} ms\`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** For a dialog that opens a while after the step before it: wait until its armed answer has answered it. */
async function dialogAnswered(armed: { answer: DialogAnswer; came: Promise<void> }, timeoutMs: number): Promise<void> {
  const { answer, came } = armed;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const index = dialogAnswers.indexOf(answer);
      if (index >= 0) dialogAnswers.splice(index, 1);
      reject(new Error(\`no dialog\${answer.expectMessage !== undefined ? \` "\${answer.expectMessage}"\` : ''} appeared within \${timeoutMs} ms\`));
    }, timeoutMs);
  });
  try {
    await Promise.race([came, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function findTab(context: BrowserContext, index: number | undefined, matches: (page: Page) => Promise<boolean>): Promise<Page> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pages = context.pages();
    const found = index !== undefined ? pages[index] : (await Promise.all(pages.map(async (p) => ((await matches(p)) ? p : undefined)))).find(Boolean);
    if (found) {
      await found.bringToFront();
      return found;
    }
    if (Date.now() > deadline) throw new Error('no matching tab');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readTable(table: { querySelectorAll(s: string): ArrayLike<{ children: ArrayLike<{ textContent: string | null }>; querySelector(s: string): unknown }> }): Array<Record<string, string>> {
  const clean = (t: string | null): string => (t ?? '').replace(/\\s+/g, ' ').trim();
  const rows = Array.from(table.querySelectorAll('tr'));
  const header = rows.find((row) => row.querySelector('th')) ?? rows[0];
  if (!header) return [];
  const names = Array.from(header.children).map((cell, i) => clean(cell.textContent) || \`column\${i + 1}\`);
  return rows.filter((row) => row !== header && row.querySelector('td')).map((row) => Object.fromEntries(names.map((n, i) => [n, clean(Array.from(row.children)[i]?.textContent ?? null)])));
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env['RPA_BROWSER'] ?? '/usr/bin/chromium',
    headless: process.env['HEADED'] !== '1',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext();
  context.on('page', answerDialogs);
  // Requests still running when the last step is done (a form posted back from a popup) finish before the browser
  // closes: the runner waits for them too (up to 5 s, until 300 ms pass with none running).
  let running = 0;
  let lastActivity = Date.now();
  const requestDone = (): void => {
    running = Math.max(0, running - 1);
    lastActivity = Date.now();
  };
  context.on('request', () => {
    running++;
    lastActivity = Date.now();
  });
  context.on('requestfinished', requestDone);
  context.on('requestfailed', requestDone);
  let page = await context.newPage();
  try {
${body.lines.join('\n')}
    lastActivity = Date.now();
    for (const end = Date.now() + 5000; Date.now() < end && (running > 0 || Date.now() - lastActivity < 300); ) await new Promise((resolve) => setTimeout(resolve, 50));
    failOnDialogProblems();
${(doc.outputs ?? []).map((name) => `    console.log(${str(`${name} =`)}, text(vars[${str(name)}]));`).join('\n')}
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  // A step that failed on its own (a wait in vain) may have failed because the page was told Cancel meanwhile.
  for (const problem of takeDialogProblems('before the script failed')) console.error(problem);
  process.exitCode = 1;
});
`;
}
