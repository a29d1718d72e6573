import type { Target } from './target.ts';

/** How to reach the host: the user's ssh program, key and extra options. */
export interface SshSettings {
  /** The ssh program (`iptables.ssh.path`); `ssh` on PATH by default. */
  sshPath?: string;
  identity?: string;
  /** Extra ssh arguments from the user (e.g. `-F`, `-o ProxyJump=…`), placed after ours. */
  options?: string[];
}

/**
 * The ssh argument array for one remote command. Ours come first because ssh keeps the first
 * value it sees for an option: batch mode (never a prompt) and no connection sharing (the
 * confirm must prove that a NEW connection gets through) cannot be overridden. `--` ends the
 * options before the destination; the user is passed with `-l`, never glued to the host.
 */
export function sshArgs(target: Target, settings: SshSettings, remoteCommand: string, connectTimeoutSeconds: number): string[] {
  const args = ['-T', '-o', 'BatchMode=yes', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-o', `ConnectTimeout=${Math.max(1, Math.round(connectTimeoutSeconds))}`];
  args.push('-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=2');
  if (settings.identity) args.push('-i', settings.identity);
  if (target.port !== undefined) args.push('-p', String(target.port));
  if (target.user) args.push('-l', target.user);
  args.push(...(settings.options ?? []));
  args.push('--', target.host, remoteCommand);
  return args;
}
