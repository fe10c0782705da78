// HTML helpers for the demo system: escaping, per-render random element ids and
// the deliberately old-fashioned (circa 2004) page layout.
import { randomInt } from 'node:crypto';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape a value for HTML text and for quoted attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/**
 * Hands out fresh random element ids ("f8392742") for one render, so ids differ
 * on every page load and are useless as locators. Unique within one page.
 */
export class IdGen {
  private readonly used = new Set<string>();

  next(): string {
    for (;;) {
      const id = `f${randomInt(1_000_000, 10_000_000)}`;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}

export const FONT = 'Verdana, Arial, Helvetica, sans-serif';
export const BRAND = 'Acme Mutual — Claims Intake v3.2';

/** `<font>`-wrapped text, the way every page of 2004 did it. */
export function font(html: string, size = 2, color?: string): string {
  const c = color ? ` color="${color}"` : '';
  return `<font face="${FONT}" size="${size}"${c}>${html}</font>`;
}

export function heading(text: string): string {
  return `<h2><font face="${FONT}" color="#003366">${escapeHtml(text)}</font></h2>`;
}

export function errorText(messages: readonly string[]): string {
  if (messages.length === 0) return '';
  const lines = messages.map((m) => `<b>${escapeHtml(m)}</b>`).join('<br>');
  return `<table border="0" cellpadding="4" cellspacing="0" bgcolor="#FFEEEE"><tr><td>${font(lines, 2, '#CC0000')}</td></tr></table><br>`;
}

export function infoText(message: string): string {
  return `<table border="0" cellpadding="4" cellspacing="0" bgcolor="#EEFFEE"><tr><td>${font(`<b>${escapeHtml(message)}</b>`, 2, '#006600')}</td></tr></table><br>`;
}

/** A `<td>` label cell: `<label for=…>` pointing at a random id. */
export function labelCell(id: string, text: string): string {
  return `<td align="right" valign="top" nowrap>${font(`<label for="${id}">${escapeHtml(text)}</label>`)}</td>`;
}

export function textRow(ids: IdGen, label: string, name: string, value: string, size = 30, type = 'text'): string {
  const id = ids.next();
  return `<tr>${labelCell(id, label)}<td><input type="${type}" id="${id}" name="${name}" value="${escapeHtml(value)}" size="${size}"></td></tr>`;
}

export function button(ids: IdGen, text: string, extra = ''): string {
  return `<input type="submit" id="${ids.next()}" value="${escapeHtml(text)}"${extra ? ' ' + extra : ''}>`;
}

export interface LayoutOptions {
  title: string;
  body: string;
  /** Signed-in user: shows the "Signed in as" bar with the "Main menu" link. */
  user?: string;
  onload?: string;
}

const DOCTYPE = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">';

export function layout(o: LayoutOptions): string {
  const onload = o.onload ? ` onload="${escapeHtml(o.onload)}"` : '';
  const right = o.user
    ? font(`Signed in as <b>${escapeHtml(o.user)}</b> &nbsp;|&nbsp; <a href="/menu"><font color="#FFFFFF">Main menu</font></a>&nbsp;&nbsp;`, 1, '#FFFFFF')
    : font('Branch network &middot; internal use only&nbsp;&nbsp;', 1, '#FFFFFF');
  return `${DOCTYPE}
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta http-equiv="Pragma" content="no-cache">
<title>${escapeHtml(o.title)} - Acme Mutual Claims Intake</title>
</head>
<body bgcolor="#FFFFFF" text="#000000" link="#0000CC" vlink="#551A8B" alink="#FF0000" topmargin="0" leftmargin="0" marginwidth="0" marginheight="0"${onload}>
<table width="100%" border="0" cellpadding="0" cellspacing="0">
<tr>
<td bgcolor="#003366" height="52">&nbsp;&nbsp;<font face="Georgia, Times New Roman, serif" size="5" color="#FFFFFF"><b><i>Acme Mutual</i></b></font>${font('&nbsp;&mdash; Claims Intake v3.2', 2, '#FFCC00')}</td>
<td bgcolor="#003366" align="right" valign="bottom">${right}<br>&nbsp;</td>
</tr>
<tr><td colspan="2" bgcolor="#FFCC00" height="4"></td></tr>
<tr><td colspan="2" bgcolor="#6699CC" height="18">&nbsp;&nbsp;${font('PRODUCTION &middot; CLMP region 04 &middot; Northeast branches', 1, '#FFFFFF')}</td></tr>
</table>
<table width="780" border="0" cellpadding="12" cellspacing="0">
<tr><td valign="top">
${o.body}
</td></tr>
</table>
<table width="780" border="0" cellpadding="0" cellspacing="0"><tr><td>&nbsp;&nbsp;</td><td>
<hr size="1" noshade color="#999999">
${font('&copy; 2004 Acme Mutual Insurance Co. All rights reserved. &nbsp;|&nbsp; Best viewed with Internet Explorer 6.0 at 1024x768 &nbsp;|&nbsp; Server: CLMAPP02', 1, '#666666')}
</td></tr></table>
</body>
</html>
`;
}

/** A plain web-server style error page (404, 405, 413, 500). */
export function plainErrorPage(status: number, title: string, message: string): string {
  return `${DOCTYPE}
<html><head><title>${status} ${escapeHtml(title)}</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
<hr>
<address>Acme Mutual Claims Intake/3.2 Server at CLMAPP02 Port 80</address>
</body></html>
`;
}
