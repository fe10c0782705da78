// Audit console: a hash-routed page over the audit server's JSON API. No framework, no inline
// script; every value from the API goes into the DOM as text, never as HTML.
/* global document, window, location, sessionStorage, fetch, Node, URLSearchParams, FormData, URL, setTimeout */
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- plain browser JS without types: the API's JSON is untyped here */
import { stepName, withStepNames } from './step-name.js';

const TOKEN_KEY = 'audit-console-token';
const $ = (selector) => document.querySelector(selector);

/** h('tag.class#id', { attr }, ...children): an element; strings become text nodes. */
function h(spec, attrs, ...children) {
  const [selector, id] = spec.split('#');
  const [tag, ...classes] = selector.split('.');
  const el = document.createElement(tag || 'div');
  if (id) el.id = id;
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// ---------- API ----------

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(path, token = sessionStorage.getItem(TOKEN_KEY), post) {
  let response;
  try {
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    response = await fetch(path, post ? { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(post) } : { headers });
  } catch {
    throw new ApiError(0, { message: 'The audit server cannot be reached.' });
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && token === sessionStorage.getItem(TOKEN_KEY)) {
      signOut('Your token is no longer accepted. Sign in again.');
    }
    throw new ApiError(response.status, body);
  }
  return body;
}

/**
 * An image the API serves behind the bearer token, as a blob: URL (an <img src> cannot send the
 * token; the CSP allows img-src blob:). The caller revokes it when the page goes.
 */
async function apiImage(path, token = sessionStorage.getItem(TOKEN_KEY)) {
  let response;
  try {
    response = await fetch(path, { headers: { authorization: `Bearer ${token}`, accept: 'image/png' } });
  } catch {
    throw new ApiError(0, { message: 'The audit server cannot be reached.' });
  }
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  return { url: URL.createObjectURL(await response.blob()), sha256: response.headers.get('x-screenshot-sha256') };
}

// ---------- formatting ----------

const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '—');
function fmtDuration(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * A file path that wraps only after a "/", never inside a name ("after-save.pn / g"), with the
 * whole path as its tooltip: each "dir/" is a box of its own, so a hyphen or a dot in a name is
 * not a place to break; a name wider than the line still breaks inside rather than overflow.
 */
function filePath(file) {
  const parts = String(file ?? '').split(/(?<=[/\\])/);
  return h('code.path', { title: file }, parts.flatMap((part, i) => [h('span', {}, part), i < parts.length - 1 ? h('wbr') : null]));
}

function fmtBytes(n) {
  if (typeof n !== 'number') return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
const STATUS_TONE = { passed: 'ok', succeeded: 'ok', finished: 'ok', failed: 'bad', timed_out: 'bad', cancelled: 'warn', interrupted: 'warn', running: 'info', retried: 'warn', paused: 'warn', open: 'warn', approved: 'ok', corrected: 'ok', rejected: 'bad' };
const badge = (status) => h(`span.badge.${STATUS_TONE[status] || 'neutral'}`, { 'data-status': status }, String(status).replace('_', ' '));
const value = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

function kvTable(obj, empty) {
  const entries = Object.entries(obj || {});
  if (!entries.length) return h('p.muted', {}, empty);
  return h('table.kv', {}, h('tbody', {}, entries.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, h('code', {}, value(v)))))));
}

function alertBox(error) {
  const message = error instanceof ApiError ? `${error.message}${error.status ? ` (HTTP ${error.status})` : ''}` : String(error);
  return h('p.alert.error', { role: 'alert' }, message);
}

// ---------- sign-in ----------

function showSignIn(message) {
  $('#topbar').hidden = true;
  $('#view').hidden = true;
  $('#signin').hidden = false;
  const box = $('#signin-error');
  box.hidden = !message;
  box.textContent = message || '';
  $('#token').focus();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  showSignIn(message);
}

async function signIn(event) {
  event.preventDefault();
  const token = $('#token').value.trim();
  const box = $('#signin-error');
  const button = $('#signin-submit');
  box.hidden = true;
  button.disabled = true;
  try {
    await api('/v1/devices', token);
    sessionStorage.setItem(TOKEN_KEY, token);
    $('#token').value = '';
    if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = '#/runs';
    route();
  } catch (error) {
    box.textContent =
      error.status === 401
        ? 'That token was not recognised. Check that you pasted the whole admin or auditor token.'
        : error.status === 403
          ? 'This token may not read the audit trail: device tokens cannot sign in. Use an admin or auditor token.'
          : `Sign-in failed: ${error.message}`;
    box.hidden = false;
  } finally {
    button.disabled = false;
  }
}

// ---------- router ----------

let renderCount = 0;

function route() {
  if (!sessionStorage.getItem(TOKEN_KEY)) return showSignIn();
  $('#signin').hidden = true;
  $('#topbar').hidden = false;
  const view = $('#view');
  view.hidden = false;
  const [path, search = ''] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(search);
  const parts = (path || '/runs').split('/').filter(Boolean);
  const section = parts[0] || 'runs';
  for (const link of document.querySelectorAll('[data-nav]')) link.classList.toggle('active', link.dataset.nav === section);
  const ticket = ++renderCount;
  const mount = (...nodes) => {
    if (ticket === renderCount) view.replaceChildren(...nodes.filter(Boolean));
  };
  mount(h('p.muted.loading', {}, 'Loading…'));
  const page =
    section === 'devices'
      ? devicesPage(mount)
      : section === 'queues'
        ? parts[3]
          ? queueItemPage(decodeURIComponent(parts[1]), Number(parts[3]), mount)
          : parts[1]
            ? queuePage(decodeURIComponent(parts[1]), mount)
            : queuesPage(mount)
        : parts[1]
          ? runPage(decodeURIComponent(parts[1]), mount)
          : runsPage(params, mount);
  page.catch((error) => mount(alertBox(error)));
}

// ---------- runs list ----------

const STATUSES = ['passed', 'failed', 'running', 'cancelled', 'timed_out', 'interrupted', 'finished'];
const FILTERS = ['q', 'device', 'user', 'automation', 'status', 'from', 'to'];

/**
 * Downloads the audit records of the runs the filters find (GET /v1/export with the token in its
 * header, which a plain link could not send), as CSV or JSON lines. Returns what was saved.
 */
async function exportRecords(format, params) {
  const query = new URLSearchParams({ format });
  for (const name of FILTERS) if (params.get(name)) query.set(name, params.get(name));
  let response;
  try {
    response = await fetch(`/v1/export?${query}`, { headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` } });
  } catch {
    throw new ApiError(0, { message: 'The audit server cannot be reached.' });
  }
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  const blob = await response.blob();
  const name = `audit-records-${new Date().toISOString().replace(/[:.]/g, '-')}.${format}`;
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return `${name} (${fmtBytes(blob.size)})`;
}

function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A run's automation as people know it, "Invoice entry v1.2.0", with its id under it; a run
 * stored without a name (its run.started record never reached the server) shows the id instead.
 */
function automationCell(automation) {
  if (!automation) return h('span.muted', {}, '—');
  const version = h('span.muted', {}, ` v${automation.version}`);
  if (!automation.name) return h('span.automation', {}, h('strong', {}, automation.id), version);
  return h('span.automation', {}, h('strong', {}, automation.name), version, h('div.muted.mono.small.automation-id', {}, automation.id));
}

async function runsPage(params, mount) {
  const devices = (await api('/v1/devices')).devices;
  const field = (name, label, control) => h('label.field', {}, h('span', {}, label), control);
  const form = h(
    'form.filters#filters',
    {
      onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams();
        const data = new FormData(form);
        for (const name of FILTERS) {
          const entry = data.get(name);
          const raw = typeof entry === 'string' ? entry.trim() : '';
          if (!raw) continue;
          next.set(name, name === 'from' || name === 'to' ? new Date(raw).toISOString() : raw);
        }
        if (params.get('limit')) next.set('limit', params.get('limit'));
        location.hash = `#/runs${next.toString() ? `?${next}` : ''}`;
      },
    },
    h('label.field.wide', {}, h('span', {}, 'Search'), h('input', { name: 'q', type: 'search', placeholder: 'a claim number, an error, a run, a user…', value: params.get('q') || '' })),
    field('device', 'Device', h('select', { name: 'device' }, h('option', { value: '' }, 'All devices'), devices.map((d) => h('option', { value: d.id, selected: params.get('device') === d.id }, d.name)))),
    field('user', 'User', h('input', { name: 'user', placeholder: 'any', value: params.get('user') || '' })),
    field('automation', 'Automation', h('input', { name: 'automation', placeholder: 'name, id or part of it', value: params.get('automation') || '' })),
    field('status', 'Status', h('select', { name: 'status' }, h('option', { value: '' }, 'Any status'), STATUSES.map((s) => h('option', { value: s, selected: params.get('status') === s }, s.replace('_', ' '))))),
    field('from', 'From', h('input', { name: 'from', type: 'datetime-local', value: toLocalInput(params.get('from')) })),
    field('to', 'To', h('input', { name: 'to', type: 'datetime-local', value: toLocalInput(params.get('to')) })),
    h('div.filter-actions', {}, h('button.primary', { type: 'submit' }, 'Apply'), h('a.button.ghost', { href: '#/runs' }, 'Reset')),
  );
  const exported = h('div.small.muted#export-result', { role: 'status' });
  const exportButton = (format, label) =>
    h(`button.secondary`, {
      type: 'button',
      'data-export': format,
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        exported.replaceChildren('Exporting…');
        try {
          exported.replaceChildren(`Saved ${await exportRecords(format, params)}.`);
        } catch (error) {
          exported.replaceChildren(alertBox(error));
        } finally {
          button.disabled = false;
        }
      },
    }, label);
  const exportBar = h(
    'div.export-bar',
    { role: 'group', 'aria-label': 'Export' },
    h('span.small', {}, 'Export the audit records of these runs (signed, with their hashes):'),
    exportButton('csv', 'CSV'),
    exportButton('ndjson', 'JSON lines'),
    exported,
  );

  const deviceNames = new Map(devices.map((d) => [d.id, d.name]));
  const tbody = h('tbody');
  const count = h('span.muted#runs-count');
  const more = h('button.secondary#more', { type: 'button', hidden: true }, 'Load more');
  const COLUMNS = ['Status', 'Automation', 'Run', 'Device', 'User', 'Started', 'Duration', 'Records'];
  // At a narrow width the rows stack their cells, each after its column's name (data-label, app.css);
  // the explicit roles keep it a table for screen readers once CSS no longer lays it out as one.
  const table = h('table.grid.runs#runs', { role: 'table' }, h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, COLUMNS.map((t) => h('th', { scope: 'col', role: 'columnheader' }, t)))), tbody);
  tbody.setAttribute('role', 'rowgroup');
  const cell = (column, attrs, ...content) => h(`td${attrs.className ? `.${attrs.className}` : ''}`, { 'data-label': column, role: 'cell' }, ...content);
  const empty = h('p.empty', { hidden: true }, 'No runs match these filters.');
  let shown = 0;
  let cursor = null;

  async function load() {
    const query = new URLSearchParams();
    for (const name of [...FILTERS, 'limit']) if (params.get(name)) query.set(name, params.get(name));
    if (cursor) query.set('cursor', cursor);
    more.disabled = true;
    const page = await api(`/v1/runs?${query}`);
    for (const run of page.runs) {
      const href = `#/runs/${encodeURIComponent(run.runId)}`;
      const duration = run.endedAt ? new Date(run.endedAt) - new Date(run.startedAt) : null;
      tbody.append(
        h(
          'tr.clickable',
          { 'data-run': run.runId, role: 'row', onclick: () => (location.hash = href) },
          cell('Status', {}, badge(run.status)),
          cell('Automation', {}, automationCell(run.automation)),
          cell('Run', {}, h('a.mono.run-id', { href }, run.runId)),
          cell('Device', {}, deviceNames.get(run.deviceId) || run.deviceId, h('div.muted.mono.small.device-id', {}, run.deviceId)),
          cell('User', {}, run.user),
          cell('Started', {}, fmtTime(run.startedAt)),
          cell('Duration', {}, duration === null ? h('span.muted', {}, 'running') : fmtDuration(duration)),
          cell('Records', { className: 'num' }, run.records),
        ),
      );
    }
    shown += page.runs.length;
    cursor = page.nextCursor;
    more.hidden = !cursor;
    more.disabled = false;
    empty.hidden = shown > 0;
    table.hidden = shown === 0;
    count.textContent = `${shown} run${shown === 1 ? '' : 's'}${cursor ? ' shown, more available' : ''}`;
  }
  more.addEventListener('click', () => load().catch((error) => more.after(alertBox(error))));
  await load();
  mount(
    h('div.page-head', {}, h('h1', {}, 'Runs'), count),
    h('div.card', {}, form, exportBar),
    h('div.card.flush', {}, table, empty),
    h('div.more-row', {}, more),
  );
}

// ---------- run detail ----------

/** Folds a run's records into run facts and an ordered timeline of steps, logs and artifacts. */
function buildTimeline(records) {
  const run = { inputs: {}, outputs: {}, vars: {}, status: 'running', artifacts: [] };
  const items = [];
  const open = new Map();
  // What each step path was called when its step.started was last seen (label, top-level number),
  // so a log, picture or pause at that path is named as the studio names the step, not by its path.
  const seen = new Map();
  const named = (item) => {
    if (item.path !== undefined) item.step = seen.get(item.path);
    return item;
  };
  for (const record of records) {
    const p = record.payload || {};
    const at = record.ts;
    if (record.type === 'step.started' && typeof p.path === 'string') seen.set(p.path, { path: p.path, label: p.label, topIndex: p.topIndex });
    switch (record.type) {
      case 'run.started':
        Object.assign(run, { started: at, inputs: p.inputs || {}, trigger: p.trigger, headless: p.headless, totalSteps: p.totalSteps, automationName: p.automation && typeof p.automation.name === 'string' ? p.automation.name : undefined, package: p.package });
        break;
      case 'step.started': {
        const item = named({ kind: 'step', at, path: p.path, label: p.label, stepKind: p.kind, attempt: p.attempt, status: 'running' });
        items.push(item);
        open.set(p.path, item);
        break;
      }
      case 'step.succeeded':
      case 'step.failed': {
        let item = open.get(p.path);
        if (!item) {
          item = named({ kind: 'step', at, path: p.path, stepKind: p.kind, attempt: p.attempt });
          items.push(item);
        }
        open.delete(p.path);
        Object.assign(item, {
          end: at,
          durationMs: p.durationMs,
          attempt: p.attempt ?? item.attempt,
          stepKind: p.kind ?? item.stepKind,
          status: record.type === 'step.succeeded' ? 'succeeded' : p.willRetry ? 'retried' : 'failed',
          locator: p.locator,
          error: p.error,
          willRetry: p.willRetry,
        });
        break;
      }
      case 'log':
        items.push(named({ kind: 'log', at, level: p.level || 'info', message: p.message, path: p.path }));
        break;
      case 'artifact':
        items.push(named({ kind: 'artifact', at, file: p.file, artifactKind: p.artifactKind, bytes: p.bytes, path: p.path, failureScreenshot: p.failureScreenshot }));
        run.artifacts.push(named({ ...p, seq: record.seq, deviceId: record.deviceId }));
        break;
      case 'run.finished':
        Object.assign(run, { finished: at, status: p.status || 'finished', durationMs: p.durationMs, outputs: p.outputs || {}, vars: p.vars || {}, error: p.error });
        break;
      case 'model.called': {
        const call = p.call || {};
        run.modelCalls = (run.modelCalls || 0) + 1;
        run.cost = (run.cost || 0) + (typeof p.cost === 'number' ? p.cost : 0);
        items.push({ kind: 'model', at, path: p.path, call, masked: p.masked });
        break;
      }
      case 'extraction':
        items.push({ kind: 'extraction', at, path: p.path, provider: p.provider, fields: p.fields || [], problems: p.problems || [], threshold: p.threshold, routedToReview: p.routedToReview });
        break;
      case 'review.created':
        run.reviews = (run.reviews || 0) + 1;
        items.push({ kind: 'review', at, path: p.path, reviewId: p.reviewId, title: p.title, assignee: p.assignee, values: p.values || {}, status: 'open' });
        break;
      case 'review.resolved': {
        const review = items.find((i) => i.kind === 'review' && i.reviewId === p.reviewId);
        const resolution = { resolvedAt: at, decision: p.decision, reviewer: p.reviewer, comment: p.comment, resolvedValues: p.values || {} };
        if (review) Object.assign(review, resolution, { status: p.decision });
        else items.push({ kind: 'review', at, reviewId: p.reviewId, title: p.reviewId, values: {}, status: p.decision, ...resolution });
        break;
      }
      case 'run.paused':
        items.push(named({ kind: 'pause', at, path: p.path, reviewId: p.reviewId, text: 'paused for review' }));
        break;
      case 'run.resumed':
        items.push(named({ kind: 'pause', at, path: p.path, reviewId: p.reviewId, text: 'resumed' }));
        break;
      case 'run.revised':
        // A builder handed the paused run an edited automation: the rest ran from another document.
        run.revisions = (run.revisions || 0) + 1;
        run.totalSteps = p.totalSteps;
        items.push(named({ kind: 'revision', at, path: p.path, saved: p.saved, savedVersion: p.savedVersion, sha256: (p.automation && p.automation.sha256) || '', previousSha256: p.previousSha256 || '', totalSteps: p.totalSteps }));
        break;
      default:
        items.push({ kind: 'event', at, type: record.type, payload: p });
    }
  }
  // A path named before its step.started arrived (a revision names the step it resumes at): the last label known.
  for (const item of [...items, ...run.artifacts]) if (item.path !== undefined && !item.step) item.step = seen.get(item.path);
  run.stepAt = (path) => seen.get(path);
  return { run, items };
}

function timelineItem(item, t0) {
  const offset = t0 && item.at ? `+${fmtDuration(Math.max(0, new Date(item.at) - t0)) || '0 ms'}` : '';
  const when = h('div.tl-when', { title: fmtTime(item.at) }, offset);
  if (item.kind === 'step') {
    const healed = item.locator && item.locator.healed;
    const locator = item.locator
      ? h(
          `div.locator${item.locator.fallback ? '.healed' : ''}`,
          {},
          h('span.muted', {}, healed ? 'healed ' : 'matched '),
          healed ? [h('code.old', {}, healed.from), h('span.muted', {}, ' → '), h('code', {}, item.locator.description)] : h('code', {}, item.locator.description),
          healed
            ? h('span.chip.warn', { title: healed.runnerUp !== undefined ? `next best element scored ${healed.runnerUp.toFixed(2)}` : 'no other element came close' }, `healed by fingerprint · score ${Number(healed.score).toFixed(2)}`)
            : item.locator.fallback
              ? h('span.chip.warn', { title: `candidate #${item.locator.index + 1} matched, not the first` }, `healed · fallback #${item.locator.index + 1}`)
              : h('span.chip.neutral', {}, 'primary locator'),
        )
      : null;
    const error = item.error
      ? h('div.error-box', {}, h('strong', {}, item.error.name || 'Error'), ': ', withStepNames(item.error.message), item.willRetry ? h('span.muted', {}, ' — will retry') : null)
      : null;
    return h(
      `li.tl.step.${STATUS_TONE[item.status] || 'neutral'}`,
      { 'data-path': item.path },
      when,
      h('div.tl-dot'),
      h(
        'div.tl-body',
        {},
        h(
          'div.tl-head',
          {},
          h('span.tl-title', {}, item.label || stepName({ path: item.path })),
          item.stepKind ? h('span.chip.kind', {}, item.stepKind) : null,
          item.attempt > 1 ? h('span.chip.neutral', {}, `attempt ${item.attempt}`) : null,
          h('span.spacer'),
          item.durationMs !== undefined ? h('span.duration', {}, fmtDuration(item.durationMs)) : null,
          badge(item.status),
        ),
        item.label ? h('div.muted.small.tl-where', {}, stepName({ path: item.path, topIndex: item.step && item.step.topIndex })) : null,
        locator,
        error,
      ),
    );
  }
  if (item.kind === 'log') {
    return h(`li.tl.log.level-${item.level}`, {}, when, h('div.tl-dot'), h('div.tl-body', {}, h('span.chip.level', {}, item.level), h('span.log-message', {}, withStepNames(String(item.message))), item.path ? h('span.muted.small.tl-where', {}, ` at ${stepName(item.step || { path: item.path })}`) : null));
  }
  if (item.kind === 'artifact') {
    return h(
      'li.tl.artifact',
      {},
      when,
      h('div.tl-dot'),
      h('div.tl-body', {}, h('span.chip.neutral', {}, item.failureScreenshot ? 'failure screenshot' : item.artifactKind || 'file'), filePath(item.file), h('span.muted', {}, ` ${fmtBytes(item.bytes)}`)),
    );
  }
  if (item.kind === 'model') {
    const c = item.call;
    const usage = c.usage ? `${c.usage.inputTokens} in / ${c.usage.outputTokens} out tokens` : 'no token usage reported';
    const masked = item.masked && Object.keys(item.masked).length ? Object.entries(item.masked).map(([kind, n]) => `${n} ${kind}`).join(', ') : '';
    return h(
      'li.tl.model',
      {},
      when,
      h('div.tl-dot'),
      h(
        'div.tl-body',
        {},
        h('div.tl-head', {}, h('span.tl-title', {}, `model call · ${c.provider} / ${c.model}`), c.prompt ? h('span.chip.neutral', {}, `prompt ${c.prompt.id}@${c.prompt.version}`) : null, h('span.spacer'), h('span.duration', {}, fmtDuration(c.latencyMs))),
        h('div.muted.small', {}, `${usage}`, c.costUsd !== undefined ? ` · $${Number(c.costUsd).toFixed(4)}` : '', c.attempts > 1 ? ` · ${c.attempts} attempts` : '', masked ? ` · masked before sending: ${masked}` : ''),
        h('div.muted.mono.small', { title: 'SHA-256 of exactly what was sent' }, `request sha256 ${String(c.requestSha256 || '').slice(0, 16)}…`),
      ),
    );
  }
  if (item.kind === 'extraction') {
    // The bar's width through CSSOM: the CSP forbids style attributes.
    const confidenceBar = (confidence) => {
      const bar = h('span.confidence', {}, `${Math.round(confidence * 100)}%`);
      bar.style.setProperty('--c', `${Math.round(confidence * 100)}%`);
      return bar;
    };
    const rows = item.fields.map((f) =>
      h(
        `tr${f.problems && f.problems.length ? '.problem' : f.confidence < item.threshold ? '.low' : ''}`,
        {},
        h('td.mono', {}, f.name),
        h('td', {}, confidenceBar(f.confidence)),
        h('td.small', {}, (f.problems || []).join('; ') || (f.confidence < item.threshold ? 'below threshold' : 'ok')),
      ),
    );
    return h(
      'li.tl.extraction',
      {},
      when,
      h('div.tl-dot'),
      h(
        'div.tl-body',
        {},
        h('div.tl-head', {}, h('span.tl-title', {}, `extraction · ${item.provider}`), h('span.chip.neutral', {}, `threshold ${Math.round(item.threshold * 100)}%`), item.routedToReview ? h('span.chip.warn', {}, 'sent to review') : h('span.chip.neutral', {}, 'auto-accepted')),
        h('table.fields', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Field'), h('th', {}, 'Confidence'), h('th', {}, 'Validation'))), h('tbody', {}, rows)),
        item.problems.length ? h('div.warn-text.small', {}, item.problems.join('; ')) : null,
      ),
    );
  }
  if (item.kind === 'review') {
    const changed = item.resolvedValues ? Object.keys(item.resolvedValues).filter((k) => JSON.stringify(item.resolvedValues[k]) !== JSON.stringify(item.values[k])) : [];
    return h(
      `li.tl.review.${item.status === 'open' ? 'warn' : item.status === 'rejected' ? 'bad' : 'ok'}`,
      { 'data-review': item.reviewId },
      when,
      h('div.tl-dot'),
      h(
        'div.tl-body',
        {},
        h('div.tl-head', {}, h('span.tl-title', {}, `review · ${item.title}`), item.assignee ? h('span.chip.neutral', {}, `for ${item.assignee}`) : null, h('span.spacer'), badge(item.status)),
        item.reviewer
          ? h('div.small', {}, `${item.decision} by `, h('strong', {}, item.reviewer), ` at ${fmtTime(item.resolvedAt)}`, item.comment ? ` — “${item.comment}”` : '')
          : h('div.muted.small', {}, 'waiting for a person'),
        changed.length ? h('div.small', {}, 'corrected: ', changed.map((k) => h('code', {}, `${k}: ${JSON.stringify(item.values[k])} → ${JSON.stringify(item.resolvedValues[k])} `))) : null,
      ),
    );
  }
  if (item.kind === 'revision') {
    const source = item.saved ? `version ${item.savedVersion ?? '?'} saved in the studio` : 'an unsaved revision (never saved to a file)';
    return h(
      'li.tl.revision.warn',
      { 'data-path': item.path },
      when,
      h('div.tl-dot'),
      h(
        'div.tl-body',
        {},
        h('div.tl-head', {}, h('span.tl-title', {}, `revised while paused · from ${stepName(item.step || { path: item.path })} on`), h('span.chip.warn', {}, item.saved ? 'saved revision' : 'unsaved revision')),
        h('div.small', {}, `The rest of the run followed ${source}, ${item.totalSteps} steps in all, not the automation it started with.`),
        h('div.muted.mono.small', { title: 'SHA-256 of the document the run followed from here' }, `sha256 ${item.sha256}`),
        h('div.muted.mono.small', { title: 'SHA-256 of the document the run followed until here' }, `before: sha256 ${item.previousSha256}`),
      ),
    );
  }
  if (item.kind === 'pause') {
    return h('li.tl.event', {}, when, h('div.tl-dot'), h('div.tl-body', {}, h('span.chip.neutral', {}, item.text), item.path ? h('span.muted.small.tl-where', {}, ` at ${stepName(item.step || { path: item.path })}`) : null));
  }
  return h('li.tl.event', {}, when, h('div.tl-dot'), h('div.tl-body', {}, h('code', {}, item.type), h('span.muted.small', {}, ` ${JSON.stringify(item.payload)}`)));
}

/** Blob URLs of the page shown last: revoked when another page is shown. */
let pageBlobs = [];

/** The enlarged screenshot: one native modal dialog (Escape closes it, focus returns to the thumbnail). */
function screenshotDialog() {
  let dialog = document.getElementById('shot-dialog');
  if (dialog) return dialog;
  const close = h('button.secondary.small#shot-close', { type: 'button' }, 'Close');
  dialog = h('dialog.shot-dialog#shot-dialog', { 'aria-labelledby': 'shot-dialog-title' }, h('div.shot-dialog-head', {}, h('h2#shot-dialog-title', {}, 'Failure screenshot'), h('span.spacer'), close), h('img#shot-large', { alt: '' }), h('p.muted.small#shot-caption'));
  close.addEventListener('click', () => dialog.close());
  // A click on the backdrop (outside the box) closes it too.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  document.body.append(dialog);
  return dialog;
}

/** A short plain sentence, with the particulars behind a "Details" disclosure (closed until asked for). */
const detailsBox = (...details) => h('details.more', {}, h('summary', {}, 'Details'), h('div.more-body', {}, ...details));
const withDetails = (sentence, ...details) => [sentence, detailsBox(...details)];

/**
 * One failure screenshot of the run: the picture (fetched with the auditor's token, click or
 * Enter to enlarge), or why there is none — kept on the robot by its policy, not received yet
 * (still queued on the robot), received and later removed from the server (its receipt says
 * when it came), or changed on the server since it was received (then it is not shown).
 */
function failureShot(artifact, stored, t0, removed) {
  const step = artifact.path !== undefined ? stepName(artifact.step || { path: artifact.path }) : 'the run';
  const head = h('div.shot-head', {}, h('strong', {}, `When ${step} failed`), artifact.ts && t0 ? h('span.muted.small', {}, ` ${fmtTime(artifact.ts)}`) : null);
  if (artifact.failureScreenshot === 'kept') {
    return h('div.shot.kept', { 'data-seq': artifact.seq }, head, h('p.small', {}, 'Kept on the robot by its machine policy (failureScreenshots.upload is off): only someone at that machine can open it.'), filePath(artifact.file));
  }
  if (!stored && removed) {
    return h(
      'div.shot.removed',
      { 'data-seq': artifact.seq },
      head,
      h('p.small.warn-text', {}, ...withDetails(`Removed from the server: it was received ${fmtTime(removed.receivedAt)}. `, h('p.small', {}, 'The server’s receipt shows the robot sent it (SHA-256 ', h('code', {}, `${String(removed.sha256).slice(0, 16)}…`), `, ${fmtBytes(removed.bytes)}); the picture was deleted from the server afterwards. The robot may still hold it at:`), filePath(artifact.file))),
    );
  }
  if (!stored) {
    return h('div.shot.missing', { 'data-seq': artifact.seq }, head, h('p.small', {}, ...withDetails('Not received yet. ', h('p.small', {}, 'The robot sends it after the run’s records, at its next audit sync; until then it waits in the robot’s queue at:'), filePath(artifact.file))));
  }
  if (!stored.intact) {
    return h(
      'div.shot.altered',
      { 'data-seq': artifact.seq },
      head,
      h('p.alert.error', { role: 'alert' }, ...withDetails('Changed on the server, so it is not shown. ', h('p.small', {}, 'The stored picture no longer matches the SHA-256 sealed in this run’s record: it was changed after it was received.'))),
    );
  }
  const alt = `Screen of the robot when ${step} failed`;
  const thumb = h('img.shot-thumb', { alt, width: 320 });
  const open = h('button.shot-open', { type: 'button', 'aria-label': `Enlarge the screenshot taken when ${step} failed`, 'aria-haspopup': 'dialog' }, thumb);
  const note = h('p.muted.small.shot-note', {}, 'loading…');
  let shown;
  apiImage(screenshotPath(artifact.deviceId, artifact.seq))
    .then((image) => {
      pageBlobs.push(image.url);
      shown = image;
      thumb.src = image.url;
      note.replaceChildren(h('span.ok-text', {}, '✓ matches the SHA-256 sealed in the run’s record '), h('code', { title: image.sha256 }, `${String(image.sha256).slice(0, 16)}…`), ` · ${fmtBytes(stored.bytes)}`);
    })
    .catch((error) => {
      open.disabled = true;
      note.replaceChildren(alertBox(error));
    });
  open.addEventListener('click', () => {
    if (!shown) return;
    const dialog = screenshotDialog();
    const large = dialog.querySelector('#shot-large');
    large.src = shown.url;
    large.alt = alt;
    dialog.querySelector('#shot-caption').textContent = `${artifact.file} · SHA-256 ${shown.sha256}`;
    dialog.showModal();
    dialog.querySelector('#shot-close').focus();
  });
  return h('div.shot', { 'data-seq': artifact.seq }, head, open, note);
}

const screenshotPath = (deviceId, seq) => `/v1/devices/${encodeURIComponent(deviceId)}/records/${seq}/screenshot`;

async function runPage(runId, mount) {
  for (const url of pageBlobs.splice(0)) URL.revokeObjectURL(url);
  const [{ records }, { devices: known }, { screenshots: stored, removed = [] }] = await Promise.all([
    api(`/v1/runs/${encodeURIComponent(runId)}/records`),
    api('/v1/devices'),
    api(`/v1/runs/${encodeURIComponent(runId)}/screenshots`).catch(() => ({ screenshots: [], removed: [] })),
  ]);
  const deviceNames = new Map(known.map((d) => [d.id, d.name]));
  const { run, items } = buildTimeline(records);
  const first = records[0];
  const t0 = run.started ? new Date(run.started) : first ? new Date(first.ts) : null;
  const steps = items.filter((i) => i.kind === 'step');
  const healed = steps.filter((i) => i.locator && i.locator.fallback).length;
  const failed = steps.filter((i) => i.status === 'failed').length;
  const fact = (label, ...content) => h('div.fact', {}, h('span.label', {}, label), h('span.val', {}, ...content));
  const devices = [...new Set(records.map((r) => r.deviceId))];
  const shots = run.artifacts.filter((a) => a.failureScreenshot === 'upload' || a.failureScreenshot === 'kept');

  mount(
    h('a.back', { href: '#/runs' }, '← All runs'),
    h(
      'div.page-head',
      {},
      h('h1', {}, first && first.automation ? run.automationName || first.automation.id : 'Run', first && first.automation ? h('span.muted.version', {}, ` v${first.automation.version}`) : null),
      badge(run.status),
    ),
    h(
      'div.card.facts',
      {},
      fact('Run', h('span.mono', {}, runId)),
      run.automationName && first && first.automation ? fact('Automation id', h('span.mono', {}, first.automation.id)) : null,
      fact('Device', devices.map((id) => h('span', { title: id }, deviceNames.get(id) || id)), h('span.muted.mono.small', {}, ` ${devices.join(', ')}`)),
      fact('User', first ? first.user : '—'),
      fact('Started', fmtTime(run.started || (first && first.ts))),
      fact('Duration', run.durationMs !== undefined ? fmtDuration(run.durationMs) : 'running'),
      fact('Steps', `${steps.length}`, failed ? h('span.bad-text', {}, ` · ${failed} failed`) : null, healed ? h('span.warn-text', {}, ` · ${healed} healed`) : null),
      run.modelCalls ? fact('Model calls', `${run.modelCalls}`, run.cost ? ` · $${run.cost.toFixed(4)}` : '') : null,
      run.reviews ? fact('Reviews', `${run.reviews}`) : null,
      fact('Trigger', run.trigger || 'manual'),
      run.package
        ? fact(
            'Package',
            h('span.mono', { title: `sha256 ${run.package.sha256}` }, `${String(run.package.sha256).slice(0, 10)}…`),
            run.package.signer
              ? h('span', { title: `key ${run.package.signer.keyId}` }, ` signed: ${run.package.signer.trustedAs || run.package.signer.name || 'unlisted key'}`)
              : h('span.warn-text', {}, ' unsigned'),
          )
        : null,
      fact('Records', `${records.length} (seq ${first ? first.seq : '?'}–${records.length ? records[records.length - 1].seq : '?'})`),
    ),
    run.error ? h('div.alert.error.run-error', {}, h('strong', {}, `${run.error.name || 'Error'}: `), withStepNames(run.error.message, run.stepAt)) : null,
    shots.length
      ? h(
          'section.card#failure-screenshots',
          { 'aria-labelledby': 'failure-screenshots-title' },
          h('h2#failure-screenshots-title', {}, shots.length === 1 ? 'Failure screenshot' : 'Failure screenshots'),
          h('div.shots', {}, shots.map((a) => failureShot(a, stored.find((s) => s.deviceId === a.deviceId && s.seq === a.seq), t0, removed.find((s) => s.deviceId === a.deviceId && s.seq === a.seq)))),
        )
      : null,
    h(
      'div.columns',
      {},
      h('div.card.timeline-card', {}, h('h2', {}, 'Timeline'), items.length ? h('ol.timeline#timeline', {}, items.map((item) => timelineItem(item, t0))) : h('p.muted', {}, 'No steps recorded.')),
      h(
        'div.side',
        {},
        h('div.card', {}, h('h2', {}, 'Inputs'), kvTable(run.inputs, 'No inputs.')),
        h('div.card', {}, h('h2', {}, 'Outputs'), kvTable(run.outputs, run.finished ? 'No outputs.' : 'The run has not finished.')),
        h(
          'div.card#artifacts',
          {},
          h('h2', {}, 'Artifacts'),
          run.artifacts.length
            ? h('ul.files', {}, run.artifacts.map((a) => h('li', {}, h('span.chip.neutral', {}, a.artifactKind || 'file'), filePath(a.file), h('span.muted', {}, ` ${fmtBytes(a.bytes)}`))))
            : h('p.muted', {}, 'No artifacts.'),
        ),
      ),
    ),
  );
}

// ---------- devices ----------

async function devicesPage(mount) {
  const { devices } = await api('/v1/devices');
  const revokedNote = (device) =>
    h(
      'span.revoked',
      { 'data-revoked': device.id, title: `revoked ${fmtTime(device.revokedAt)}${device.revokedBy ? ` by ${device.revokedBy}` : ''}${device.revokedReason ? `: ${device.revokedReason}` : ''}` },
      h('span.badge.bad', {}, 'revoked'),
      h('span.muted.small', {}, ` ${fmtTime(device.revokedAt)}${device.revokedReason ? ` · ${device.revokedReason}` : ''}`),
    );
  const revokeControls = (device, cell) => {
    // Two steps, inline: Revoke… shows a reason field and a confirming button (no browser dialog).
    const start = h('button.danger.small', { type: 'button', 'data-revoke': device.id }, 'Revoke…');
    start.addEventListener('click', () => {
      const reason = h('input.reason', { name: 'reason', placeholder: 'reason (optional)', maxlength: 500 });
      const confirm = h('button.danger.small', { type: 'button', 'data-confirm-revoke': device.id }, 'Revoke device');
      const cancel = h('button.ghost.small', { type: 'button' }, 'Cancel');
      const message = h('span.muted.small', {}, 'Its token and key will be refused from now on; its records stay.');
      cancel.addEventListener('click', () => cell.replaceChildren(start));
      confirm.addEventListener('click', async () => {
        confirm.disabled = true;
        try {
          const body = reason.value.trim() ? { reason: reason.value.trim() } : {};
          const done = await api(`/v1/devices/${encodeURIComponent(device.id)}/revoke`, undefined, body);
          cell.replaceChildren(revokedNote({ ...device, revokedAt: done.revokedAt, revokedBy: done.revokedBy, revokedReason: done.reason }));
        } catch (error) {
          confirm.disabled = false;
          cell.replaceChildren(h('div.revoke', {}, reason, confirm, cancel), error.status === 403 ? h('p.alert.error', { role: 'alert' }, 'Only an admin token may revoke a device.') : alertBox(error));
        }
      });
      cell.replaceChildren(h('div.revoke', {}, reason, confirm, cancel, message));
      reason.focus();
    });
    return start;
  };
  const row = (device) => {
    const result = h('span.verify-result', { 'data-device': device.id }, h('span.muted', {}, 'not checked'));
    const button = h('button.secondary.small', { type: 'button', 'data-verify': device.id }, 'Verify');
    button.addEventListener('click', async () => {
      button.disabled = true;
      result.replaceChildren(h('span.muted', {}, 'verifying…'));
      try {
        const verdict = await api(`/v1/devices/${encodeURIComponent(device.id)}/verify`);
        const shots = screenshotsVerdict(verdict.screenshots);
        result.replaceChildren(
          verdict.ok
            ? h(
                'span.verdict.ok',
                {},
                h('span.badge.ok', {}, 'ok'),
                ` chain intact · ${verdict.checked} records checked`,
                verdict.signedBatches !== undefined ? ` · ${verdict.signedBatches} device signatures re-checked` : '',
                verdict.incidents && verdict.incidents.length ? h('span.warn-text', { 'data-incidents': verdict.incidents.length }, ` · incident: ${verdict.incidents[0].reason}`) : '',
                shots ? [' · ', shots.sentence, shots.details.length ? detailsBox(...shots.details) : ''] : '',
              )
            : brokenVerdict(verdict, shots),
        );
      } catch (error) {
        result.replaceChildren(alertBox(error));
      } finally {
        button.disabled = false;
      }
    });
    const access = h('td.access');
    access.append(device.revokedAt ? revokedNote(device) : revokeControls(device, access));
    return h(
      'tr',
      { 'data-device': device.id },
      h('td', {}, h('strong', {}, device.name)),
      h('td.mono', {}, device.id),
      h('td', {}, device.lastSeenAt ? fmtTime(device.lastSeenAt) : h('span.muted', {}, 'never')),
      h('td.num', {}, device.ackSeq),
      h('td', {}, h('div.verify', {}, button, result)),
      access,
    );
  };
  mount(
    h('div.page-head', {}, h('h1', {}, 'Devices'), h('span.muted', {}, `${devices.length} enrolled`)),
    devices.length
      ? h('div.card.flush', {}, h('table.grid#devices', {}, h('thead', {}, h('tr', {}, ['Name', 'Device id', 'Last seen', 'Ack seq', 'Chain', 'Access'].map((t) => h('th', {}, t)))), h('tbody', {}, devices.map(row))))
      : h('p.empty', {}, 'No devices enrolled yet.'),
  );
}

/**
 * A broken chain: one short sentence (the screenshot that changed, or the first record that
 * does not fit), the particulars (hashes, the run) behind "Details".
 */
function brokenVerdict(verdict, shots) {
  const broken = verdict.firstBroken;
  const byShot = broken.kind === 'screenshot';
  const sentence = byShot && shots ? shots.sentence : h('span', {}, `first broken seq ${broken.seq}`);
  const details = [h('p.small.broken-reason', {}, `Record ${broken.seq}: ${broken.reason}`), ...(shots ? (byShot ? shots.details : [h('p.small', {}, shots.sentence), ...shots.details]) : [])];
  return h('span.verdict.bad', {}, h('span.badge.bad', {}, 'broken'), ' ', sentence, detailsBox(...details));
}

/**
 * What Verify found of a device's failure screenshots, as one short sentence ("all 3 screenshots
 * match", "1 screenshot changed on the server") and the particulars for "Details": each stored
 * one hashed again against the SHA-256 its record seals; those changed on the server, those
 * removed from it after they were received, those not received yet (each a link to its run).
 */
function screenshotsVerdict(shots) {
  if (!shots) return undefined;
  const count = (n, what = 'screenshot') => `${n} ${what}${n === 1 ? '' : 's'}`;
  const runLink = (item) => h('a', { href: `#/runs/${encodeURIComponent(item.runId)}` }, `record ${item.seq}`);
  const listed = (items, total) => [...items.flatMap((item, i) => [i ? ', ' : '', runLink(item)]), total > items.length ? ` and ${total - items.length} more` : ''];
  const removed = shots.removed || [];
  const removedCount = shots.removedCount || 0;
  const problems = [];
  if (shots.alteredCount) problems.push(h('span.bad-text', {}, `${count(shots.alteredCount)} changed on the server`));
  if (removedCount) problems.push(h('span.warn-text', {}, `${count(removedCount)} removed from the server`));
  if (shots.missingCount) problems.push(h('span.warn-text', {}, `${count(shots.missingCount)} not received yet`));
  let sentence;
  if (!shots.stored && !problems.length) sentence = 'no screenshots stored';
  else if (!problems.length) sentence = shots.stored === 1 ? '1 screenshot matches' : `all ${shots.stored} screenshots match`;
  else {
    const parts = [...problems];
    if (shots.intact) parts.push(`${shots.intact} ${shots.intact === 1 ? 'matches' : 'match'}`);
    sentence = parts.flatMap((part, i) => (i ? [', ', part] : [part]));
  }
  const details = [];
  if (shots.stored) details.push(h('p.small', {}, `Each stored screenshot was hashed again and held to the SHA-256 sealed in its record: ${shots.intact} of ${shots.stored} match.`));
  if (shots.alteredCount) {
    details.push(h('p.small.shots-altered', {}, 'Changed after it was received (not shown in the console): ', listed(shots.altered, shots.alteredCount)));
  }
  if (removedCount) {
    details.push(h('p.small.shots-removed', {}, 'Received, then removed from the server (the server’s receipt says when it came): ', listed(removed, removedCount)));
  }
  if (shots.missingCount) {
    details.push(h('p.small.shots-missing', {}, 'Never received: still queued on the robot, which sends it at its next audit sync: ', listed(shots.missing, shots.missingCount)));
  }
  return { sentence: h('span.shots-verdict', { 'data-screenshots': shots.stored }, sentence), details };
}

// ---------- central work queues ----------

const ITEM_STATES = ['new', 'in_progress', 'retrying', 'done', 'failed', 'dead'];
const ITEM_TONE = { new: 'neutral', in_progress: 'info', retrying: 'warn', done: 'ok', failed: 'bad', dead: 'bad', abandoned: 'warn', error: 'warn', released: 'neutral', running: 'info' };
const itemBadge = (state) => h(`span.badge.${ITEM_TONE[state] || 'neutral'}`, { 'data-state': state }, String(state).replace('_', ' '));
const fmtMs = (ms) => (typeof ms === 'number' ? new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '—');
const queueHref = (name) => `#/queues/${encodeURIComponent(name)}`;

/** The last hour of a queue, from its items' events: per-minute throughput and trouble. */
function activitySummary(activity) {
  const t = activity.totals;
  const minutes = activity.perMinute;
  const peak = minutes.reduce((max, m) => Math.max(max, m.done), 0);
  return { ...t, perMinute: t.done / activity.minutes, peak };
}

async function queuesPage(mount) {
  const { queues } = await api('/v1/queues');
  const activities = await Promise.all(queues.map((q) => api(`/v1/queues/${encodeURIComponent(q.name)}/activity?minutes=60`).catch(() => null)));
  const row = (q, activity) => {
    const a = activity ? activitySummary(activity) : null;
    return h(
      'tr',
      { 'data-queue': q.name },
      h('td', {}, h('a', { href: queueHref(q.name) }, h('strong', {}, q.name))),
      ...ITEM_STATES.map((state) => h('td.num', { 'data-count': state }, q.stats[state] ? String(q.stats[state]) : h('span.muted', {}, '0'))),
      h('td.num', { 'data-throughput': q.name }, a ? `${a.perMinute.toFixed(1)}/min` : '—'),
      h('td.num', {}, a ? String(a.failed) : '—'),
      h('td.num', {}, a ? String(a.retried) : '—'),
      h('td.num', {}, a ? String(a.abandoned) : '—'),
      h('td', {}, [...q.groups.map((g) => h('span.chip', {}, `group ${g}`)), ...q.devices.map((d) => h('span.chip.mono', {}, d))]),
    );
  };
  mount(
    h('div.page-head', {}, h('h1', {}, 'Queues'), h('span.muted', {}, `${queues.length} central work queue${queues.length === 1 ? '' : 's'} · throughput, failures and retries of the last 60 minutes`)),
    queues.length
      ? h(
          'div.card.flush',
          {},
          h(
            'table.grid#queues',
            {},
            h('thead', {}, h('tr', {}, ['Queue', 'New', 'In progress', 'Retrying', 'Done', 'Failed', 'Dead', 'Done / min', 'Failures', 'Retries', 'Abandoned', 'Granted to'].map((t) => h('th', {}, t)))),
            h('tbody', {}, queues.map((q, i) => row(q, activities[i]))),
          ),
        )
      : h('p.empty', {}, 'No central queues yet (an admin creates one with POST /v1/queues).'),
  );
}

function activityChart(activity) {
  const now = Date.now();
  const start = Math.floor((now - activity.minutes * 60_000) / 60_000) * 60_000;
  const byMinute = new Map(activity.perMinute.map((m) => [Date.parse(m.minute), m]));
  const slots = [];
  for (let t = start + 60_000; t <= now; t += 60_000) slots.push({ t, m: byMinute.get(t) || { done: 0, failed: 0, retried: 0, abandoned: 0, dead: 0 } });
  const peak = Math.max(1, ...slots.map((s) => s.m.done + s.m.failed + s.m.retried + s.m.abandoned + s.m.dead));
  const bar = (slot) => {
    const column = h('div.bar', { title: `${new Date(slot.t).toLocaleTimeString()}: ${slot.m.done} done, ${slot.m.failed} failed, ${slot.m.retried} retried, ${slot.m.abandoned} abandoned, ${slot.m.dead} dead` });
    for (const [key, tone] of [['dead', 'bad'], ['failed', 'bad-soft'], ['abandoned', 'warn'], ['retried', 'warn-soft'], ['done', 'ok']]) {
      if (!slot.m[key]) continue;
      const part = h(`div.seg.${tone}`);
      part.style.height = `${(100 * slot.m[key]) / peak}%`;
      column.append(part);
    }
    return column;
  };
  return h('div.chart', { 'aria-label': 'items per minute' }, slots.map(bar));
}

function itemsTable(items, queue, empty) {
  if (!items.length) return h('p.muted', {}, empty);
  return h(
    'table.grid.items',
    {},
    h('thead', {}, h('tr', {}, ['Item', 'State', 'Attempts', 'Worker', 'Payload', 'Last error', 'Updated'].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      items.map((item) =>
        h(
          'tr',
          { 'data-item': item.id },
          h('td', {}, h('a.mono', { href: `${queueHref(queue)}/items/${item.id}` }, `#${item.id}`), item.idempotencyKey ? h('div.muted.small.mono', {}, item.idempotencyKey) : ''),
          h('td', {}, itemBadge(item.state)),
          h('td.num', {}, `${item.attempts} / ${item.maxRetries + 1}`),
          h('td.mono.small', {}, item.worker || '—'),
          h('td', {}, h('code.clip', {}, value(item.payload))),
          h('td.small', {}, item.lastError ? `${item.lastError.name}: ${item.lastError.message}` : ''),
          h('td.small', {}, fmtMs(item.updatedAt)),
        ),
      ),
    ),
  );
}

async function queuePage(name, mount) {
  const enc = encodeURIComponent(name);
  const [queue, activity, failed, dead, retrying, recent] = await Promise.all([
    api(`/v1/queues/${enc}`),
    api(`/v1/queues/${enc}/activity?minutes=60`),
    api(`/v1/queue-items?queue=${enc}&state=failed&limit=50`),
    api(`/v1/queue-items?queue=${enc}&state=dead&limit=50`),
    api(`/v1/queue-items?queue=${enc}&state=retrying&limit=50`),
    api(`/v1/queue-items?queue=${enc}&limit=20`),
  ]);
  const a = activitySummary(activity);
  const tile = (label, n, tone, attr) => h(`div.tile.${tone}`, { 'data-tile': attr }, h('div.tile-n', {}, String(n)), h('div.tile-label', {}, label));
  mount(
    h('div.page-head', {}, h('a.ghost.small', { href: '#/queues' }, '← Queues'), h('h1', {}, name), h('span.muted', {}, `created ${fmtTime(queue.createdAt)} by ${queue.createdBy} · max retries ${queue.maxRetries}`)),
    h('div.tiles', {}, ITEM_STATES.map((state) => tile(state.replace('_', ' '), queue.stats[state] || 0, ITEM_TONE[state], state))),
    h(
      'div.card',
      {},
      h('h2', {}, 'Last 60 minutes'),
      h(
        'div.tiles.small',
        {},
        tile('done', a.done, 'ok', 'done-60'),
        tile('done / min (peak)', `${a.perMinute.toFixed(1)} (${a.peak})`, 'ok', 'throughput'),
        tile('failed (business)', a.failed, 'bad', 'failed-60'),
        tile('retried (application)', a.retried, 'warn', 'retried-60'),
        tile('abandoned (lease ran out)', a.abandoned, 'warn', 'abandoned-60'),
        tile('dead', a.dead, 'bad', 'dead-60'),
      ),
      activityChart(activity),
      h('p.muted.small', {}, 'Each bar is one minute: done (green), retried and abandoned (amber), failed and dead (red).'),
    ),
    h('div.card', {}, h('h2', {}, 'Granted to'), queue.groups.length || queue.devices.length ? h('div', {}, [...queue.groups.map((g) => h('span.chip', {}, `group ${g}`)), ...queue.devices.map((d) => h('span.chip.mono', {}, d))]) : h('p.muted', {}, 'No device or group is granted this queue.')),
    h('div.card.flush', {}, h('h2.pad', {}, `Failed (${queue.stats.failed || 0})`), itemsTable(failed.items, name, 'No failed items.')),
    h('div.card.flush', {}, h('h2.pad', {}, `Dead (${queue.stats.dead || 0})`), itemsTable(dead.items, name, 'No dead items.')),
    h('div.card.flush', {}, h('h2.pad', {}, `Retrying (${queue.stats.retrying || 0})`), itemsTable(retrying.items, name, 'Nothing waiting for a retry.')),
    h('div.card.flush', {}, h('h2.pad', {}, 'First items'), itemsTable(recent.items, name, 'The queue is empty.')),
  );
}

async function queueItemPage(queue, id, mount) {
  const { item, history, attempts } = await api(`/v1/queue-items/${id}`);
  mount(
    h('div.page-head', {}, h('a.ghost.small', { href: queueHref(queue) }, `← ${queue}`), h('h1', {}, `Item #${item.id}`), itemBadge(item.state)),
    h('div.card', {}, h('h2', {}, 'Item'), kvTable({ payload: item.payload, idempotencyKey: item.idempotencyKey, priority: item.priority, attempts: item.attempts, maxRetries: item.maxRetries, deadline: item.deadline ? fmtMs(item.deadline) : null, output: item.output, lastError: item.lastError }, '')),
    h(
      'div.card.flush',
      {},
      h('h2.pad', {}, 'Attempts'),
      h(
        'table.grid#attempts',
        {},
        h('thead', {}, h('tr', {}, ['Attempt', 'Device', 'Worker', 'Leased', 'Ended', 'Outcome', 'Error'].map((t) => h('th', {}, t)))),
        h('tbody', {}, attempts.map((at) => h('tr', {}, h('td.num', {}, at.attempt), h('td.mono.small', {}, at.device), h('td.mono.small', {}, at.worker || ''), h('td.small', {}, fmtMs(at.leasedAt)), h('td.small', {}, fmtMs(at.endedAt)), h('td', {}, itemBadge(at.outcome)), h('td.small', {}, at.error ? at.error.message : '')))),
      ),
    ),
    h(
      'div.card.flush',
      {},
      h('h2.pad', {}, 'History (every state change)'),
      h(
        'table.grid#history',
        {},
        h('thead', {}, h('tr', {}, ['When', 'From', 'To', 'Attempt', 'Who', 'Worker'].map((t) => h('th', {}, t)))),
        h('tbody', {}, history.map((e) => h('tr', {}, h('td.small', {}, fmtMs(e.ts)), h('td', {}, e.from ? itemBadge(e.from) : '—'), h('td', {}, itemBadge(e.to)), h('td.num', {}, e.attempt), h('td.mono.small', {}, e.actor), h('td.mono.small', {}, e.worker || '')))),
      ),
    ),
  );
}

// ---------- start ----------

document.addEventListener('DOMContentLoaded', () => {
  $('#signin-form').addEventListener('submit', signIn);
  $('#signout').addEventListener('click', () => signOut());
  window.addEventListener('hashchange', route);
  route();
});
