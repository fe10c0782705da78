// The automation format, defined once. Types, validation, the committed JSON Schema
// (automation.schema.json) and the docs all derive from this file.
import { z } from 'zod';

export const FORMAT_VERSION = 1;

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a name made of letters, digits and _ (not starting with a digit)');

/** A string that may contain {{inputs.x}}, {{vars.x}}, {{secrets.x}} or {{run.x}} references. */
const templated = z.string();

// ---- targets ---------------------------------------------------------------

const exact = z.boolean().optional().describe('Match the whole text exactly (default: case-insensitive substring).');

export const Locator = z.union([
  z.strictObject({ role: z.string().min(1), name: z.string().optional(), exact }).describe('ARIA role and accessible name'),
  z.strictObject({ label: z.string().min(1), exact }).describe('Form control by its label text'),
  z.strictObject({ testId: z.string().min(1) }).describe('data-testid attribute'),
  z.strictObject({ placeholder: z.string().min(1), exact }).describe('Placeholder text'),
  z.strictObject({ text: z.string().min(1), exact }).describe('Visible text'),
  z.strictObject({ title: z.string().min(1), exact }).describe('title attribute'),
  z.strictObject({ css: z.string().min(1) }).describe('CSS selector'),
  z.strictObject({ xpath: z.string().min(1) }).describe('XPath expression'),
]);
export type Locator = z.infer<typeof Locator>;

export const Fingerprint = z
  .strictObject({
    tag: z.string().min(1).describe('Lower-case tag name, e.g. "input".'),
    role: z.string().optional().describe('ARIA role (explicit or implicit).'),
    name: z.string().optional().describe('Accessible name.'),
    text: z.string().optional().describe('Visible text, whitespace collapsed, at most 100 characters.'),
    attributes: z.record(z.string(), z.string()).optional().describe('Key attributes: id, name, type, placeholder, title, alt, href, value (never for passwords), class, data-*.'),
    label: z.string().optional().describe('Text of the label or nearest preceding label-like text.'),
    formIndex: z.number().int().min(0).optional().describe('Position among the form controls of its form (or document).'),
    ancestors: z.array(z.string()).optional().describe('Tag names of up to 4 ancestors, nearest first.'),
    box: z
      .strictObject({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })
      .optional()
      .describe('Bounding box in CSS pixels at record time.'),
  })
  .describe('What the element looked like when it was recorded; used to find it again when every locator fails.');
export type Fingerprint = z.infer<typeof Fingerprint>;

export const Target = z
  .strictObject({
    candidates: z
      .array(Locator)
      .min(1, 'expected at least one locator')
      .describe('Locator candidates, most robust first. The runner uses the first that matches exactly one element.'),
    frame: z
      .array(z.string().min(1))
      .optional()
      .describe('CSS selectors of the iframes that contain the element, outermost first.'),
    description: z.string().optional().describe('What the element is, for people reading logs.'),
    fingerprint: Fingerprint.optional(),
  })
  .describe('An element on the page, found through ranked locator candidates.');
export type Target = z.infer<typeof Target>;

// ---- desktop targets -------------------------------------------------------

const confidence = z.number().min(0).max(1).optional();

const A11yAncestor = z.strictObject({ role: z.string().min(1), name: z.string().min(1) });

const Nth = z
  .strictObject({
    index: z.number().int().min(0).describe('0-based place among the look-alikes.'),
    of: z.number().int().min(2).describe('How many look-alikes the window held when recorded; replay refuses a window holding another number.'),
  })
  .refine((nth) => nth.index < nth.of, { message: 'expected "index" below "of"' });

export const DesktopCandidate = z.union([
  z
    .strictObject({
      a11y: z
        .strictObject({
          role: z.string().min(1).describe('Accessible role as the platform names it, e.g. AT-SPI "push button", "text", "check box".'),
          name: z.string().min(1).optional().describe('Accessible name (a button\'s caption); left out when the control has none.'),
          label: z.string().min(1).optional().describe('Text of the label that labels the control (an entry named by its "Last name" label).'),
          path: z.array(A11yAncestor).optional().describe('The named ancestors between the window and the control, outermost first (a frame "Shipping").'),
          nth: Nth.optional().describe('When role, name, label and path still match several controls of the window (identical unlabelled entries): which of them, in the accessibility tree\'s order. Replay takes it only when the window holds exactly `of` such controls.'),
        })
        .describe('Which control: role and name, then label and path as far as needed to tell it from the others.'),
    })
    .describe('An accessibility selector (AT-SPI on Linux), searched in the target window; must match exactly one control'),
  z
    .strictObject({
      image: z.string().min(1).describe('PNG file, relative to the automation file.'),
      confidence: confidence.describe('Least match score, 0…1 (default 0.9).'),
      scales: z.array(z.number().min(0.25).max(4)).min(1).optional().describe('Template scales to try, in order (default 1, 0.9, 1.1, 0.8, 1.25).'),
      at: z
        .strictObject({ x: z.number(), y: z.number() })
        .optional()
        .describe("Where the image's centre was, in pixels from the window's top-left corner, when recorded: while the window has its recorded size, only a match there counts (it tells identical controls apart)."),
      nth: Nth.optional().describe('The image shows a control that looks like others of its window (an empty entry): which of the places it matches about equally, in reading order (rows top to bottom, left to right). Replay takes it only when the window shows exactly `of` such places in plain rows, and (with `at`) where the recorded place can be.'),
    })
    .describe('An image of the element, found on screen by template matching'),
  z
    .strictObject({ text: z.string().min(1), exact, confidence: confidence.describe('Least mean OCR confidence, 0…1 (default 0.5).') })
    .describe('A word or phrase, found on screen by OCR'),
  z
    .strictObject({
      label: z.string().min(1).describe('Text of the label beside the control (e.g. "Last name"), found by OCR; it must be on one line of the window only.'),
      side: z.enum(['right', 'below']).describe('Where the control is from its label: right of it, or below it.'),
      distance: z
        .strictObject({ x: z.number(), y: z.number() })
        .describe("Pixels from the label to the point clicked: from its right edge's middle (side right) or its bottom-left corner (side below)."),
      confidence: confidence.describe('Least mean OCR confidence, 0…1 (default 0.5).'),
    })
    .describe('A control found by the label next to it: "the entry right of \'Last name\'"'),
  z
    .strictObject({
      area: z
        .strictObject({
          color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour as #rrggbb').describe('Its one colour, #rrggbb.'),
          rect: z
            .strictObject({ x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() })
            .describe("Its bounds when recorded, in pixels from the window's top-left corner."),
        })
        .describe('A featureless area of one colour (an empty text area, a canvas), as recorded.'),
      at: z.strictObject({ x: z.number(), y: z.number() }).describe("The point clicked inside it, in pixels from the window's top-left corner."),
    })
    .describe('A featureless area clicked somewhere inside: found again at the recorded point, or at its place scaled with a resized window, only when the area of that colour there has the recorded bounds kept from an edge, centred or scaled'),
  z
    .strictObject({ offset: z.strictObject({ x: z.number(), y: z.number() }).describe('Pixels from the top-left corner of the window (or the screen when no window is given).') })
    .describe('Coordinates: the last resort'),
]);
export type DesktopCandidate = z.infer<typeof DesktopCandidate>;

export const DesktopTarget = z
  .strictObject({
    window: z.string().min(1).optional().describe('Title of the window to search in: a case-insensitive substring, or /regex/flags.'),
    candidates: z.array(DesktopCandidate).min(1, 'expected at least one candidate').describe('Ways to find the element, most robust first; the first that matches wins.'),
    description: z.string().optional().describe('What the element is, for people reading logs.'),
    windowSize: z
      .strictObject({ width: z.number().int().min(1), height: z.number().int().min(1) })
      .optional()
      .describe("The window's size when recorded. Recorded positions (image `at`, coordinates as a fallback) are trusted only while the window has this size."),
  })
  .describe('A place on the desktop: an accessibility selector, an image, a text or coordinates, optionally within a window.');
export type DesktopTarget = z.infer<typeof DesktopTarget>;

const Region = z.strictObject({ x: z.number().int().min(0), y: z.number().int().min(0), width: z.number().int().min(1), height: z.number().int().min(1) });

// ---- common step fields ----------------------------------------------------

export const RetryPolicy = z.strictObject({
  attempts: z.number().int().min(1).max(20).describe('Total attempts, including the first.'),
  delayMs: z.number().int().min(0).max(600_000).default(500).describe('Delay before the second attempt.'),
  backoff: z.number().min(1).max(10).default(2).describe('Multiplier applied to the delay after each attempt.'),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

const common = {
  id: z.string().optional().describe('Optional stable id of the step.'),
  name: z.string().optional().describe('Label shown in progress and reports.'),
  timeoutMs: z.number().int().min(1).max(3_600_000).optional().describe('Per-attempt timeout; default from `defaults.timeoutMs`.'),
  retry: RetryPolicy.optional(),
  continueOnError: z.boolean().optional().describe('Log the failure and go on with the next step.'),
};

// ---- steps -----------------------------------------------------------------

export const Condition = z.union([
  z.strictObject({
    left: z.unknown(),
    op: z.enum(['equals', 'notEquals', 'contains', 'notContains', 'matches', 'greaterThan', 'lessThan', 'isEmpty', 'isNotEmpty']),
    right: z.unknown().optional(),
  }),
  z.strictObject({ visible: Target, waitMs: z.number().int().min(0).max(60_000).optional() }),
]);
export type Condition = z.infer<typeof Condition>;


const browserSteps = [
  z.strictObject({
    kind: z.literal('browser.open'),
    ...common,
    url: templated.optional(),
    viewport: z.strictObject({ width: z.number().int().min(200), height: z.number().int().min(200) }).optional(),
  }),
  z.strictObject({
    kind: z.literal('browser.goto'),
    ...common,
    url: templated,
    waitUntil: z.enum(['load', 'domcontentloaded', 'networkidle']).optional(),
  }),
  z.strictObject({
    kind: z.literal('browser.click'),
    ...common,
    target: Target,
    button: z.enum(['left', 'right', 'middle']).optional(),
    clickCount: z.number().int().min(1).max(3).optional(),
    modifiers: z.array(z.enum(['Alt', 'Control', 'Meta', 'Shift'])).optional(),
  }),
  z.strictObject({ kind: z.literal('browser.fill'), ...common, target: Target, value: templated }),
  z
    .strictObject({
      kind: z.literal('browser.select'),
      ...common,
      target: Target,
      value: templated.optional().describe('Option value attribute.'),
      label: templated.optional().describe('Option text.'),
    })
    .refine((s) => (s.value === undefined) !== (s.label === undefined), { message: 'expected exactly one of "value" or "label"' }),
  z.strictObject({ kind: z.literal('browser.check'), ...common, target: Target, checked: z.boolean().default(true) }),
  z.strictObject({ kind: z.literal('browser.press'), ...common, target: Target.optional(), key: z.string().min(1) }),
  z.strictObject({
    kind: z.literal('browser.type'),
    ...common,
    target: Target.optional().describe('Element to type into; it is focused first unless it already has the focus (its caret and selection are kept). Without it, keys go to whatever has the focus.'),
    text: templated.describe('Typed key by key, as a person types ("\\n" presses Enter): for rich-text editors (contenteditable) and fields that react to each key, where fill does not do.'),
  }),
  z.strictObject({
    kind: z.literal('browser.upload'),
    ...common,
    target: Target,
    files: z.array(templated).describe('Paths, relative to the automation file.'),
  }),
  z
    .strictObject({
      kind: z.literal('browser.waitFor'),
      ...common,
      target: Target.optional(),
      state: z.enum(['visible', 'hidden', 'attached', 'detached']).optional(),
      urlContains: templated.optional(),
      loadState: z.enum(['load', 'domcontentloaded', 'networkidle']).optional(),
    })
    .refine((s) => [s.target, s.urlContains, s.loadState].filter((x) => x !== undefined).length === 1, {
      message: 'expected exactly one of "target", "urlContains" or "loadState"',
    }),
  z.strictObject({
    kind: z.literal('browser.extract'),
    ...common,
    target: Target,
    what: z.enum(['text', 'value', 'attribute', 'table', 'count', 'allTexts']),
    attribute: z.string().optional(),
    pattern: z.string().optional().describe('Regular expression; the first group (or the whole match) becomes the value.'),
    into: identifier.describe('Variable that receives the value.'),
  }),
  z.strictObject({
    kind: z.literal('browser.assert'),
    ...common,
    target: Target.optional(),
    assert: z.enum(['visible', 'hidden', 'textEquals', 'textContains', 'valueEquals', 'urlContains', 'titleContains']),
    expected: templated.optional(),
    message: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('browser.screenshot'),
    ...common,
    target: Target.optional(),
    fullPage: z.boolean().optional(),
    fileName: z.string().regex(/^[\w.-]+$/, 'expected a plain file name').optional(),
  }),
  z.strictObject({
    kind: z.literal('browser.dialog'),
    ...common,
    action: z.enum(['accept', 'dismiss']).describe('What to answer the next alert/confirm/prompt of the current tab.'),
    promptText: templated.optional(),
    expectMessage: templated.optional().describe('Fail when the dialog message does not contain this.'),
    saveMessageAs: identifier.optional(),
    wait: z
      .boolean()
      .optional()
      .describe('Also wait (up to the step timeout) until the dialog has come and been answered: for a dialog that opens a while after the step before it (an alert a second after a confirm). Without it the answer is only armed.'),
    whenever: z
      .boolean()
      .optional()
      .describe('A dialog the page opens on its own (a timer or a worker it started, not a step): answer every dialog whose message contains expectMessage this way whenever it opens, from this step to the end of the run, in any tab. With wait, also wait until it has opened once more than the earlier waiting steps for the same answer waited for (it may have opened already).'),
  }),
  z.strictObject({
    kind: z.literal('browser.switchTab'),
    ...common,
    urlContains: templated.optional(),
    titleContains: templated.optional(),
    index: z.number().int().min(0).optional(),
    closeCurrent: z.boolean().optional().describe('Close the current tab before switching.'),
  }),
  z.strictObject({ kind: z.literal('browser.hover'), ...common, target: Target.describe('Element to move the mouse over (e.g. a menu that reveals what is clicked next).') }),
  z.strictObject({ kind: z.literal('browser.dragTo'), ...common, target: Target.describe('Element to drag.'), to: Target.describe('Element to drop it on.') }),
] as const;

/** The window keys are meant for, as the recorder saw it receive them. */
const keysWindow = templated
  .optional()
  .describe(
    'Title of the window the keys are meant for (a case-insensitive substring, or /regex/flags), as recorded. Before a key goes out, the window with the focus must match it (a dialog still opening is waited for, within the step\'s time); otherwise the step fails naming both, with nothing typed. Without it, keys go to the window the run last acted on (or to whichever has the focus).',
  );

const desktopClick = (kind: 'desktop.click' | 'desktop.doubleClick' | 'desktop.rightClick') => z.strictObject({ kind: z.literal(kind), ...common, target: DesktopTarget });

const desktopSteps = [
  z.strictObject({
    kind: z.literal('desktop.launch'),
    ...common,
    program: templated.describe('Program to start: a name on PATH or a path.'),
    args: z.array(templated).optional(),
    cwd: templated.optional().describe('Working folder, relative to the automation file.'),
    waitForWindow: z.string().min(1).optional().describe('Wait until a window whose title matches appears (substring or /regex/).'),
    into: identifier.optional().describe('Variable that receives the process id.'),
    keepRunning: z.boolean().optional().describe('Leave the program running when the run ends (by default it is closed then, with what it started).'),
  }),
  z
    .strictObject({
      kind: z.literal('desktop.focusWindow'),
      ...common,
      title: templated.optional().describe('Window title: a case-insensitive substring, or /regex/flags.'),
      process: templated.optional().describe('Process id, or program / window class name (Linux).'),
      holds: DesktopTarget.optional().describe(
        'When several windows match: the one that shows this target is focused (found as a click target is; two that show it fail the step naming both). Without it, several matching windows fail the step naming them. The recorder fills it from the click that follows.',
      ),
    })
    .refine((s) => (s.title === undefined) !== (s.process === undefined), { message: 'expected exactly one of "title" or "process"' }),
  desktopClick('desktop.click'),
  desktopClick('desktop.doubleClick'),
  desktopClick('desktop.rightClick'),
  z.strictObject({ kind: z.literal('desktop.type'), ...common, text: templated.describe('Text to type into the focused control; secrets allowed.'), window: keysWindow }),
  z.strictObject({ kind: z.literal('desktop.press'), ...common, keys: z.string().min(1).describe('A key or combination: "Enter", "Control+S", "Alt+F4".'), window: keysWindow }),
  z.strictObject({ kind: z.literal('desktop.drag'), ...common, from: DesktopTarget, to: DesktopTarget }),
  z.strictObject({ kind: z.literal('desktop.waitFor'), ...common, target: DesktopTarget, state: z.enum(['appears', 'disappears']).default('appears') }),
  z.strictObject({
    kind: z.literal('desktop.read'),
    ...common,
    window: templated.optional().describe('Window to read (title pattern); without it, the screen.'),
    region: Region.optional().describe('Part to read, relative to the window (or the screen).'),
    into: identifier.describe('Variable that receives the text read by OCR.'),
  }),
  z.strictObject({
    kind: z.literal('desktop.screenshot'),
    ...common,
    window: templated.optional().describe('Window to capture (title pattern); without it, the screen.'),
    fileName: z.string().regex(/^[\w.-]+$/, 'expected a plain file name').optional(),
  }),
  z
    .strictObject({
    kind: z.literal('desktop.assert'),
    ...common,
    assert: z
      .enum(['textContains', 'windowOpen', 'windowClosed', 'clipboardEquals'])
      .describe('textContains: OCR of the window (or its region) contains `expected`; windowOpen / windowClosed: a visible window with a title matching `window` exists / none does; clipboardEquals: the clipboard holds exactly `expected`.'),
    window: templated.optional().describe('Window title (substring or /regex/): where the text is read, or the window that must be open or closed.'),
    region: Region.optional().describe('Part of the window (or the screen) to read, for textContains.'),
    expected: templated.optional().describe('The text that must be there (textContains) or in the clipboard (clipboardEquals).'),
    message: z.string().optional(),
  })
    .refine((s) => (s.assert === 'windowOpen' || s.assert === 'windowClosed' ? s.window !== undefined : s.expected !== undefined), {
      message: 'windowOpen and windowClosed need "window"; textContains and clipboardEquals need "expected"',
    }),
  z.strictObject({ kind: z.literal('clipboard.get'), ...common, into: identifier }),
  z.strictObject({ kind: z.literal('clipboard.set'), ...common, text: templated }),
] as const;

// ---- documents, models and human review -----------------------------------

export const FieldSpec = z
  .strictObject({
    name: identifier,
    label: z.string().min(1).optional().describe('How the field is named to people (the review card); default: the name in words ("invoiceNumber" → "Invoice number").'),
    type: z.enum(['string', 'number', 'money', 'date', 'boolean', 'enum', 'list']).default('string').describe('money: a decimal amount; date: returned as YYYY-MM-DD; list: a list of numbers or strings (e.g. line-item amounts).'),
    description: z.string().optional().describe('What the field means (sent to models as the field description).'),
    required: z.boolean().optional(),
    values: z.array(z.string()).optional().describe('Allowed values (type enum).'),
    labels: z.array(z.string()).optional().describe('Label texts printed next to the value on the document (hint for the local provider).'),
    pattern: z.string().optional().describe('Regular expression the whole value must match (validator; also a hint for the local provider).'),
    min: z.number().optional().describe('Smallest allowed number or amount.'),
    max: z.number().optional().describe('Largest allowed number or amount.'),
    notBefore: z.string().optional().describe('Earliest allowed date (YYYY-MM-DD).'),
    notAfter: z.string().optional().describe('Latest allowed date (YYYY-MM-DD).'),
  })
  .describe('A field to extract, with the hints and validators that apply to it.');
export type FieldSpec = z.infer<typeof FieldSpec>;

export const FieldRule = z.union([
  z.strictObject({ sum: identifier, of: z.array(identifier).min(1), tolerance: z.number().min(0).optional(), message: z.string().optional() }).describe('Field `sum` equals the sum of the fields in `of` (list fields are summed item by item).'),
  z.strictObject({ after: identifier, than: identifier, orEqual: z.boolean().optional(), message: z.string().optional() }).describe('Date field `after` is later than date field `than`.'),
  z.strictObject({ equal: z.array(identifier).min(2), message: z.string().optional() }).describe('All these fields hold the same value.'),
]);
export type FieldRule = z.infer<typeof FieldRule>;

const reviewPolicy = z
  .strictObject({
    threshold: z.number().min(0).max(1).default(0.8).describe('Fields with a lower confidence need a person.'),
    onLowConfidence: z.enum(['review', 'fail']).default('review').describe('What happens when a field is below the threshold or fails a validator.'),
    newLayouts: z
      .enum(['review', 'trust'])
      .optional()
      .describe('ai.extract: "review" sends a document to a person whatever its confidences until a reviewer has confirmed one laid out like it (the local reader learns the layout from that review; a provider that learns no layouts sends every document); "trust" (the default) lets the threshold decide.'),
    title: templated.optional().describe('Title of the review task.'),
    assignee: z.string().optional(),
  })
  .describe('When a person must confirm the values before the run goes on.');

const modelChoice = {
  provider: z.string().optional().describe('Name of a configured model provider; "local" (the default) never leaves the machine.'),
  model: z.string().optional().describe('Model name, overriding the provider\'s default.'),
  prompt: z.strictObject({ id: z.string().min(1), version: z.string().min(1), text: templated.optional() }).optional().describe('Versioned prompt; recorded on every model call.'),
};

const documentSteps = [
  z.strictObject({
    kind: z.literal('read.document'),
    ...common,
    file: templated.describe('PDF, PNG, JPEG or TIFF file, relative to the automation file.'),
    ocr: z.enum(['auto', 'always', 'never']).optional().describe('auto (default): PDF text where a page has it, OCR for scanned pages and images.'),
    language: z.string().optional().describe('OCR language (default eng).'),
    into: identifier.describe('Variable that receives { file, method, text, pages: [{ number, width, height, text, lines: [{ text, box, confidence }] }] }.'),
  }),
  z
    .strictObject({
      kind: z.literal('read.screen'),
      ...common,
      target: Target.optional().describe('Element of the current page to read.'),
      region: z.strictObject({ x: z.number().int().min(0), y: z.number().int().min(0), width: z.number().int().min(1), height: z.number().int().min(1) }).optional().describe('Region of the current page, in CSS pixels.'),
      language: z.string().optional(),
      into: identifier,
    })
    .refine((s) => !(s.target && s.region), { message: 'expected at most one of "target" or "region"' }),
  z.strictObject({
    kind: z.literal('ai.extract'),
    ...common,
    ...modelChoice,
    document: z.unknown().describe('What to read: a template yielding a read.document / read.screen result, a file path, or text.'),
    fields: z.array(FieldSpec).min(1, 'expected at least one field'),
    rules: z.array(FieldRule).optional().describe('Cross-field validators.'),
    review: reviewPolicy.optional(),
    shadow: z
      .strictObject({ provider: z.string().min(1).describe('A configured model provider (or "local").'), model: z.string().optional().describe('Model name, overriding the provider\'s default.') })
      .optional()
      .describe('Shadow mode: a second provider reads the same document side by side; its answers and per-field agreement with `provider` are recorded, nothing acts on them, and its failures never fail the step. Overrides settings models.shadow.'),
    into: identifier.describe('Variable that receives the values by field name (after review, the corrected ones).'),
    detailsInto: identifier.optional().describe('Variable that receives per-field { value, confidence, source, problems }.'),
  }),
  z.strictObject({
    kind: z.literal('ai.classify'),
    ...common,
    ...modelChoice,
    input: z.unknown().describe('Text, or a template yielding a document result.'),
    labels: z.array(z.strictObject({ name: z.string().min(1), description: z.string().optional() })).min(2, 'expected at least two labels'),
    review: reviewPolicy.optional(),
    into: identifier.describe('Variable that receives { label, confidence }.'),
  }),
  z.strictObject({
    kind: z.literal('ai.ask'),
    ...common,
    ...modelChoice,
    question: templated.describe('The request, e.g. "Draft a two-sentence status message for this claim".'),
    input: z.unknown().optional().describe('Context given with the question.'),
    maxTokens: z.number().int().min(1).max(32_000).optional(),
    into: identifier,
  }),
  z.strictObject({
    kind: z.literal('human.review'),
    ...common,
    title: templated,
    instructions: templated.optional(),
    values: z.unknown().optional().describe('Values to confirm or correct: an object, or a template yielding one (e.g. an ai.extract result).'),
    details: z.unknown().optional().describe('Per-field details (confidence, source, problems) shown to the reviewer.'),
    assignee: z.string().optional(),
    into: identifier.describe('Variable that receives { decision, values, reviewer, comment }.'),
  }),
] as const;

const flowIfBase = z.strictObject({ kind: z.literal('flow.if'), ...common, condition: Condition });
const flowForEachBase = z.strictObject({
  kind: z.literal('flow.forEach'),
  ...common,
  items: z.unknown().optional().describe('A list, or a template that yields one.'),
  csv: z.strictObject({ file: templated, delimiter: z.string().length(1).optional() }).optional(),
  as: identifier,
  indexAs: identifier.optional(),
});
const flowTryBase = z.strictObject({
  kind: z.literal('flow.try'),
  ...common,
  errorAs: identifier.optional().describe('Variable that receives { name, message } of the caught error.'),
});

const leafFlowSteps = [
  z.strictObject({
    kind: z.literal('flow.set'),
    ...common,
    var: identifier,
    value: z.unknown().describe('Any JSON value; strings are templated.'),
    append: z.boolean().optional().describe('Append to the list held in the variable.'),
  }),
  z.strictObject({
    kind: z.literal('flow.call'),
    ...common,
    automation: z.string().min(1).describe('Path of another automation file, relative to this one.'),
    inputs: z.record(z.string(), z.unknown()).optional(),
    into: identifier.optional().describe('Variable that receives the outputs of the called automation.'),
  }),
  z.strictObject({
    kind: z.literal('flow.fail'),
    ...common,
    message: templated,
    retryable: z.boolean().optional().describe('A system hiccup (application exception, retried by queues) rather than bad data (business exception).'),
  }),
  z.strictObject({
    kind: z.literal('queue.add'),
    ...common,
    queue: z.string().min(1),
    data: z.unknown().describe('The item: any JSON value; strings are templated. An object becomes the inputs of the run that works it.'),
    idempotencyKey: templated.optional().describe('An item with the same key is never added (or worked) twice.'),
    maxRetries: z.number().int().min(0).max(100).optional(),
    server: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Add to the central queue on this control server (the machine must be enrolled there) instead of the local queue.'),
    into: identifier.optional().describe('Variable that receives { id, duplicate }.'),
  }),
  z.strictObject({
    kind: z.literal('file.list'),
    ...common,
    folder: templated.describe('Folder to list, relative to the automation file.'),
    pattern: z
      .union([templated.min(1), z.array(templated.min(1)).min(1)])
      .optional()
      .describe('Glob or globs a file must match, e.g. "*.pdf" or ["*.pdf", "*.png"] (matched against the name, or against the path below the folder when the glob holds a "/"); default every file.'),
    recursive: z.boolean().optional().describe('Also list the files in sub-folders.'),
    into: identifier.describe('Variable that receives the files, sorted by path: [{ path, name, size, modified }].'),
  }),
  z.strictObject({
    kind: z.literal('file.writeCsv'),
    ...common,
    file: templated.describe('Output path, relative to the automation file.'),
    rows: z.unknown().describe('A list of objects, or a template that yields one.'),
    columns: z.array(z.string()).optional(),
  }),
  z.strictObject({
    kind: z.literal('log'),
    ...common,
    message: templated,
    level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  }),
] as const;

type LeafStep = z.infer<(typeof browserSteps)[number]> | z.infer<(typeof desktopSteps)[number]> | z.infer<(typeof documentSteps)[number]> | z.infer<(typeof leafFlowSteps)[number]>;
export interface FlowIfStep extends z.infer<typeof flowIfBase> {
  then: Step[];
  else?: Step[] | undefined;
}
export interface FlowForEachStep extends z.infer<typeof flowForEachBase> {
  steps: Step[];
}
export interface FlowTryStep extends z.infer<typeof flowTryBase> {
  steps: Step[];
  catch?: Step[] | undefined;
  finally?: Step[] | undefined;
}
export type Step = LeafStep | FlowIfStep | FlowForEachStep | FlowTryStep;
export type StepKind = Step['kind'];
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

// The step union is recursive. The explicit type on `stepList` breaks the type-level
// cycle; z.lazy breaks the runtime one.
const stepList: z.ZodType<Step[]> = z.array(z.lazy(() => Step));

const containerSteps = [
  flowIfBase.extend({ then: stepList, else: stepList.optional() }),
  flowForEachBase
    .extend({ steps: stepList })
    .refine((s) => (s.items === undefined) !== (s.csv === undefined), { message: 'expected exactly one of "items" or "csv"' }),
  flowTryBase.extend({ steps: stepList, catch: stepList.optional(), finally: stepList.optional() }),
] as const;

const allStepSchemas = [...browserSteps, ...desktopSteps, ...documentSteps, ...leafFlowSteps, ...containerSteps] as const;
export const STEP_KINDS: readonly string[] = allStepSchemas.map((s) => s.shape.kind.value);
export const Step: z.ZodType<Step> = z.discriminatedUnion('kind', allStepSchemas);

export const InputDecl = z.strictObject({
  name: identifier,
  type: z.enum(['string', 'number', 'boolean', 'file', 'list']),
  description: z.string().optional(),
  required: z.boolean().optional(),
  default: z.unknown().optional(),
});
export type InputDecl = z.infer<typeof InputDecl>;

export const Automation = z
  .strictObject({
    $schema: z.string().optional(),
    format: z.literal(FORMAT_VERSION).describe('Version of this document format.'),
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected lower-case letters, digits, ".", "_" or "-"'),
    name: z.string().min(1),
    version: z.string().regex(/^\d+\.\d+\.\d+([-+][\w.-]+)?$/, 'expected a semantic version like 1.0.0'),
    description: z.string().optional(),
    inputs: z.array(InputDecl).optional(),
    secrets: z.array(identifier).optional().describe('Names of the secrets this automation needs; values never live here.'),
    outputs: z.array(identifier).optional().describe('Variables reported as the outputs of a run.'),
    defaults: z
      .strictObject({
        timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
        retry: RetryPolicy.optional(),
        healThreshold: z.number().min(0).max(1).optional().describe('Self-healing: least fingerprint similarity (0…1, default 0.8) at which an element is used when no locator candidate matches.'),
      })
      .optional(),
    steps: z.array(Step).min(1, 'expected at least one step'),
  })
  .describe('An RPA automation (format 1).');
export type Automation = z.infer<typeof Automation>;
