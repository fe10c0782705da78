// The update gate: which offered versions this machine downloads, and that a downloaded update
// installs exactly once and never while a bot is running.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UpdateGate, type GateState, type UpdatePolicy } from './gate.js';
import { rolloutBucket } from './rollout.js';

const policy = (over: Partial<UpdatePolicy> = {}): UpdatePolicy => ({ enabled: true, rolloutPercent: 100, machineId: 'HOST-1', currentVersion: '1.4.0', ...over });

describe('UpdateGate.offer', () => {
  it('downloads a newer version inside the rollout', () => {
    const decision = new UpdateGate().offer({ version: '1.5.0' }, policy());
    assert.equal(decision.action, 'download');
    assert.match(decision.reason, /1\.5\.0 is newer than 1\.4\.0/);
  });

  it('ignores everything when updates are turned off by policy', () => {
    const decision = new UpdateGate().offer({ version: '9.0.0' }, policy({ enabled: false }));
    assert.deepEqual(decision, { action: 'ignore', reason: 'updates are turned off by policy' });
  });

  it('ignores the same, an older, or a prerelease of the installed version', () => {
    const gate = new UpdateGate();
    for (const version of ['1.4.0', '1.3.9', '1.4.0-rc.1', '0.9.0']) {
      const decision = gate.offer({ version }, policy());
      assert.equal(decision.action, 'ignore', version);
      assert.match(decision.reason, /not newer/);
    }
    assert.equal(gate.offer({ version: '1.4.1-beta.1' }, policy()).action, 'download');
  });

  it('ignores a version string it cannot read, saying why', () => {
    const decision = new UpdateGate().offer({ version: 'latest' }, policy());
    assert.equal(decision.action, 'ignore');
    assert.match(decision.reason, /"latest" is not a version/);
  });

  it('applies the policy rollout and the feed staging by the machine bucket, the smaller winning', () => {
    const gate = new UpdateGate();
    const id = 'HOST-rollout';
    const bucket = rolloutBucket(id);
    const machine = (over: Partial<UpdatePolicy>) => policy({ machineId: id, ...over });
    assert.equal(gate.offer({ version: '2.0.0' }, machine({ rolloutPercent: bucket })).action, 'ignore');
    assert.equal(gate.offer({ version: '2.0.0' }, machine({ rolloutPercent: bucket + 1 })).action, 'download');
    const staged = gate.offer({ version: '2.0.0', stagingPercentage: bucket }, machine({ rolloutPercent: 100 }));
    assert.equal(staged.action, 'ignore');
    assert.match(staged.reason, new RegExp(`outside the ${bucket}% rollout of 2\\.0\\.0`));
    assert.equal(gate.offer({ version: '2.0.0', stagingPercentage: bucket + 1 }, machine({ rolloutPercent: 100 })).action, 'download');
    assert.equal(gate.offer({ version: '2.0.0' }, machine({ rolloutPercent: 0 })).action, 'ignore');
  });

  it('ignores further offers once a downloaded update waits to install', () => {
    const gate = new UpdateGate();
    gate.runStarted('run-1');
    gate.installWhenIdle(() => undefined);
    const decision = gate.offer({ version: '3.0.0' }, policy());
    assert.equal(decision.action, 'ignore');
    assert.match(decision.reason, /already downloaded/);
  });
});

describe('UpdateGate.installWhenIdle', () => {
  it('installs at once when no bot runs', () => {
    const gate = new UpdateGate();
    let installs = 0;
    assert.equal(gate.installWhenIdle(() => installs++), true);
    assert.equal(installs, 1);
    assert.equal(gate.state, 'installed');
    assert.equal(gate.pendingInstall, false);
  });

  it('waits for the last running bot, then installs exactly once', () => {
    const gate = new UpdateGate();
    const states: GateState[] = [];
    gate.onChange((state) => states.push(state));
    let installs = 0;
    gate.runStarted('a');
    gate.runStarted('b');
    assert.equal(gate.installWhenIdle(() => installs++), false);
    assert.equal(gate.pendingInstall, true);
    assert.equal(gate.state, 'pending');
    gate.runFinished('a');
    assert.equal(installs, 0, 'b still runs');
    // A run started while the install waits is allowed; the install waits for it too.
    gate.runStarted('c');
    gate.runFinished('b');
    assert.equal(installs, 0, 'c still runs');
    gate.runFinished('c');
    assert.equal(installs, 1);
    assert.equal(gate.pendingInstall, false);
    gate.runStarted('d');
    gate.runFinished('d');
    gate.runFinished('unknown');
    assert.equal(installs, 1, 'never a second time');
    assert.deepEqual(states, ['pending', 'installed']);
  });

  it('a second download while one waits replaces it; only the newest installs, once', () => {
    const gate = new UpdateGate();
    const installed: string[] = [];
    gate.runStarted('a');
    gate.installWhenIdle(() => installed.push('1.5.0'));
    gate.installWhenIdle(() => installed.push('1.6.0'));
    gate.runFinished('a');
    assert.deepEqual(installed, ['1.6.0']);
    assert.equal(gate.installWhenIdle(() => installed.push('1.7.0')), false, 'nothing installs after the app has been replaced');
    assert.deepEqual(installed, ['1.6.0']);
  });

  it('reads the running count from the caller when given one, and re-checks on runFinished', () => {
    let running = 2;
    const gate = new UpdateGate({ activeRuns: () => running });
    let installs = 0;
    gate.installWhenIdle(() => installs++);
    assert.equal(gate.activeRuns, 2);
    running = 1;
    gate.runFinished('x');
    assert.equal(installs, 0);
    running = 0;
    gate.runFinished('y');
    assert.equal(installs, 1);
  });

  it('does not count a finished run twice or a run it never saw', () => {
    const gate = new UpdateGate();
    gate.runStarted('a');
    gate.runStarted('a');
    assert.equal(gate.activeRuns, 1);
    gate.runFinished('zzz');
    assert.equal(gate.activeRuns, 1);
    let installs = 0;
    gate.installWhenIdle(() => installs++);
    assert.equal(installs, 0);
    gate.runFinished('a');
    assert.equal(installs, 1);
  });
});
