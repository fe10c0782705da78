// The three-step "New claim" wizard. The draft lives in the session; each step
// posts and redirects (PRG); the final submit answers directly after the slow
// "mainframe" delay and consumes the draft's one-time token.
import { readForm, redirect, sendHtml } from './http.js';
import { authRoute } from './router.js';
import type { AuthCtx, Route } from './router.js';
import { newDraft } from './sessions.js';
import type { Draft } from './sessions.js';
import { isChannel, isClaimType, nextClaimNumber } from './state.js';
import type { Claim } from './state.js';
import { alreadyFiledPage, filedPage, noDraftPage, step1Page, step2Page, step3Page } from './wizardViews.js';

const STEP1 = '/claims/new/step1';
const STEP2 = '/claims/new/step2';
const STEP3 = '/claims/new/step3';

export const POLICY_PATTERN = /^POL-\d{5}$/;

function draftOf(ctx: AuthCtx): Draft {
  ctx.session.draft ??= newDraft();
  return ctx.session.draft;
}

function isValidDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function validateStep1(d: Draft): string[] {
  const errors: string[] = [];
  if (d.policy !== '' && !POLICY_PATTERN.test(d.policy)) errors.push('Policy number must look like POL-12345.');
  if (!d.policy || !d.claimant || !d.incidentDate || !d.claimType) errors.push('All fields are required.');
  else if (!isValidDate(d.incidentDate)) errors.push('Incident date must be a valid date (YYYY-MM-DD).');
  if (d.claimType && !isClaimType(d.claimType)) errors.push('Please choose a claim type from the list.');
  return errors;
}

async function postStep1(ctx: AuthCtx): Promise<void> {
  const { fields } = await readForm(ctx.req);
  const draft = draftOf(ctx);
  draft.policy = (fields.policy ?? '').trim().toUpperCase();
  draft.claimant = (fields.claimant ?? '').trim();
  draft.incidentDate = (fields.incidentDate ?? '').trim();
  draft.claimType = (fields.claimType ?? '').trim();
  const errors = validateStep1(draft);
  draft.step1Done = errors.length === 0;
  if (errors.length > 0) {
    sendHtml(ctx.res, 200, step1Page(ctx.ids, ctx.session.user, draft, errors));
    return;
  }
  redirect(ctx.res, STEP2);
}

async function postStep2(ctx: AuthCtx): Promise<void> {
  const { fields, files } = await readForm(ctx.req);
  const draft = ctx.session.draft;
  if (!draft?.step1Done) {
    redirect(ctx.res, STEP1);
    return;
  }
  draft.channel = (fields.channel ?? '').trim();
  draft.injuries = fields.injuries !== undefined;
  draft.policeReport = fields.policeReport !== undefined;
  draft.description = (fields.description ?? '').replace(/\r\n?/g, '\n').trim();
  const upload = files.find((f) => f.field === 'document' && f.filename !== '');
  if (upload) draft.attachment = { filename: upload.filename, bytes: upload.bytes, sha256: upload.sha256 };
  if (fields.action === 'back') {
    redirect(ctx.res, STEP1);
    return;
  }
  const errors = isChannel(draft.channel) ? [] : ['Please select how the claim was reported.'];
  draft.step2Done = errors.length === 0;
  if (errors.length > 0) {
    sendHtml(ctx.res, 200, step2Page(ctx.ids, ctx.session.user, draft, errors));
    return;
  }
  redirect(ctx.res, STEP3);
}

function claimFromDraft(ctx: AuthCtx, draft: Draft): Claim | undefined {
  if (!isClaimType(draft.claimType) || !isChannel(draft.channel)) return undefined;
  const claim: Claim = {
    number: nextClaimNumber(ctx.state),
    policyNumber: draft.policy,
    claimant: draft.claimant,
    incidentDate: draft.incidentDate,
    claimType: draft.claimType,
    channel: draft.channel,
    injuries: draft.injuries,
    policeReport: draft.policeReport,
    description: draft.description,
    status: 'Open',
    notes: [],
    createdBy: ctx.session.user,
    createdAt: new Date().toISOString(),
  };
  if (draft.attachment) claim.attachment = { ...draft.attachment };
  return claim;
}

async function submit(ctx: AuthCtx): Promise<void> {
  const { fields } = await readForm(ctx.req);
  const token = fields.token ?? '';
  const user = ctx.session.user;
  const already = ctx.session.submitted.get(token);
  if (already !== undefined) {
    sendHtml(ctx.res, 200, alreadyFiledPage(user, already));
    return;
  }
  const draft = ctx.session.draft;
  const claim = draft && draft.token === token && draft.step1Done && draft.step2Done ? claimFromDraft(ctx, draft) : undefined;
  if (!claim) {
    sendHtml(ctx.res, 409, noDraftPage(user));
    return;
  }
  // File first (synchronously) so a second post of the same form, even one
  // arriving while this one still waits for the "mainframe", finds the token used.
  ctx.state.claims.push(claim);
  ctx.session.submitted.set(token, claim.number);
  delete ctx.session.draft;
  await ctx.sleep(ctx.slowMs);
  sendHtml(ctx.res, 200, filedPage(user, claim.number));
}

export const wizardRoutes: Route[] = [
  authRoute('GET', /^\/claims\/new$/, (ctx) => {
    ctx.session.draft = newDraft();
    redirect(ctx.res, STEP1);
  }),
  authRoute('GET', /^\/claims\/new\/step1$/, (ctx) => {
    sendHtml(ctx.res, 200, step1Page(ctx.ids, ctx.session.user, draftOf(ctx), []));
  }),
  authRoute('POST', /^\/claims\/new\/step1$/, postStep1),
  authRoute('GET', /^\/claims\/new\/step2$/, (ctx) => {
    const draft = ctx.session.draft;
    if (!draft?.step1Done) redirect(ctx.res, STEP1);
    else sendHtml(ctx.res, 200, step2Page(ctx.ids, ctx.session.user, draft, []));
  }),
  authRoute('POST', /^\/claims\/new\/step2$/, postStep2),
  authRoute('GET', /^\/claims\/new\/step3$/, (ctx) => {
    const draft = ctx.session.draft;
    if (!draft?.step1Done) redirect(ctx.res, STEP1);
    else if (!draft.step2Done) redirect(ctx.res, STEP2);
    else sendHtml(ctx.res, 200, step3Page(ctx.ids, ctx.session.user, draft));
  }),
  authRoute('POST', /^\/claims\/new\/submit$/, submit),
];
