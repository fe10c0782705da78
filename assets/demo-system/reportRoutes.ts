// The slow "Reports" page: the server waits slowMs before answering.
import { escapeHtml, font, heading, layout } from './html.js';
import { sendHtml } from './http.js';
import { authRoute } from './router.js';
import type { AuthCtx, Route } from './router.js';
import { STATUSES } from './state.js';

function reportPage(ctx: AuthCtx): string {
  const claims = ctx.state.claims;
  const total = claims.length;
  const rows = STATUSES.map((status, i) => {
    const count = claims.filter((c) => c.status === status).length;
    const pct = total ? ((count * 100) / total).toFixed(1) : '0.0';
    return `<tr bgcolor="${i % 2 === 0 ? '#FFFFFF' : '#EEF2F8'}"><td>${font(escapeHtml(status))}</td><td align="right">${font(String(count))}</td><td align="right">${font(`${pct}%`)}</td></tr>`;
  });
  const body = `
${heading('Claims by status')}
${font('Source: CLMP claims master file, all branches.', 1, '#666666')}<br><br>
<table border="1" cellpadding="5" cellspacing="0" bordercolor="#999999" width="360">
<tr bgcolor="#003366"><th align="left">${font('Status', 2, '#FFFFFF')}</th><th align="right">${font('Claims', 2, '#FFFFFF')}</th><th align="right">${font('Share', 2, '#FFFFFF')}</th></tr>
${rows.join('\n')}
<tr bgcolor="#DDDDDD"><td>${font('<b>Total</b>')}</td><td align="right">${font(`<b>${total}</b>`)}</td><td align="right">${font('<b>100.0%</b>')}</td></tr>
</table>`;
  return layout({ title: 'Reports', body, user: ctx.session.user });
}

export const reportRoutes: Route[] = [
  authRoute('GET', /^\/reports$/, async (ctx) => {
    await ctx.sleep(ctx.slowMs);
    sendHtml(ctx.res, 200, reportPage(ctx));
  }),
];
