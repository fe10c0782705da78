// The flow of the overhead benchmark, as an automation for the runner: sign in, then
// ROUNDS rounds of "file a claim through the wizard, look it up through the search,
// read its status, page the claims list". Unrolled into one flat list of steps, so the
// step count is the count of steps the runner executes. Every target has 2 ranked
// candidates the way the recorder writes them, and the first one always matches.
//
// The hand-written Playwright twin of this flow is bench/overhead-plain.ts; the two
// must do the same actions with the same (first-candidate) locators, in the same order.
import type { Automation, Step } from '../engine/format/schema.js';

export interface Round {
  policy: string;
  claimant: string;
  incidentDate: string;
  claimType: 'auto' | 'property' | 'liability' | 'health';
  /** Accessible name of the "Reported via" radio. */
  channel: 'Phone' | 'Email' | 'Branch';
  injuries: boolean;
  policeReport: boolean;
  description: string;
}

export const ROUNDS: readonly Round[] = [
  { policy: 'POL-10007', claimant: 'Dana Whitfield', incidentDate: '2026-11-18', claimType: 'auto', channel: 'Phone', injuries: false, policeReport: true, description: 'Rear-end collision at a junction; bumper and tail lights damaged.' },
  { policy: 'POL-10012', claimant: 'Marcus Oyelaran', incidentDate: '2026-10-02', claimType: 'property', channel: 'Email', injuries: false, policeReport: false, description: 'Burst pipe in the kitchen ceiling, water damage to two rooms.' },
  { policy: 'POL-10019', claimant: 'Ilse Brandt', incidentDate: '2026-09-27', claimType: 'liability', channel: 'Branch', injuries: true, policeReport: false, description: 'Visitor slipped on the wet shop floor and hurt a wrist.' },
  { policy: 'POL-10003', claimant: 'Tomás Ferreira', incidentDate: '2026-12-01', claimType: 'health', channel: 'Phone', injuries: true, policeReport: false, description: 'Emergency room visit after a fall on the stairs at work.' },
  { policy: 'POL-10021', claimant: 'Priya Raman', incidentDate: '2026-08-14', claimType: 'auto', channel: 'Email', injuries: true, policeReport: true, description: 'Side impact at a roundabout; driver door and mirror replaced.' },
  { policy: 'POL-10010', claimant: 'Jonas Lindqvist', incidentDate: '2026-07-30', claimType: 'property', channel: 'Branch', injuries: false, policeReport: true, description: 'Garden shed broken into; tools and a bicycle stolen.' },
];

export const DIALOG_MESSAGE = 'Submit this claim to the mainframe?';
/** Captures the claim number out of the result text. */
export const CLAIM_PATTERN = '(CLM-\\d{4}-\\d{6})';
export const PAGE_PATTERN = 'Page (\\d+) of \\d+';
export const STATUS_CELL_XPATH = "//td[normalize-space()='Status:']/following-sibling::td[1]";

const target = (description: string, ...candidates: Array<Record<string, unknown>>): Record<string, unknown> => ({ description, candidates });

function signIn(): unknown[] {
  return [
    // Launches the browser only: the timed window starts after this step (see overhead.ts).
    { kind: 'browser.open' },
    { kind: 'browser.goto', url: '{{inputs.baseUrl}}/login' },
    { kind: 'browser.fill', target: target('User name field', { label: 'User name:' }, { css: 'input[name=username]' }), value: '{{inputs.username}}' },
    { kind: 'browser.fill', target: target('Password field', { label: 'Password:' }, { css: 'input[name=password]' }), value: '{{secrets.portalPassword}}' },
    { kind: 'browser.click', target: target('Sign in button', { role: 'button', name: 'Sign in' }, { css: "input[type=submit][value='Sign in']" }) },
  ];
}

function round(r: Round): unknown[] {
  const channelValue = r.channel.toLowerCase();
  return [
    // --- file a claim through the 3-step wizard
    { kind: 'browser.click', target: target('New claim link', { role: 'link', name: 'New claim', exact: true }, { css: "a[href='/claims/new']" }) },
    { kind: 'browser.fill', target: target('Policy number', { label: 'Policy number:' }, { css: 'input[name=policy]' }), value: r.policy },
    { kind: 'browser.fill', target: target('Claimant name', { label: 'Claimant name:' }, { css: 'input[name=claimant]' }), value: r.claimant },
    { kind: 'browser.fill', target: target('Incident date', { label: 'Incident date:' }, { css: 'input[name=incidentDate]' }), value: r.incidentDate },
    { kind: 'browser.select', target: target('Claim type', { label: 'Claim type:' }, { css: 'select[name=claimType]' }), value: r.claimType },
    { kind: 'browser.click', target: target('Next (step 1)', { role: 'button', name: 'Next >' }, { css: "input[type=submit][value='Next >']" }) },
    { kind: 'browser.check', target: target('Reported via', { role: 'radio', name: r.channel, exact: true }, { css: `input[name=channel][value=${channelValue}]` }) },
    { kind: 'browser.check', target: target('Injuries involved', { label: 'Injuries involved' }, { css: 'input[name=injuries]' }), checked: r.injuries },
    { kind: 'browser.check', target: target('Police report filed', { label: 'Police report filed' }, { css: 'input[name=policeReport]' }), checked: r.policeReport },
    { kind: 'browser.fill', target: target('Description', { label: 'Description:' }, { css: 'textarea[name=description]' }), value: r.description },
    { kind: 'browser.click', target: target('Next (step 2)', { role: 'button', name: 'Next >' }, { css: 'button[name=action][value=next]' }) },
    { kind: 'browser.assert', target: target('Step 3 heading', { role: 'heading', name: 'New claim — step 3 of 3' }, { text: 'step 3 of 3' }), assert: 'visible' },
    { kind: 'browser.dialog', action: 'accept', expectMessage: DIALOG_MESSAGE },
    { kind: 'browser.click', target: target('Submit claim button', { role: 'button', name: 'Submit claim' }, { css: "input[type=submit][value='Submit claim']" }) },
    { kind: 'browser.extract', target: target('Claim number', { css: 'span.claim-no' }, { text: 'CLM-' }), what: 'text', pattern: CLAIM_PATTERN, into: 'claimNumber' },
    { kind: 'browser.click', target: target('Back to menu link', { role: 'link', name: 'Back to menu' }, { text: 'Back to menu', exact: true }) },
    // --- look the new claim up and read its status
    { kind: 'browser.click', target: target('Search claims link', { role: 'link', name: 'Search claims' }, { css: "a[href='/claims/search']" }) },
    { kind: 'browser.fill', target: target('Claim number field', { label: 'Claim number:' }, { css: 'input[name=q]' }), value: '{{vars.claimNumber}}' },
    { kind: 'browser.click', target: target('Search button', { role: 'button', name: 'Search' }, { css: "input[type=submit][value='Search']" }) },
    { kind: 'browser.assert', target: target('Claim heading', { role: 'heading', name: 'Claim {{vars.claimNumber}}' }, { css: 'h2' }), assert: 'visible' },
    { kind: 'browser.extract', target: target('Status cell', { xpath: STATUS_CELL_XPATH }, { css: 'tr:nth-child(11) > td:nth-child(2)' }), what: 'text', into: 'status' },
    { kind: 'flow.set', var: 'results', append: true, value: { claimNumber: '{{vars.claimNumber}}', status: '{{vars.status}}' } },
    // --- page the claims list
    { kind: 'browser.click', target: target('Main menu link', { role: 'link', name: 'Main menu' }, { css: "a[href='/menu']" }) },
    { kind: 'browser.click', target: target('Claims list link', { role: 'link', name: 'Claims list' }, { css: "a[href='/claims']" }) },
    { kind: 'browser.click', target: target('Next page link', { role: 'link', name: 'Next >' }, { css: "a[href='/claims?page=2']" }) },
    { kind: 'browser.extract', target: target('Page indicator', { text: 'Page 2 of' }, { css: 'td[align=center]' }), what: 'text', pattern: PAGE_PATTERN, into: 'page' },
    { kind: 'flow.set', var: 'pages', append: true, value: '{{vars.page}}' },
    { kind: 'browser.click', target: target('Main menu link', { role: 'link', name: 'Main menu' }, { css: "a[href='/menu']" }) },
  ];
}

/** The automation document (format 1). `rounds` defaults to every entry of ROUNDS. */
export function buildFlow(rounds: readonly Round[] = ROUNDS): Automation {
  const steps = [...signIn(), ...rounds.flatMap(round)] as Step[];
  return {
    format: 1,
    id: 'bench.overhead',
    name: 'Overhead benchmark flow',
    version: '1.0.0',
    description: `Signs in, then ${rounds.length} times: files a claim through the wizard, searches it, reads its status and pages the claims list. Generated by bench/overhead-flow.ts.`,
    inputs: [
      { name: 'baseUrl', type: 'string', required: true },
      { name: 'username', type: 'string', default: 'clerk' },
    ],
    secrets: ['portalPassword'],
    outputs: ['results', 'pages'],
    defaults: { timeoutMs: 15000 },
    steps,
  };
}
