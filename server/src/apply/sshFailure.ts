import type { RunResult } from './runner.ts';

export type SshFailureKind =
  | 'ssh-missing'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'auth-refused'
  | 'timeout'
  | 'connection-refused'
  | 'unresolved'
  | 'unreachable'
  | 'connection-lost'
  | 'cancelled'
  | 'ssh-failed';

export interface SshFailure {
  kind: SshFailureKind;
  message: string;
}

const PATTERNS: [RegExp, SshFailureKind][] = [
  [/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i, 'host-key-changed'],
  [/Host key verification failed|No \S+ host key is known for|host key is not known/i, 'host-key-unknown'],
  [/Permission denied|Too many authentication failures|no matching host key type|Authentication failed/i, 'auth-refused'],
  [/timed out|Connection timeout/i, 'timeout'],
  [/Connection refused/i, 'connection-refused'],
  [/Could not resolve hostname|Name or service not known|nodename nor servname/i, 'unresolved'],
  [/No route to host|Network is unreachable/i, 'unreachable'],
  [/Connection closed by|Connection reset|Broken pipe|Connection to .* closed/i, 'connection-lost'],
];

function advice(kind: SshFailureKind, host: string, detail: string): string {
  switch (kind) {
    case 'ssh-missing':
      return `the ssh program could not be started (${detail}); install OpenSSH's client or set iptables.ssh.path`;
    case 'host-key-unknown':
      return `the host key of ${host} is not known: connect once with ssh, check the fingerprint, and accept it into known_hosts`;
    case 'host-key-changed':
      return `the host key of ${host} has CHANGED since it was recorded in known_hosts: this may be an attack; verify the host before removing the old key`;
    case 'auth-refused':
      return `${host} refused the login (${detail}): check the user and the key (only key login works, nothing can be typed)`;
    case 'timeout':
      return `${host} did not answer in time (${detail})`;
    case 'connection-refused':
      return `${host} refused the connection: no ssh server listens on that port`;
    case 'unresolved':
      return `the name ${host} could not be resolved`;
    case 'unreachable':
      return `${host} is unreachable (${detail})`;
    case 'connection-lost':
      return `the connection to ${host} was lost (${detail})`;
    case 'cancelled':
      return 'cancelled';
    default:
      return `ssh to ${host} failed: ${detail || 'no message'}`;
  }
}

/**
 * Tells an ssh failure from the remote command's own exit status: ssh exits 255 for its own
 * errors (and the remote side's status otherwise). Returns undefined when ssh worked.
 */
export function classifySshFailure(r: RunResult, host: string): SshFailure | undefined {
  const lines = r.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const detail = lines.filter((l) => !/^Warning: Permanently added/i.test(l)).slice(-1)[0] ?? '';
  if (r.cancelled) return { kind: 'cancelled', message: advice('cancelled', host, detail) };
  if (r.spawnError) return { kind: 'ssh-missing', message: advice('ssh-missing', host, r.spawnError) };
  if (r.timedOut) return { kind: 'timeout', message: advice('timeout', host, 'the command did not finish') };
  if (r.exitCode !== 255) return undefined;
  for (const [re, kind] of PATTERNS) if (re.test(r.stderr)) return { kind, message: advice(kind, host, detail) };
  return { kind: 'ssh-failed', message: advice('ssh-failed', host, detail) };
}
