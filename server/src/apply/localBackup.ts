import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where local copies of the host's rules go unless the user chose a folder. */
export function defaultBackupFolder(): string {
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'iptables-lint', 'backups');
}

/**
 * Keeps a local copy of what the host had before the apply (the same text the host keeps),
 * named after the host, the session and the family; readable by the user only.
 */
export function writeLocalBackup(folder: string, host: string, session: string, family: string, text: string): string {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const safeHost = host.replace(/[^A-Za-z0-9._@-]/g, '_');
  const file = join(folder, `${safeHost}-${session}.${family === 'ipv6' ? 'rules.v6' : 'rules.v4'}`);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}
