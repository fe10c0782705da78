// Starting the engine host at login without the desktop app: a systemd user unit (servers,
// unattended machines: restarts it if it dies) or an XDG autostart entry (a desktop session)
// on Linux, a LaunchAgent on macOS, the per-user Run key on Windows. (The desktop app registers
// itself with Electron's login items instead.)
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';

export const SERVICE_KINDS = ['systemd', 'autostart', 'launchagent', 'runkey'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** The kind this platform starts at login by default. */
export function defaultServiceKind(platform: NodeJS.Platform = process.platform): ServiceKind {
  return platform === 'darwin' ? 'launchagent' : platform === 'win32' ? 'runkey' : 'systemd';
}

/** The LaunchAgent's label (and file name), and the Run key's value name. */
export const LAUNCH_AGENT_LABEL = 'org.openrpa.studio.agent';
export const RUN_KEY = 'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run';
export const RUN_VALUE_NAME = 'RPA Studio engine host';

export interface ServiceSpec {
  /** The node binary and the rpa script it runs. */
  node: string;
  script: string;
  /** The RPA_HOME the host serves (absolute). */
  home: string;
}

/** systemd's quoting: double quotes, with \ and " escaped; % doubled (specifiers). */
function systemdQuote(word: string): string {
  return `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`;
}

/** The Desktop Entry spec's Exec quoting: double quotes, with " ` $ \ escaped. */
function desktopQuote(word: string): string {
  return `"${word.replace(/(["`$\\])/g, '\\$1').replace(/%/g, '%%')}"`;
}

function checkPaths(spec: ServiceSpec, paths: typeof path.posix = path): void {
  for (const [what, value] of Object.entries(spec) as Array<[string, string]>) {
    if (!paths.isAbsolute(value)) throw new UsageError(`${what} must be an absolute path for a login service, got ${value}`);
    if (/[\n\r]/.test(value)) throw new UsageError(`${what} may not contain a line break`);
  }
}

export function systemdUnit(spec: ServiceSpec): string {
  checkPaths(spec);
  return [
    '[Unit]',
    'Description=Open RPA Studio engine host (schedules, folder triggers, queues, audit sync)',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `Environment=${systemdQuote(`RPA_HOME=${spec.home}`)}`,
    `ExecStart=${systemdQuote(spec.node)} ${systemdQuote(spec.script)} agent`,
    // SIGTERM: the host stops gracefully (running bots get their grace period).
    'KillSignal=SIGTERM',
    'TimeoutStopSec=90',
    'Restart=on-failure',
    'RestartSec=10',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

export function autostartEntry(spec: ServiceSpec): string {
  checkPaths(spec);
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Open RPA Studio engine host',
    'Comment=Runs scheduled bots, folder triggers and queues, and uploads run logs',
    `Exec=env ${desktopQuote(`RPA_HOME=${spec.home}`)} ${desktopQuote(spec.node)} ${desktopQuote(spec.script)} agent`,
    'Terminal=false',
    'NoDisplay=true',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * macOS: a per-user LaunchAgent (~/Library/LaunchAgents) that launchd starts at login and
 * again if it dies (not after a clean stop); its output goes to agent.log in RPA_HOME.
 */
export function launchAgentPlist(spec: ServiceSpec): string {
  checkPaths(spec);
  const string = (value: string): string => `<string>${xml(value)}</string>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key>${string(LAUNCH_AGENT_LABEL)}`,
    '  <key>ProgramArguments</key>',
    `  <array>${string(spec.node)}${string(spec.script)}${string('agent')}</array>`,
    '  <key>EnvironmentVariables</key>',
    `  <dict><key>RPA_HOME</key>${string(spec.home)}</dict>`,
    '  <key>RunAtLoad</key><true/>',
    '  <key>KeepAlive</key>',
    '  <dict><key>SuccessfulExit</key><false/></dict>',
    '  <key>ProcessType</key><string>Background</string>',
    `  <key>StandardOutPath</key>${string(path.join(spec.home, 'agent.log'))}`,
    `  <key>StandardErrorPath</key>${string(path.join(spec.home, 'agent.log'))}`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** Windows' command-line quoting (the rules CommandLineToArgvW and the C runtime read back). */
export function windowsQuote(word: string): string {
  if (word && !/[\s"]/.test(word)) return word;
  let quoted = '"';
  let backslashes = 0;
  for (const char of word) {
    if (char === '\\') {
      backslashes++;
      continue;
    }
    // Backslashes before a quote are doubled, and the quote escaped.
    quoted += char === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${char}`;
    backslashes = 0;
  }
  // Backslashes before the closing quote are doubled.
  return `${quoted}${'\\'.repeat(backslashes * 2)}"`;
}

/** The command the Run key starts: the Run key sets no environment, so RPA_HOME goes as --home. */
export function windowsRunCommand(spec: ServiceSpec): string {
  checkPaths(spec, path.win32);
  return [spec.node, spec.script, 'agent', '--home', spec.home].map(windowsQuote).join(' ');
}

/**
 * Windows: a .reg file that sets the per-user Run key's value (reg import FILE, or deployed by
 * IT); UTF-16LE with a byte-order mark and CRLF, as regedit writes them.
 */
export function runKeyRegFile(spec: ServiceSpec): Buffer {
  const regString = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const text = ['Windows Registry Editor Version 5.00', '', `[${RUN_KEY}]`, `${regString(RUN_VALUE_NAME)}=${regString(windowsRunCommand(spec))}`, ''].join('\r\n');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

const FILES: Record<ServiceKind, string> = {
  systemd: 'rpa-agent.service',
  autostart: 'rpa-agent.desktop',
  launchagent: `${LAUNCH_AGENT_LABEL}.plist`,
  runkey: 'rpa-agent.reg',
};

export function defaultServiceDir(kind: ServiceKind, env: NodeJS.ProcessEnv = process.env): string {
  if (kind === 'launchagent') return path.join(os.homedir(), 'Library', 'LaunchAgents');
  if (kind === 'runkey') return path.join(env['APPDATA'] || path.join(os.homedir(), 'AppData', 'Roaming'), 'RPA Studio');
  const config = env['XDG_CONFIG_HOME'] || path.join(os.homedir(), '.config');
  return kind === 'systemd' ? path.join(config, 'systemd', 'user') : path.join(config, 'autostart');
}

/** Writes the unit, autostart entry, LaunchAgent or .reg file into `dir`; returns its path. */
export function installService(kind: ServiceKind, dir: string, spec: ServiceSpec): string {
  const file = path.join(dir, FILES[kind]);
  const content = kind === 'systemd' ? systemdUnit(spec) : kind === 'autostart' ? autostartEntry(spec) : kind === 'launchagent' ? launchAgentPlist(spec) : runKeyRegFile(spec);
  mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o644 });
  renameSync(temporary, file);
  return file;
}
