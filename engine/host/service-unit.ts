// Starting the engine host at login without the desktop app: a systemd user unit (servers,
// unattended machines: restarts it if it dies) or an XDG autostart entry (a desktop session).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';

export type ServiceKind = 'systemd' | 'autostart';

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

function checkPaths(spec: ServiceSpec): void {
  for (const [what, value] of Object.entries(spec) as Array<[string, string]>) {
    if (!path.isAbsolute(value)) throw new UsageError(`${what} must be an absolute path for a login service, got ${value}`);
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

export function defaultServiceDir(kind: ServiceKind, env: NodeJS.ProcessEnv = process.env): string {
  const config = env['XDG_CONFIG_HOME'] || path.join(os.homedir(), '.config');
  return kind === 'systemd' ? path.join(config, 'systemd', 'user') : path.join(config, 'autostart');
}

/** Writes the unit (rpa-agent.service) or the autostart entry (rpa-agent.desktop) into `dir`; returns its path. */
export function installService(kind: ServiceKind, dir: string, spec: ServiceSpec): string {
  const file = path.join(dir, kind === 'systemd' ? 'rpa-agent.service' : 'rpa-agent.desktop');
  const text = kind === 'systemd' ? systemdUnit(spec) : autostartEntry(spec);
  mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o644 });
  renameSync(temporary, file);
  return file;
}
