// Sign in, sign out and the main menu of the demo system.
import { DEMO_PASSWORD, DEMO_USER } from './credentials.js';
import { button, errorText, font, heading, infoText, layout, textRow } from './html.js';
import type { IdGen } from './html.js';
import { readForm, redirect, sendHtml } from './http.js';
import { authRoute, publicRoute } from './router.js';
import type { AuthCtx, Ctx, Route } from './router.js';

export const SESSION_COOKIE = 'SID';

function loginPage(ids: IdGen, username: string, messages: { error?: string; info?: string }): string {
  const form = `
<form name="frmLogin" method="post" action="/login">
<table border="0" cellpadding="4" cellspacing="0">
${textRow(ids, 'User name:', 'username', username, 20)}
${textRow(ids, 'Password:', 'password', '', 20, 'password')}
<tr><td></td><td>${button(ids, 'Sign in')}</td></tr>
</table>
</form>`;
  const body = `
<table border="0" cellpadding="0" cellspacing="0" width="100%"><tr>
<td valign="top" width="420">
${heading('Sign in')}
${messages.error ? errorText([messages.error]) : ''}${messages.info ? infoText(messages.info) : ''}
<table border="1" cellpadding="10" cellspacing="0" bordercolor="#6699CC" bgcolor="#F0F4FA"><tr><td>
${font('Please enter your network user name and password.')}<br><br>
${form}
</td></tr></table>
</td>
<td width="20">&nbsp;</td>
<td valign="top" width="300"><br><br>
<table border="1" cellpadding="6" cellspacing="0" bordercolor="#CC9900" bgcolor="#FFFFE0" width="100%"><tr><td>
${font('<b>Notice</b>', 2, '#993300')}<br>
${font('The claims mainframe (CLMP) is unavailable every Saturday from 22:00 to 02:00 for batch processing.<br><br>Forgotten your password? Call the Help Desk on ext. 4357.<br><br>Unauthorised access is prohibited and may be monitored.', 1)}
</td></tr></table>
</td></tr></table>`;
  return layout({ title: 'Sign in', body, onload: 'document.forms[0].username.focus();' });
}

function menuPage(ctx: AuthCtx): string {
  const open = ctx.state.claims.filter((c) => c.status === 'Open').length;
  const review = ctx.state.claims.filter((c) => c.status === 'Under review').length;
  const item = (href: string, text: string, hint: string) =>
    `<tr><td valign="top">${font('&raquo;')}</td><td>${font(`<a href="${href}"><b>${text}</b></a>`)}<br>${font(hint, 1, '#666666')}</td></tr>`;
  const body = `
${heading(`Welcome, ${ctx.session.user}`)}
<table border="0" cellpadding="0" cellspacing="0" width="100%"><tr>
<td valign="top">
<table border="0" cellpadding="4" cellspacing="2">
${item('/claims/new', 'New claim', 'Register a first notice of loss')}
${item('/claims/search', 'Search claims', 'Find a claim by claim number or policy number')}
${item('/claims', 'Claims list', 'Browse all claims')}
${item('/reports', 'Reports', 'Claims by status (may take a moment)')}
${item('/logout', 'Sign out', 'End your session')}
</table>
</td>
<td valign="top" width="260">
<table border="1" cellpadding="6" cellspacing="0" bordercolor="#CCCCCC" width="100%">
<tr><td bgcolor="#6699CC">${font('<b>Work queue</b>', 2, '#FFFFFF')}</td></tr>
<tr><td bgcolor="#F7F7F7">${font(`Open claims: <b>${open}</b><br>Under review: <b>${review}</b>`)}</td></tr>
</table>
<br>
<table border="1" cellpadding="6" cellspacing="0" bordercolor="#CCCCCC" width="100%">
<tr><td bgcolor="#6699CC">${font('<b>Accounts payable</b>', 2, '#FFFFFF')}</td></tr>
<tr><td bgcolor="#F7F7F7">${font('&raquo; <a href="/invoices/new">Enter invoice</a><br>&raquo; <a href="/invoices">Invoice list</a>')}</td></tr>
</table>
</td></tr></table>`;
  return layout({ title: 'Main menu', body, user: ctx.session.user });
}

function showLogin(ctx: Ctx): void {
  const info = ctx.url.searchParams.get('expired') === '1' ? 'Your session has expired. Please sign in again.' : undefined;
  sendHtml(ctx.res, 200, loginPage(ctx.ids, '', info ? { info } : {}));
}

async function doLogin(ctx: Ctx): Promise<void> {
  const { fields } = await readForm(ctx.req);
  const username = (fields.username ?? '').trim();
  const ok = username === DEMO_USER && fields.password === DEMO_PASSWORD;
  ctx.state.logins.push({ user: username, ok, at: new Date().toISOString() });
  if (!ok) {
    sendHtml(ctx.res, 200, loginPage(ctx.ids, username, { error: 'Invalid user name or password.' }));
    return;
  }
  const old = ctx.session;
  if (old) ctx.sessions.destroy(old.id);
  const session = ctx.sessions.create(username);
  redirect(ctx.res, '/menu', { 'Set-Cookie': `${SESSION_COOKIE}=${session.id}; HttpOnly; Path=/` });
}

function doLogout(ctx: Ctx): void {
  if (ctx.session) ctx.sessions.destroy(ctx.session.id);
  redirect(ctx.res, '/login', { 'Set-Cookie': `${SESSION_COOKIE}=; HttpOnly; Path=/; Max-Age=0` });
}

export const loginRoutes: Route[] = [
  publicRoute('GET', /^\/$/, (ctx) => redirect(ctx.res, '/login')),
  publicRoute('GET', /^\/login$/, showLogin),
  publicRoute('POST', /^\/login$/, doLogin),
  publicRoute('GET', /^\/logout$/, doLogout),
  authRoute('GET', /^\/menu$/, (ctx) => sendHtml(ctx.res, 200, menuPage(ctx))),
];
