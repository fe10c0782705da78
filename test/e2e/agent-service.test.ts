// `rpa agent install-service`: a systemd user unit (checked by systemd-analyze verify when the
// machine has it) or an XDG autostart entry that starts the engine host at login, written into
// the directory given, for the RPA_HOME in effect, with paths that may contain spaces.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { cliEnv, RPA_JS, runCli, tempDir } from '../helpers/env.js';

const SYSTEMD_ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((file) => existsSync(file));

describe('rpa agent install-service', () => {
  it('writes a systemd user unit that runs rpa agent for this RPA_HOME', { timeout: 60_000 }, async () => {
    const dir = tempDir('service');
    const home = path.join(dir, 'my rpa home');
    const units = path.join(dir, 'units');
    const result = await runCli(['agent', 'install-service', '--dir', units], cliEnv(home));
    assert.equal(result.code, 0, result.stderr);
    const file = path.join(units, 'rpa-agent.service');
    assert.match(result.stdout, new RegExp(`wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(result.stdout, /systemctl --user enable --now rpa-agent\.service/);
    const unit = readFileSync(file, 'utf8');
    assert.match(unit, new RegExp(`^ExecStart="${process.execPath}" "${RPA_JS}" agent$`, 'm'));
    assert.match(unit, new RegExp(`^Environment="RPA_HOME=${home}"$`, 'm'));
    assert.match(unit, /^Restart=on-failure$/m);
    assert.match(unit, /^WantedBy=default\.target$/m);
    assert.equal(statSync(file).mode & 0o777, 0o644);
    if (SYSTEMD_ANALYZE) {
      const verified = await promisify(execFile)(SYSTEMD_ANALYZE, ['verify', file]).then(
        () => ({ ok: true, stderr: '' }),
        (error: { stderr: string }) => ({ ok: false, stderr: error.stderr }),
      );
      assert.ok(verified.ok, `systemd-analyze verify: ${verified.stderr}`);
    }
  });

  it('writes an XDG autostart entry with --kind autostart, and refuses an unknown kind', { timeout: 60_000 }, async () => {
    const dir = tempDir('autostart');
    const home = path.join(dir, 'home');
    const result = await runCli(['agent', 'install-service', '--kind', 'autostart', '--dir', path.join(dir, 'autostart')], cliEnv(home));
    assert.equal(result.code, 0, result.stderr);
    const entry = readFileSync(path.join(dir, 'autostart', 'rpa-agent.desktop'), 'utf8');
    assert.match(entry, /^\[Desktop Entry\]$/m);
    assert.match(entry, /^Type=Application$/m);
    assert.ok(entry.includes(`Exec=env "RPA_HOME=${home}" "${process.execPath}" "${RPA_JS}" agent\n`), entry);
    const wrong = await runCli(['agent', 'install-service', '--kind', 'launchd', '--dir', dir], cliEnv(home));
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--kind launchd: expected systemd or autostart/);
  });
});
