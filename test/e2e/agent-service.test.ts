// `rpa agent install-service`: a systemd user unit (checked by systemd-analyze verify when the
// machine has it), an XDG autostart entry, a macOS LaunchAgent (read back by Python's plistlib)
// or a Windows Run-key .reg file (read back by the .reg format's and Windows' command-line
// rules) that starts the engine host at login, written into the directory given, for the
// RPA_HOME in effect, with paths that may contain spaces, quotes, & and <.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
    const wrong = await runCli(['agent', 'install-service', '--kind', 'upstart', '--dir', dir], cliEnv(home));
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--kind upstart: expected systemd, autostart, launchagent or runkey/);
  });

  it('writes a macOS LaunchAgent that launchd reads as: rpa agent for this RPA_HOME, at login, restarted if it dies', { timeout: 60_000 }, async () => {
    const dir = tempDir('launchagent');
    const home = path.join(dir, 'R&D <robots> "home"');
    mkdirSync(home, { recursive: true });
    const agents = path.join(dir, 'LaunchAgents');
    const result = await runCli(['agent', 'install-service', '--kind', 'launchagent', '--dir', agents], cliEnv(home));
    assert.equal(result.code, 0, result.stderr);
    const file = path.join(agents, 'org.openrpa.studio.agent.plist');
    assert.match(result.stdout, /launchctl bootstrap gui\/\$\(id -u\)/);
    // Python's plistlib is a real plist reader: what launchd would see.
    const read = JSON.parse(execFileSync('python3', ['-c', 'import json, plistlib, sys; print(json.dumps(plistlib.load(open(sys.argv[1], "rb"))))', file], { encoding: 'utf8' })) as Record<string, unknown>;
    assert.deepEqual(read, {
      Label: 'org.openrpa.studio.agent',
      ProgramArguments: [process.execPath, RPA_JS, 'agent'],
      EnvironmentVariables: { RPA_HOME: home },
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ProcessType: 'Background',
      StandardOutPath: path.join(home, 'agent.log'),
      StandardErrorPath: path.join(home, 'agent.log'),
    });
  });

  it('writes a Windows Run-key .reg file whose command starts rpa agent --home for this RPA_HOME; rpa agent --home serves that home', { timeout: 60_000 }, async () => {
    const dir = tempDir('runkey');
    const home = path.join(dir, 'my "rpa" home\\');
    const result = await runCli(['agent', 'install-service', '--kind', 'runkey', '--dir', dir], cliEnv(home));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /reg import/);
    const bytes = readFileSync(path.join(dir, 'rpa-agent.reg'));
    assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe], 'UTF-16LE with a byte-order mark, as regedit writes');
    const lines = bytes.subarray(2).toString('utf16le').split('\r\n');
    assert.equal(lines[0], 'Windows Registry Editor Version 5.00');
    assert.equal(lines[2], '[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run]');
    // A .reg string value: "name"="data" with \\ and \" escaped.
    const value = /^"RPA Studio engine host"="((?:[^"\\]|\\.)*)"$/.exec(lines[3]!);
    assert.ok(value, lines[3]);
    const command = value[1]!.replace(/\\(.)/g, '$1');
    assert.deepEqual(commandLineToArgv(command), [process.execPath, RPA_JS, 'agent', '--home', path.resolve(home)]);
    // What Windows would start: rpa agent --home serves that RPA_HOME, not the environment's (status reads its folder).
    const elsewhere = path.join(dir, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true, mode: 0o700 });
    writeFileSync(path.join(elsewhere, 'agent-status.json'), JSON.stringify({ pid: 2 ** 22 + 17, startedAt: new Date().toISOString(), updatedAt: new Date().toISOString(), running: [], services: {} }));
    const status = await runCli(['agent', 'status', '--home', elsewhere], cliEnv(home));
    assert.match(status.stdout, new RegExp(`agent pid ${2 ** 22 + 17} is not running`), status.stdout + status.stderr);
  });
});

/** Windows' rules for splitting a command line (CommandLineToArgvW, the C runtime's argv). */
function commandLineToArgv(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let arg = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (!quoted && (c === ' ' || c === '\t')) break;
      if (c === '\\') {
        let n = 0;
        while (line[i] === '\\') {
          n++;
          i++;
        }
        if (line[i] === '"') {
          arg += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) arg += '"';
          else quoted = !quoted;
        } else {
          arg += '\\'.repeat(n);
          i--;
        }
        continue;
      }
      if (c === '"') {
        if (quoted && line[i + 1] === '"') {
          arg += '"';
          i++;
        } else quoted = !quoted;
        continue;
      }
      arg += c;
    }
    args.push(arg);
  }
  return args;
}
