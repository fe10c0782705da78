// Pages that show claims: results table, list, search, detail, printable popup.
import { button, errorText, escapeHtml, font, heading, infoText, labelCell, layout, textRow, FONT } from './html.js';
import type { IdGen } from './html.js';
import { CHANNEL_LABELS, CLAIM_TYPE_LABELS, STATUSES } from './state.js';
import type { Claim } from './state.js';
import { attachmentText } from './wizardViews.js';

export const PAGE_SIZE = 10;

function claimLink(c: Claim): string {
  return `<a href="/claims/${escapeHtml(c.number)}">${escapeHtml(c.number)}</a>`;
}

/** The results table: Claim number | Policy | Claimant | Type | Status | Filed. */
export function claimsTable(claims: readonly Claim[]): string {
  const head = ['Claim number', 'Policy', 'Claimant', 'Type', 'Status', 'Filed']
    .map((h) => `<th align="left" nowrap>${font(h, 2, '#FFFFFF')}</th>`)
    .join('');
  const rows = claims.map((c, i) => {
    const cells = [claimLink(c), escapeHtml(c.policyNumber), escapeHtml(c.claimant), CLAIM_TYPE_LABELS[c.claimType], escapeHtml(c.status), c.createdAt.slice(0, 10)];
    return `<tr bgcolor="${i % 2 === 0 ? '#FFFFFF' : '#EEF2F8'}">${cells.map((v) => `<td nowrap>${font(v)}</td>`).join('')}</tr>`;
  });
  return `<table border="1" cellpadding="4" cellspacing="0" bordercolor="#999999" width="100%">
<tr bgcolor="#003366">${head}</tr>
${rows.join('\n')}
</table>`;
}

export function listPage(user: string, claims: readonly Claim[], page: number, pages: number): string {
  const start = (page - 1) * PAGE_SIZE;
  const shown = claims.slice(start, start + PAGE_SIZE);
  const prev = page > 1 ? `<a href="/claims?page=${page - 1}">&lt; Prev</a>` : '<font color="#AAAAAA">&lt; Prev</font>';
  const next = page < pages ? `<a href="/claims?page=${page + 1}">Next &gt;</a>` : '<font color="#AAAAAA">Next &gt;</font>';
  const range = shown.length > 0 ? `Showing ${start + 1}-${start + shown.length} of ${claims.length} claims (oldest first).` : 'No claims.';
  const body = `
${heading('Claims list')}
${font(range, 1, '#666666')}<br><br>
${claimsTable(shown)}
<br>
<table border="0" cellpadding="2" cellspacing="0" width="100%"><tr>
<td align="left">${font(prev)}</td>
<td align="center">${font(`Page ${page} of ${pages}`)}</td>
<td align="right">${font(next)}</td>
</tr></table>`;
  return layout({ title: 'Claims list', body, user });
}

export function searchPage(ids: IdGen, user: string, q: string, policy: string, resultsHtml: string): string {
  const body = `
${heading('Search claims')}
<form name="frmSearch" method="get" action="/claims/search">
<table border="0" cellpadding="4" cellspacing="0" bgcolor="#F0F4FA">
${textRow(ids, 'Claim number:', 'q', q, 20)}
${textRow(ids, 'Policy number:', 'policy', policy, 14)}
<tr><td></td><td>${button(ids, 'Search')}</td></tr>
</table>
</form>
<br>
${resultsHtml}`;
  return layout({ title: 'Search claims', body, user, onload: 'document.forms[0].q.focus();' });
}

export function searchResults(claims: readonly Claim[]): string {
  if (claims.length === 0) return font('<b>No claims found.</b>', 2, '#CC0000');
  const count = claims.length === 1 ? '1 claim found.' : `${claims.length} claims found.`;
  return `${font(count)}<br><br>${claimsTable(claims)}`;
}

function row(label: string, valueHtml: string, i: number): string {
  return `<tr bgcolor="${i % 2 === 0 ? '#FFFFFF' : '#EEF2F8'}"><td>${label}</td><td>${valueHtml}</td></tr>`;
}

export function detailPage(ids: IdGen, user: string, c: Claim, flash: string | undefined): string {
  const n = escapeHtml(c.number);
  const fields: [string, string][] = [
    ['Claim number:', n],
    ['Policy number:', escapeHtml(c.policyNumber)],
    ['Claimant:', escapeHtml(c.claimant)],
    ['Incident date:', escapeHtml(c.incidentDate)],
    ['Claim type:', CLAIM_TYPE_LABELS[c.claimType]],
    ['Reported via:', CHANNEL_LABELS[c.channel]],
    ['Injuries involved:', c.injuries ? 'Yes' : 'No'],
    ['Police report filed:', c.policeReport ? 'Yes' : 'No'],
    ['Description:', c.description ? escapeHtml(c.description).replace(/\r?\n/g, '<br>') : '(none)'],
    ['Supporting document:', attachmentText(c.attachment)],
    ['Status:', escapeHtml(c.status)],
    ['Filed by:', escapeHtml(c.createdBy)],
    ['Filed on:', escapeHtml(c.createdAt.slice(0, 16).replace('T', ' '))],
  ];
  const selectId = ids.next();
  const options = STATUSES.map((s) => `<option value="${escapeHtml(s)}"${s === c.status ? ' selected' : ''}>${escapeHtml(s)}</option>`).join('');
  const print = `/claims/${n}/print`;
  const body = `
${heading(`Claim ${c.number}`)}
${flash ? infoText(flash) : ''}
<table border="0" cellpadding="0" cellspacing="0" width="100%"><tr>
<td valign="top">
<font face="${FONT}"><table border="1" cellpadding="4" cellspacing="0" bordercolor="#999999" width="440">
${fields.map(([label, value], i) => row(label, value, i)).join('\n')}
</table></font>
</td>
<td width="16">&nbsp;</td>
<td valign="top">
${font(`<a href="${print}" onclick="window.open('${print}','print','width=600,height=400'); return false;">Printable view</a>`)}<br><br>
<form name="frmStatus" method="post" action="/claims/${n}/status">
<table border="1" cellpadding="6" cellspacing="0" bordercolor="#CCCCCC" bgcolor="#F7F7F7"><tr><td>
${font('<b>Change status</b>')}<br><br>
<table border="0" cellpadding="2" cellspacing="0"><tr>${labelCell(selectId, 'New status:')}<td><select id="${selectId}" name="status">${options}</select></td></tr></table>
<br>${button(ids, 'Update status', `onclick="return confirm('Change the status of this claim?')"`)}
</td></tr></table>
</form>
</td></tr></table>
<br>
${font('<b>Notes</b> (from the legacy notes system)')}<br>
<iframe name="legacy" title="Legacy notes" src="/legacy/notes?claim=${n}" width="600" height="280" frameborder="1" scrolling="auto"></iframe>
<br><br>
${font('<a href="/claims">Back to claims list</a>')}`;
  return layout({ title: `Claim ${c.number}`, body, user });
}

export function claimNotFoundPage(user: string, number: string): string {
  const body = `
${heading('Claim not found')}
${errorText([`There is no claim with the number ${number}.`])}
${font('<a href="/claims/search">Search again</a> &nbsp;|&nbsp; <a href="/menu">Back to menu</a>')}`;
  return layout({ title: 'Claim not found', body, user });
}

export function printPage(ids: IdGen, c: Claim): string {
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>Claim ${escapeHtml(c.number)} - Printable view</title></head>
<body bgcolor="#FFFFFF">
<font face="Times New Roman, serif" size="4"><b>ACME MUTUAL INSURANCE CO.</b></font><br>
${font('Claim summary &mdash; for internal use only', 1)}
<hr size="1" noshade>
<font face="Courier New, monospace"><table border="0" cellpadding="3" cellspacing="0">
<tr><td>Claim number:</td><td><b>${escapeHtml(c.number)}</b></td></tr>
<tr><td>Claimant:</td><td>${escapeHtml(c.claimant)}</td></tr>
<tr><td>Policy number:</td><td>${escapeHtml(c.policyNumber)}</td></tr>
<tr><td>Status:</td><td>${escapeHtml(c.status)}</td></tr>
</table></font>
<hr size="1" noshade>
<input type="button" id="${ids.next()}" value="Close window" onclick="window.close()">
</body></html>
`;
}
