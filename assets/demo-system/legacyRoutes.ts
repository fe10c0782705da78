// The "legacy notes" panel, served into an <iframe name="legacy"> on the claim
// detail page: a grey terminal-style page with its own form. Saving a note
// redirects back to the frame page, which then runs alert('Note saved') once.
import { escapeHtml, plainErrorPage } from './html.js';
import type { IdGen } from './html.js';
import { readForm, redirect, sendHtml } from './http.js';
import { authRoute } from './router.js';
import type { AuthCtx, Route } from './router.js';
import { takeFlash } from './sessions.js';
import { findClaim } from './state.js';
import type { Claim } from './state.js';

const MONO = 'Courier New, Courier, monospace';

function notesPage(ids: IdGen, claim: Claim, opts: { saved: boolean; error?: string; draft?: string }): string {
  const n = escapeHtml(claim.number);
  const rows = claim.notes.length
    ? claim.notes.map((note, i) => `<tr><td valign="top"><font face="${MONO}" size="2">${String(i + 1).padStart(3, '0')}</font></td><td><font face="${MONO}" size="2">${escapeHtml(note).replace(/\r?\n/g, '<br>')}</font></td></tr>`).join('\n')
    : `<tr><td colspan="2"><font face="${MONO}" size="2">*** NO NOTES ON FILE ***</font></td></tr>`;
  const noteId = ids.next();
  const error = opts.error ? `<font face="${MONO}" size="2" color="#CC0000"><b>${escapeHtml(opts.error)}</b></font><br>` : '';
  const alert = opts.saved ? `<script language="JavaScript" type="text/javascript">alert('Note saved');</script>\n` : '';
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>CLMP notes ${n}</title></head>
<body bgcolor="#C0C0C0" topmargin="4" leftmargin="4">
<font face="${MONO}" size="2"><b>CLMP NOTES SUBSYSTEM &nbsp; CLAIM ${n}</b></font>
<table border="1" cellpadding="2" cellspacing="0" bgcolor="#FFFFFF" width="100%">
${rows}
</table>
<form name="frmNote" method="post" action="/legacy/notes">
<input type="hidden" name="claim" value="${n}">
${error}<table border="0" cellpadding="2" cellspacing="0"><tr>
<td valign="top"><font face="${MONO}" size="2"><label for="${noteId}">Note:</label></font></td>
<td><textarea id="${noteId}" name="note" rows="3" cols="52">${escapeHtml(opts.draft ?? '')}</textarea></td>
<td valign="bottom"><input type="submit" id="${ids.next()}" value="Save note"></td>
</tr></table>
</form>
${alert}</body></html>
`;
}

function frameNotFound(ctx: AuthCtx): void {
  sendHtml(ctx.res, 404, plainErrorPage(404, 'Claim not found', 'The notes subsystem has no record of this claim.'));
}

function showNotes(ctx: AuthCtx): void {
  const claim = findClaim(ctx.state, ctx.url.searchParams.get('claim') ?? '');
  if (!claim) return frameNotFound(ctx);
  const saved = takeFlash(ctx.session, `notes:${claim.number}`) !== undefined;
  sendHtml(ctx.res, 200, notesPage(ctx.ids, claim, { saved }));
}

async function saveNote(ctx: AuthCtx): Promise<void> {
  const { fields } = await readForm(ctx.req);
  const claim = findClaim(ctx.state, fields.claim ?? '');
  if (!claim) return frameNotFound(ctx);
  const note = (fields.note ?? '').replace(/\r\n?/g, '\n').trim();
  if (!note) {
    sendHtml(ctx.res, 200, notesPage(ctx.ids, claim, { saved: false, error: 'Please type a note before saving.' }));
    return;
  }
  claim.notes.push(note);
  ctx.session.flash.set(`notes:${claim.number}`, 'Note saved');
  redirect(ctx.res, `/legacy/notes?claim=${encodeURIComponent(claim.number)}`);
}

export const legacyRoutes: Route[] = [
  authRoute('GET', /^\/legacy\/notes$/, showNotes),
  authRoute('POST', /^\/legacy\/notes$/, saveNote),
];
