// Pages of the three-step "New claim" wizard and its result pages.
import { button, errorText, escapeHtml, font, heading, labelCell, layout, textRow } from './html.js';
import type { IdGen } from './html.js';
import type { Draft } from './sessions.js';
import { CHANNEL_LABELS, CHANNELS, CLAIM_TYPE_LABELS, CLAIM_TYPES, isChannel, isClaimType } from './state.js';

const TITLE = 'New claim';

function progress(step: number): string {
  const names = ['Policy &amp; claimant', 'Circumstances', 'Review &amp; submit'];
  const cells = names.map((name, i) => {
    const current = i + 1 === step;
    const bg = current ? '#003366' : '#DDDDDD';
    const color = current ? '#FFFFFF' : '#666666';
    return `<td bgcolor="${bg}" width="160" align="center">${font(`${i + 1}. ${name}`, 1, color)}</td>`;
  });
  return `<table border="0" cellpadding="3" cellspacing="2"><tr>${cells.join('<td>&raquo;</td>')}</tr></table><br>`;
}

function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}

export function attachmentText(a: { filename: string; bytes: number } | undefined): string {
  return a ? `${escapeHtml(a.filename)} (${a.bytes.toLocaleString('en-US')} bytes)` : '(none)';
}

export function step1Page(ids: IdGen, user: string, draft: Draft, errors: readonly string[]): string {
  const selectId = ids.next();
  const options = [`<option value=""${draft.claimType === '' ? ' selected' : ''}>-- choose --</option>`]
    .concat(CLAIM_TYPES.map((t) => `<option value="${t}"${draft.claimType === t ? ' selected' : ''}>${CLAIM_TYPE_LABELS[t]}</option>`))
    .join('');
  const body = `
${heading('New claim — step 1 of 3')}
${progress(1)}
${errorText(errors)}
<form name="frmStep1" method="post" action="/claims/new/step1">
<table border="0" cellpadding="4" cellspacing="0" bgcolor="#F0F4FA">
${textRow(ids, 'Policy number:', 'policy', draft.policy, 14).replace('</td></tr>', ` ${font('(format POL-nnnnn)', 1, '#666666')}</td></tr>`)}
${textRow(ids, 'Claimant name:', 'claimant', draft.claimant, 30)}
${textRow(ids, 'Incident date:', 'incidentDate', draft.incidentDate, 12, 'date')}
<tr>${labelCell(selectId, 'Claim type:')}<td><select id="${selectId}" name="claimType">${options}</select></td></tr>
<tr><td></td><td><br>${button(ids, 'Next >')}</td></tr>
</table>
</form>`;
  return layout({ title: TITLE, body, user });
}

export function step2Page(ids: IdGen, user: string, draft: Draft, errors: readonly string[]): string {
  const radios = CHANNELS.map((c) => {
    const id = ids.next();
    const checked = draft.channel === c ? ' checked' : '';
    return `<input type="radio" id="${id}" name="channel" value="${c}"${checked}>${font(`<label for="${id}">${CHANNEL_LABELS[c]}</label>`)}&nbsp;&nbsp;`;
  }).join('');
  const check = (name: string, label: string, on: boolean) => {
    const id = ids.next();
    return `<input type="checkbox" id="${id}" name="${name}" value="yes"${on ? ' checked' : ''}>${font(`<label for="${id}">${label}</label>`)}`;
  };
  const descId = ids.next();
  const fileId = ids.next();
  const current = draft.attachment ? `<br>${font(`Currently attached: ${attachmentText(draft.attachment)}`, 1, '#666666')}` : '';
  const body = `
${heading('New claim — step 2 of 3')}
${progress(2)}
${errorText(errors)}
<form name="frmStep2" method="post" action="/claims/new/step2" enctype="multipart/form-data">
<table border="0" cellpadding="4" cellspacing="0" bgcolor="#F0F4FA">
<tr><td align="right" valign="top" nowrap>${font('Reported via:')}</td><td>${radios}</td></tr>
<tr><td></td><td>${check('injuries', 'Injuries involved', draft.injuries)}<br>${check('policeReport', 'Police report filed', draft.policeReport)}</td></tr>
<tr>${labelCell(descId, 'Description:')}<td><textarea id="${descId}" name="description" rows="5" cols="50" wrap="soft">${escapeHtml(draft.description)}</textarea></td></tr>
<tr>${labelCell(fileId, 'Supporting document:')}<td><input type="file" id="${fileId}" name="document" size="40">${current}<br>${font('Scanned forms, photos or letters. Maximum 5 MB.', 1, '#666666')}</td></tr>
<tr><td></td><td><br><button type="submit" id="${ids.next()}" name="action" value="back">&lt; Back</button>&nbsp;<button type="submit" id="${ids.next()}" name="action" value="next">Next &gt;</button></td></tr>
</table>
</form>`;
  return layout({ title: TITLE, body, user });
}

function reviewRow(label: string, valueHtml: string): string {
  return `<tr><td bgcolor="#E8EEF7" nowrap>${font(label)}</td><td>${font(valueHtml)}</td></tr>`;
}

export function step3Page(ids: IdGen, user: string, draft: Draft): string {
  const type = isClaimType(draft.claimType) ? CLAIM_TYPE_LABELS[draft.claimType] : draft.claimType;
  const channel = isChannel(draft.channel) ? CHANNEL_LABELS[draft.channel] : draft.channel;
  const description = draft.description ? escapeHtml(draft.description).replace(/\r?\n/g, '<br>') : '(none)';
  const body = `
${heading('New claim — step 3 of 3')}
${progress(3)}
${font('Please check the details below. Click <b>Submit claim</b> only once; filing can take a few seconds.')}<br><br>
<table border="1" cellpadding="5" cellspacing="0" bordercolor="#999999" width="560">
${reviewRow('Policy number:', escapeHtml(draft.policy))}
${reviewRow('Claimant name:', escapeHtml(draft.claimant))}
${reviewRow('Incident date:', escapeHtml(draft.incidentDate))}
${reviewRow('Claim type:', escapeHtml(type))}
${reviewRow('Reported via:', escapeHtml(channel))}
${reviewRow('Injuries involved:', yesNo(draft.injuries))}
${reviewRow('Police report filed:', yesNo(draft.policeReport))}
${reviewRow('Description:', description)}
${reviewRow('Supporting document:', attachmentText(draft.attachment))}
</table>
<br>
<table border="0" cellpadding="0" cellspacing="0"><tr>
<td><form name="frmBack" method="get" action="/claims/new/step2">${button(ids, '< Back')}</form></td>
<td>&nbsp;</td>
<td><form name="frmSubmit" method="post" action="/claims/new/submit"><input type="hidden" name="token" value="${escapeHtml(draft.token)}">${button(ids, 'Submit claim', `onclick="return confirm('Submit this claim to the mainframe?')"`)}</form></td>
</tr></table>`;
  return layout({ title: TITLE, body, user });
}

export function filedPage(user: string, number: string): string {
  const body = `
<h2><font face="Verdana, Arial, Helvetica, sans-serif" color="#006600">Claim filed.</font></h2>
${font(`Claim number: <span class="claim-no">${escapeHtml(number)}</span>`, 3)}<br><br>
${font('Quote this number in all correspondence with the claimant.')}<br><br>
${font(`<a href="/claims/${escapeHtml(number)}">View claim</a> &nbsp;|&nbsp; <a href="/menu">Back to menu</a>`)}`;
  return layout({ title: TITLE, body, user });
}

export function alreadyFiledPage(user: string, number: string): string {
  const body = `
${heading('Claim already submitted')}
${font(`This claim was already submitted as <span class="claim-no">${escapeHtml(number)}</span>. It was not filed again.`)}<br><br>
${font(`<a href="/claims/${escapeHtml(number)}">View claim</a> &nbsp;|&nbsp; <a href="/menu">Back to menu</a>`)}`;
  return layout({ title: TITLE, body, user });
}

export function noDraftPage(user: string): string {
  const body = `
${heading('No claim in progress')}
${errorText(['There is no claim in progress to submit. It may have expired.'])}
${font('<a href="/claims/new">Start a new claim</a> &nbsp;|&nbsp; <a href="/menu">Back to menu</a>')}`;
  return layout({ title: TITLE, body, user });
}
