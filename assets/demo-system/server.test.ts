import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { DemoClient, idsOf, tokenOf } from './demoClient.js';
import { DEMO_USER, startDemoSystem } from './server.js';
import type { DemoSystem } from './server.js';
import { createSeedClaims } from './state.js';

async function withDemo(fn: (demo: DemoSystem, client: DemoClient) => Promise<void>, slowMs = 0): Promise<void> {
  const demo = await startDemoSystem({ port: 0, slowMs });
  try {
    await fn(demo, new DemoClient(demo.url));
  } finally {
    await demo.close();
  }
}

const UPLOAD = Buffer.from('%PDF-1.4\n% fake police report for the tests\n', 'utf8');

/** Walk the wizard to step 3 (with an upload); returns the step 3 page. */
async function fillWizard(c: DemoClient, claimant = 'Joan Smith'): Promise<string> {
  assert.equal((await c.get('/claims/new')).location, '/claims/new/step1');
  const s1 = await c.post('/claims/new/step1', { policy: 'POL-20417', claimant, incidentDate: '2004-03-15', claimType: 'property' });
  assert.equal(s1.status, 302);
  assert.equal(s1.location, '/claims/new/step2');
  const form = new FormData();
  form.set('channel', 'email');
  form.set('injuries', 'yes');
  form.set('description', 'Water damage in the kitchen.\nCeiling collapsed.');
  form.set('document', new Blob([UPLOAD], { type: 'application/pdf' }), 'report.pdf');
  form.set('action', 'next');
  const s2 = await c.post('/claims/new/step2', form);
  assert.equal(s2.location, '/claims/new/step3');
  const s3 = await c.get('/claims/new/step3');
  assert.equal(s3.status, 200);
  return s3.text;
}

test('seed: 35 deterministic claims', () => {
  const a = createSeedClaims();
  assert.deepEqual(a, createSeedClaims());
  assert.equal(a.length, 35);
  assert.equal(a[0]?.number, 'CLM-2004-000001');
  assert.equal(a[0]?.policyNumber, 'POL-10001');
  assert.equal(a[34]?.number, 'CLM-2004-000035');
  assert.ok(new Set(a.map((c) => c.status)).size === 5, 'all five statuses occur');
});

test('login: bad credentials are refused, good ones set the SID cookie', () =>
  withDemo(async (demo, c) => {
    const root = await c.get('/');
    assert.equal(root.status, 302);
    assert.equal(root.location, '/login');
    const page = await c.get('/login');
    assert.match(page.text, /<h2>.*Sign in.*<\/h2>/);
    assert.match(page.text, /<label for="f\d+">User name:<\/label>/);
    const bad = await c.login(DEMO_USER, 'wrong');
    assert.equal(bad.status, 200);
    assert.match(bad.text, /Invalid user name or password\./);
    assert.equal(c.sid, undefined);
    const good = await c.login();
    assert.equal(good.status, 302);
    assert.equal(good.location, '/menu');
    assert.match(good.headers.getSetCookie()[0] ?? '', /^SID=[0-9a-f]+; HttpOnly; Path=\/$/);
    const menu = await c.get('/menu');
    assert.match(menu.text, /Welcome, clerk/);
    for (const link of ['New claim', 'Search claims', 'Claims list', 'Reports', 'Sign out']) assert.ok(menu.text.includes(`>${link}<`), link);
    assert.deepEqual(demo.state.logins.map((l) => [l.user, l.ok]), [['clerk', false], ['clerk', true]]);
    const out = await c.get('/logout');
    assert.equal(out.location, '/login');
    assert.equal((await c.get('/menu')).location, '/login?expired=1');
  }));

test('pages need a session: redirect to /login?expired=1 and say so', () =>
  withDemo(async (_demo, c) => {
    for (const path of ['/menu', '/claims', '/claims/new', '/claims/CLM-2004-000001', '/reports', '/legacy/notes?claim=CLM-2004-000001']) {
      const res = await c.get(path);
      assert.equal(res.status, 302, path);
      assert.equal(res.location, '/login?expired=1', path);
    }
    c.sid = 'forged';
    assert.equal((await c.post('/claims/new/step1', { policy: 'POL-12345' })).location, '/login?expired=1');
    const login = await c.get('/login?expired=1');
    assert.match(login.text, /Your session has expired\. Please sign in again\./);
  }));

test('wizard: three steps with an upload file CLM-2004-000036', () =>
  withDemo(async (demo, c) => {
    await c.login();
    const step1 = await c.get('/claims/new/step1');
    assert.match(step1.text, /New claim — step 1 of 3/);
    assert.match(step1.text, /<option value="" selected>-- choose --<\/option>/);
    const review = await fillWizard(c);
    assert.match(review, /New claim — step 3 of 3/);
    assert.match(review, /report\.pdf \(\d+ bytes\)/);
    assert.match(review, /onclick="return confirm\('Submit this claim to the mainframe\?'\)"/);
    const filed = await c.post('/claims/new/submit', { token: tokenOf(review) });
    assert.equal(filed.status, 200);
    assert.match(filed.text, /Claim filed\./);
    assert.match(filed.text, /Claim number: <span class="claim-no">CLM-2004-000036<\/span>/);
    assert.match(filed.text, />Back to menu</);
    assert.equal(demo.state.claims.length, 36);
    const claim = demo.state.claims[35];
    assert.ok(claim);
    const { createdAt, ...rest } = claim;
    assert.ok(!Number.isNaN(Date.parse(createdAt)));
    assert.deepEqual(rest, {
      number: 'CLM-2004-000036',
      policyNumber: 'POL-20417',
      claimant: 'Joan Smith',
      incidentDate: '2004-03-15',
      claimType: 'property',
      channel: 'email',
      injuries: true,
      policeReport: false,
      description: 'Water damage in the kitchen.\nCeiling collapsed.',
      attachment: { filename: 'report.pdf', bytes: UPLOAD.length, sha256: createHash('sha256').update(UPLOAD).digest('hex') },
      status: 'Open',
      notes: [],
      createdBy: 'clerk',
    });
    const detail = await c.get('/claims/CLM-2004-000036');
    assert.match(detail.text, /<td>Status:<\/td><td>Open<\/td>/);
  }));

test('wizard: re-posting the submit form does not file twice', () =>
  withDemo(async (demo, c) => {
    await c.login();
    const token = tokenOf(await fillWizard(c));
    const [a, b] = await Promise.all([c.post('/claims/new/submit', { token }), c.post('/claims/new/submit', { token })]);
    const texts = [a.text, b.text];
    assert.equal(texts.filter((t) => t.includes('Claim filed.')).length, 1);
    assert.equal(texts.filter((t) => t.includes('This claim was already submitted as <span class="claim-no">CLM-2004-000036</span>')).length, 1);
    const again = await c.post('/claims/new/submit', { token });
    assert.match(again.text, /This claim was already submitted as <span class="claim-no">CLM-2004-000036<\/span>/);
    assert.equal(demo.state.claims.length, 36);
    // The next claim gets a fresh draft and the next number.
    const filed = await c.post('/claims/new/submit', { token: tokenOf(await fillWizard(c, 'Second Person')) });
    assert.match(filed.text, /CLM-2004-000037/);
  }));

test('wizard: step 1 validation keeps the entered values', () =>
  withDemo(async (_demo, c) => {
    await c.login();
    await c.get('/claims/new');
    const bad = await c.post('/claims/new/step1', { policy: '12345', claimant: 'Ann <Lee>', incidentDate: '2004-02-01', claimType: 'auto' });
    assert.equal(bad.status, 200);
    assert.match(bad.text, /Policy number must look like POL-12345\./);
    assert.match(bad.text, /name="policy" value="12345"/);
    assert.match(bad.text, /name="claimant" value="Ann &lt;Lee&gt;"/);
    assert.match(bad.text, /<option value="auto" selected>Auto<\/option>/);
    const missing = await c.post('/claims/new/step1', { policy: 'POL-12345', claimant: '', incidentDate: '', claimType: '' });
    assert.match(missing.text, /All fields are required\./);
    assert.equal((await c.get('/claims/new/step2')).location, '/claims/new/step1');
    const s2 = await c.post('/claims/new/step1', { policy: 'POL-12345', claimant: 'Ann', incidentDate: '2004-02-01', claimType: 'auto' });
    assert.equal(s2.location, '/claims/new/step2');
    const noChannel = await c.post('/claims/new/step2', { description: 'x', action: 'next' });
    assert.match(noChannel.text, /Please select how the claim was reported\./);
    const back = new FormData();
    back.set('channel', 'branch');
    back.set('policeReport', 'yes');
    back.set('description', 'kept');
    back.set('action', 'back');
    assert.equal((await c.post('/claims/new/step2', back)).location, '/claims/new/step1');
    const again = await c.get('/claims/new/step2');
    assert.match(again.text, /name="channel" value="branch" checked/);
    assert.match(again.text, /name="policeReport" value="yes" checked/);
    assert.match(again.text, />kept<\/textarea>/);
  }));

test('search: exact claim number redirects, policy lists, nothing found says so', () =>
  withDemo(async (_demo, c) => {
    await c.login();
    const exact = await c.get('/claims/search?q=CLM-2004-000007&policy=');
    assert.equal(exact.status, 302);
    assert.equal(exact.location, '/claims/CLM-2004-000007');
    const byPolicy = await c.get('/claims/search?q=&policy=POL-10001');
    assert.match(byPolicy.text, /CLM-2004-000001/);
    assert.match(byPolicy.text, /CLM-2004-000026/);
    assert.doesNotMatch(byPolicy.text, /CLM-2004-000002/);
    assert.match((await c.get('/claims/search?q=CLM-2004-999999&policy=')).text, /No claims found\./);
  }));

test('list: 10 a page, oldest first, Page N of M with Prev/Next', () =>
  withDemo(async (_demo, c) => {
    await c.login();
    const first = await c.get('/claims');
    assert.match(first.text, /Page 1 of 4/);
    assert.match(first.text, /Claim number<\/font><\/th>.*Policy<\/font><\/th>.*Claimant<\/font><\/th>.*Type<\/font><\/th>.*Status<\/font><\/th>.*Filed<\/font><\/th>/);
    assert.equal([...first.text.matchAll(/<a href="\/claims\/CLM-2004-\d+">/g)].length, 10);
    assert.match(first.text, /href="\/claims\/CLM-2004-000001"/);
    assert.doesNotMatch(first.text, /<a href="[^"]*">&lt; Prev<\/a>/);
    assert.match(first.text, /<a href="\/claims\?page=2">Next &gt;<\/a>/);
    const last = await c.get('/claims?page=4');
    assert.match(last.text, /Page 4 of 4/);
    assert.equal([...last.text.matchAll(/<a href="\/claims\/CLM-2004-\d+">/g)].length, 5);
    assert.match(last.text, /<a href="\/claims\?page=3">&lt; Prev<\/a>/);
    assert.doesNotMatch(last.text, /<a href="[^"]*">Next &gt;<\/a>/);
  }));

test('element ids are random on every load; names and labels are not', () =>
  withDemo(async (_demo, c) => {
    const a = await c.get('/login');
    const b = await c.get('/login');
    const idsA = idsOf(a.text);
    const idsB = idsOf(b.text);
    assert.equal(idsA.length, 3);
    assert.ok(idsA.every((id) => /^f\d{7}$/.test(id)));
    assert.ok(idsA.every((id) => !idsB.includes(id)), 'ids differ between loads');
    for (const html of [a.text, b.text]) {
      for (const [, forId] of html.matchAll(/<label for="([^"]+)">/g)) assert.ok(idsOf(html).includes(forId ?? ''), 'label points at an element');
    }
    assert.equal(a.text.replace(/\sid="[^"]*"|\sfor="[^"]*"/g, ''), b.text.replace(/\sid="[^"]*"|\sfor="[^"]*"/g, ''));
  }));

test('legacy notes frame: save a note, alert once', () =>
  withDemo(async (demo, c) => {
    await c.login();
    const detail = await c.get('/claims/CLM-2004-000003');
    assert.match(detail.text, /<iframe name="legacy" title="Legacy notes" src="\/legacy\/notes\?claim=CLM-2004-000003"/);
    assert.match(detail.text, /onclick="window\.open\('\/claims\/CLM-2004-000003\/print','print','width=600,height=400'\); return false;">Printable view</);
    const frame = await c.get('/legacy/notes?claim=CLM-2004-000003');
    assert.match(frame.text, />Note:<\/label>/);
    assert.match(frame.text, /value="Save note"/);
    assert.doesNotMatch(frame.text, /alert\(/);
    const saved = await c.post('/legacy/notes', { claim: 'CLM-2004-000003', note: 'Spoke to <claimant> & agent' });
    assert.equal(saved.location, '/legacy/notes?claim=CLM-2004-000003');
    const after = await c.get('/legacy/notes?claim=CLM-2004-000003');
    assert.match(after.text, /alert\('Note saved'\)/);
    assert.match(after.text, /Spoke to &lt;claimant&gt; &amp; agent/);
    assert.doesNotMatch((await c.get('/legacy/notes?claim=CLM-2004-000003')).text, /alert\(/);
    assert.deepEqual(demo.state.claims[2]?.notes, ['Spoke to <claimant> & agent']);
  }));

test('detail: status change, print popup page, unknown claim and path', () =>
  withDemo(async (demo, c) => {
    await c.login();
    const changed = await c.post('/claims/CLM-2004-000031/status', { status: 'Approved' });
    assert.equal(changed.location, '/claims/CLM-2004-000031');
    const detail = await c.get('/claims/CLM-2004-000031');
    assert.match(detail.text, /<td>Status:<\/td><td>Approved<\/td>/);
    assert.match(detail.text, /Status changed to Approved\./);
    assert.match(detail.text, /onclick="return confirm\('Change the status of this claim\?'\)"/);
    assert.equal(demo.state.claims[30]?.status, 'Approved');
    assert.equal((await c.post('/claims/CLM-2004-000031/status', { status: 'Bogus' })).status, 400);
    const print = await c.get('/claims/CLM-2004-000031/print');
    assert.match(print.text, /CLM-2004-000031/);
    assert.match(print.text, /value="Close window" onclick="window\.close\(\)"/);
    const missing = await c.get('/claims/CLM-2004-000999');
    assert.equal(missing.status, 404);
    assert.match(missing.text, /Claim not found/);
    assert.equal((await c.get('/no/such/page')).status, 404);
    assert.equal((await c.post('/login', { username: 'x'.repeat(6 * 1024 * 1024) })).status, 413);
  }));

test('slow pages take at least slowMs', () =>
  withDemo(async (_demo, c) => {
    await c.login();
    const started = performance.now();
    const report = await c.get('/reports');
    const elapsed = performance.now() - started;
    assert.match(report.text, /Claims by status/);
    assert.ok(elapsed >= 199, `reports took ${elapsed} ms`);
    const token = tokenOf(await fillWizard(c));
    const t0 = performance.now();
    await c.post('/claims/new/submit', { token });
    assert.ok(performance.now() - t0 >= 199, 'submit waits for the mainframe');
  }, 200));

test('reset() restores the seed state and ends sessions', () =>
  withDemo(async (demo, c) => {
    const state = demo.state;
    await c.login();
    await c.post('/claims/new/submit', { token: tokenOf(await fillWizard(c)) });
    await c.post('/legacy/notes', { claim: 'CLM-2004-000001', note: 'temp' });
    await c.post('/claims/CLM-2004-000002/status', { status: 'Closed' });
    demo.reset();
    assert.equal(demo.state, state);
    assert.deepEqual(demo.state.claims, createSeedClaims());
    assert.deepEqual(demo.state.logins, []);
    assert.equal((await c.get('/menu')).location, '/login?expired=1');
  }));
