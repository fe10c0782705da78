// "Claim tools": one page of the modern widgets a 2004 system grew later, for recorder tests:
// a web component with an open shadow root (priority picker), a CSS hover menu, a drag-and-
// drop ordering list, a window.prompt, and an iframe served from the other loopback name
// (localhost vs 127.0.0.1), so it is cross-origin. Saving lands as notes on the claim.
import { escapeHtml, font, heading, layout } from './html.js';
import { readForm, redirect, sendHtml } from './http.js';
import { authRoute, publicRoute } from './router.js';
import type { AuthCtx, Ctx, Route } from './router.js';
import { takeFlash } from './sessions.js';
import { findClaim } from './state.js';
import type { Claim } from './state.js';

const DOCUMENTS = ['Police report', 'Photos of the damage', 'Repair estimate'];
const PRIORITIES = ['Low', 'Normal', 'High'];

const SCRIPT = `
customElements.define('priority-picker', class extends HTMLElement {
  connectedCallback() {
    var root = this.attachShadow({ mode: 'open' });
    var field = document.forms.frmTools.priority;
    root.innerHTML = '<style>button[aria-pressed=true]{background:#003366;color:#fff}</style>' +
      ${JSON.stringify(PRIORITIES)}.map(function (p) { return '<button type="button" aria-pressed="' + (p === field.value) + '">' + p + '</button>'; }).join(' ');
    root.addEventListener('click', function (e) {
      var b = e.target.closest('button'); if (!b) return;
      field.value = b.textContent;
      root.querySelectorAll('button').forEach(function (x) { x.setAttribute('aria-pressed', String(x === b)); });
    });
  }
});
function flagForAudit() { document.forms.frmTools.flagged.value = 'yes'; document.getElementById('flag-state').textContent = 'Flagged for audit'; }
function setTag() {
  var tag = prompt('Tag for this claim:', document.forms.frmTools.tag.value);
  if (tag !== null) { document.forms.frmTools.tag.value = tag; document.getElementById('tag-state').textContent = 'Tag: ' + tag; }
}
var dragged = null;
function syncOrder() {
  document.forms.frmTools.documents.value = Array.prototype.map.call(document.querySelectorAll('#doc-order li'), function (li) { return li.textContent; }).join('|');
}
document.addEventListener('dragstart', function (e) { if (e.target.closest && e.target.closest('#doc-order li')) { dragged = e.target.closest('li'); e.dataTransfer.setData('text/plain', dragged.textContent); } });
document.addEventListener('dragover', function (e) { if (dragged && e.target.closest && e.target.closest('#doc-order')) e.preventDefault(); });
document.addEventListener('drop', function (e) {
  var li = e.target.closest && e.target.closest('#doc-order li');
  if (!dragged || !li || li === dragged) return;
  e.preventDefault();
  li.parentNode.insertBefore(dragged, li);
  dragged = null;
  syncOrder();
});
`;

const STYLE = `
.menu { display: inline-block; position: relative; border: 1px solid #999; background: #EEF2F8; padding: 2px 8px; }
.menu .menu-items { display: none; position: absolute; left: 100%; top: 0; background: #fff; border: 1px solid #999; padding: 4px; white-space: nowrap; }
.menu:hover .menu-items { display: block; }
.menu-items a { display: block; padding: 2px 4px; }
#doc-order li { cursor: move; border: 1px dashed #999; margin: 2px; padding: 2px 6px; width: 220px; background: #FFFFEE; }
`;

function otherLoopback(ctx: Ctx): string {
  const host = ctx.req.headers.host ?? '127.0.0.1';
  const port = host.slice(host.lastIndexOf(':') + 1);
  return host.startsWith('localhost') ? `http://127.0.0.1:${port}` : `http://localhost:${port}`;
}

function toolsPage(ctx: AuthCtx, claim: Claim, flash: string | undefined): string {
  const n = escapeHtml(claim.number);
  const body = `
<style>${STYLE}</style>
${heading(`Claim tools — ${claim.number}`)}
${flash ? `${font(`<b>${escapeHtml(flash)}</b>`, 2, '#006600')}<br><br>` : ''}
<form name="frmTools" method="post" action="/claims/${n}/tools">
<input type="hidden" name="priority" value="Normal">
<input type="hidden" name="flagged" value="no">
<input type="hidden" name="tag" value="general">
<input type="hidden" name="documents" value="${escapeHtml(DOCUMENTS.join('|'))}">
<table border="0" cellpadding="6" cellspacing="0">
<tr><td valign="top">${font('Priority:')}</td><td><priority-picker></priority-picker></td></tr>
<tr><td valign="top">${font('Actions:')}</td><td><div class="menu"><span class="menu-title">${font('Actions &#9662;')}</span>
<div class="menu-items"><a href="#" onclick="flagForAudit(); return false;">Flag for audit</a><a href="/claims/${n}">Open claim</a></div></div>
<span id="flag-state"></span></td></tr>
<tr><td valign="top">${font('Tag:')}</td><td><input type="button" value="Set tag..." onclick="setTag()"> <span id="tag-state">Tag: general</span></td></tr>
<tr><td valign="top">${font('Documents to request<br>(drag to order):')}</td><td><ul id="doc-order">${DOCUMENTS.map((d) => `<li draggable="true">${escapeHtml(d)}</li>`).join('')}</ul></td></tr>
</table>
<input type="submit" value="Save tools">
</form>
<br>${font('<b>Fraud check</b> (fraud desk system)')}<br>
<iframe title="Fraud check" src="${otherLoopback(ctx)}/tools/fraud-check?claim=${n}" width="600" height="120" frameborder="1"></iframe>
<script>${SCRIPT}</script>`;
  return layout({ title: 'Claim tools', body, user: ctx.session.user });
}

function claimOr404(ctx: Ctx, number: string): Claim | undefined {
  const claim = findClaim(ctx.state, number);
  if (!claim) sendHtml(ctx.res, 404, layout({ title: 'Claim not found', body: heading('Claim not found') }));
  return claim;
}

function showTools(ctx: AuthCtx): void {
  const claim = claimOr404(ctx, ctx.params[0] ?? '');
  if (claim) sendHtml(ctx.res, 200, toolsPage(ctx, claim, takeFlash(ctx.session, `tools:${claim.number}`)));
}

async function saveTools(ctx: AuthCtx): Promise<void> {
  const { fields } = await readForm(ctx.req);
  const claim = claimOr404(ctx, ctx.params[0] ?? '');
  if (!claim) return;
  const priority = PRIORITIES.includes(fields.priority ?? '') ? fields.priority! : 'Normal';
  const documents = (fields.documents ?? '').split('|').filter((d) => DOCUMENTS.includes(d));
  claim.notes.push(`Tools: priority=${priority}; flagged=${fields.flagged === 'yes' ? 'yes' : 'no'}; tag=${(fields.tag ?? '').slice(0, 40)}; documents=${documents.join(', ')}`);
  ctx.session.flash.set(`tools:${claim.number}`, 'Tools saved.');
  redirect(ctx.res, `/claims/${encodeURIComponent(claim.number)}/tools`);
}

// The fraud desk is "another system": served to the other loopback name, so the browser sends
// no session cookie; it stands alone (no sign-in), as such embedded panels often did.
function fraudPage(claim: Claim, saved: boolean): string {
  const n = escapeHtml(claim.number);
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>Fraud check ${n}</title></head>
<body bgcolor="#FFF8E0">
<form method="post" action="/tools/fraud-check">
<input type="hidden" name="claim" value="${n}">
${font(`Fraud check for ${n}`)}<br>
<label><input type="checkbox" name="suspicious" value="yes"> Suspicious activity</label>
<input type="submit" value="Record check">
${saved ? font(' <b>Check recorded.</b>', 2, '#006600') : ''}
</form>
</body></html>
`;
}

function showFraud(ctx: Ctx): void {
  const claim = claimOr404(ctx, ctx.url.searchParams.get('claim') ?? '');
  if (claim) sendHtml(ctx.res, 200, fraudPage(claim, ctx.url.searchParams.has('saved')));
}

async function saveFraud(ctx: Ctx): Promise<void> {
  const { fields } = await readForm(ctx.req);
  const claim = claimOr404(ctx, fields.claim ?? '');
  if (!claim) return;
  claim.notes.push(`Fraud check: ${fields.suspicious === 'yes' ? 'suspicious' : 'clear'}`);
  redirect(ctx.res, `/tools/fraud-check?claim=${encodeURIComponent(claim.number)}&saved=1`);
}

export const toolsRoutes: Route[] = [
  authRoute('GET', /^\/claims\/([^/]+)\/tools$/, showTools),
  authRoute('POST', /^\/claims\/([^/]+)\/tools$/, saveTools),
  publicRoute('GET', /^\/tools\/fraud-check$/, showFraud),
  publicRoute('POST', /^\/tools\/fraud-check$/, saveFraud),
];
