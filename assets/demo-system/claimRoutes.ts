// Claims list (10 a page, oldest first), search, detail, status change and the
// printable popup.
import { readForm, redirect, sendHtml } from './http.js';
import { plainErrorPage } from './html.js';
import { authRoute } from './router.js';
import type { AuthCtx, Route } from './router.js';
import { takeFlash } from './sessions.js';
import { findClaim, isStatus } from './state.js';
import type { Claim } from './state.js';
import { PAGE_SIZE, claimNotFoundPage, detailPage, listPage, printPage, searchPage, searchResults } from './claimViews.js';

function showList(ctx: AuthCtx): void {
  const claims = ctx.state.claims;
  const pages = Math.max(1, Math.ceil(claims.length / PAGE_SIZE));
  const asked = Number.parseInt(ctx.url.searchParams.get('page') ?? '1', 10);
  const page = Number.isFinite(asked) ? Math.min(Math.max(asked, 1), pages) : 1;
  sendHtml(ctx.res, 200, listPage(ctx.session.user, claims, page, pages));
}

function showSearch(ctx: AuthCtx): void {
  const params = ctx.url.searchParams;
  const q = (params.get('q') ?? '').trim().toUpperCase();
  const policy = (params.get('policy') ?? '').trim().toUpperCase();
  let results = '';
  if (params.has('q') || params.has('policy')) {
    if (!q && !policy) {
      results = '<font face="Verdana, Arial, Helvetica, sans-serif" size="2" color="#CC0000"><b>Please enter a claim number or a policy number.</b></font>';
    } else {
      const exact = q ? findClaim(ctx.state, q) : undefined;
      if (exact && (!policy || exact.policyNumber === policy)) {
        redirect(ctx.res, `/claims/${encodeURIComponent(exact.number)}`);
        return;
      }
      const found = ctx.state.claims.filter((c) => (!q || c.number.includes(q)) && (!policy || c.policyNumber === policy));
      results = searchResults(found);
    }
  }
  sendHtml(ctx.res, 200, searchPage(ctx.ids, ctx.session.user, params.get('q') ?? '', params.get('policy') ?? '', results));
}

/** The claim named by the route, or undefined after answering 404. */
function claimOr404(ctx: AuthCtx): Claim | undefined {
  const number = ctx.params[0] ?? '';
  const claim = findClaim(ctx.state, number);
  if (!claim) sendHtml(ctx.res, 404, claimNotFoundPage(ctx.session.user, number));
  return claim;
}

function showDetail(ctx: AuthCtx): void {
  const claim = claimOr404(ctx);
  if (!claim) return;
  const flash = takeFlash(ctx.session, `detail:${claim.number}`);
  sendHtml(ctx.res, 200, detailPage(ctx.ids, ctx.session.user, claim, flash));
}

async function changeStatus(ctx: AuthCtx): Promise<void> {
  const { fields } = await readForm(ctx.req);
  const claim = claimOr404(ctx);
  if (!claim) return;
  const status = fields.status ?? '';
  if (!isStatus(status)) {
    sendHtml(ctx.res, 400, plainErrorPage(400, 'Bad Request', 'Unknown claim status.'));
    return;
  }
  claim.status = status;
  ctx.session.flash.set(`detail:${claim.number}`, `Status changed to ${status}.`);
  redirect(ctx.res, `/claims/${encodeURIComponent(claim.number)}`);
}

function showPrint(ctx: AuthCtx): void {
  const claim = claimOr404(ctx);
  if (claim) sendHtml(ctx.res, 200, printPage(ctx.ids, claim));
}

export const claimRoutes: Route[] = [
  authRoute('GET', /^\/claims$/, showList),
  authRoute('GET', /^\/claims\/search$/, showSearch),
  authRoute('GET', /^\/claims\/([^/]+)$/, showDetail),
  authRoute('POST', /^\/claims\/([^/]+)\/status$/, changeStatus),
  authRoute('GET', /^\/claims\/([^/]+)\/print$/, showPrint),
];
