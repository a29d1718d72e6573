import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A remote router on this machine: a network namespace joined to the host by a veth pair on
 * a /30 of 10.200.77.0/24, an sshd inside it (key-only root login, its own host key, client
 * key, pid file and known_hosts in a temp folder) and the real iptables inside it. The sshd
 * shares the host's file system, so commands it runs see the host's files but the
 * namespace's netfilter, and a DNS server of its own on the namespace's 127.0.0.1 (its
 * /etc/netns resolv.conf, which `ip netns exec` puts in place for sshd and its sessions): it
 * knows the names of ROUTER_DNS and nothing else, so the router never asks the machine's.
 * `down()` kills every process in the namespace, deletes it, and removes the temp folder and
 * the /etc/netns folder; `leftovers()` says what, if anything, is still there.
 *
 * The `legacy` router is the same host with the legacy backend: its ssh sessions find the
 * iptables-legacy tools first on PATH under the plain names (`iptables -V` reports legacy,
 * as on a host where that is the system's choice), and the test's own looks use them too.
 */

const sh = (args: string[], input?: string) => spawnSync(args[0], args.slice(1), { encoding: 'utf8', input, timeout: 30_000 });

function alive(pid: number): boolean {
  const r = sh(['ps', '-o', 'stat=', '-p', String(pid)]);
  return r.status === 0 && r.stdout.trim() !== '' && !r.stdout.trim().startsWith('Z');
}

export type RouterBackend = 'nft' | 'legacy';

/** The names the router's DNS server answers, with their addresses (never used for traffic). */
export const ROUTER_DNS: Record<string, string> = { 'backup.router.test': '10.200.78.9' };

const DNS_SERVER = fileURLToPath(new URL('../support/dnsServer.ts', import.meta.url));

/** The plain names a legacy host answers to with its legacy tools. */
const LEGACY_NAMES = ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore'];

export class RouterHost {
  readonly backend: RouterBackend;
  readonly id = `${process.pid % 100000}${Math.random().toString(36).slice(2, 5)}`;
  readonly ns = `iptapply${this.id}`;
  readonly veth = `vap${this.id}`.slice(0, 15);
  readonly dir = mkdtempSync(join(tmpdir(), 'iptables-lint-apply-'));
  /** Host side and router side of the /30. */
  hostIp = '';
  routerIp = '';
  readonly port = 22;
  private sshdPid = 0;
  private dnsPid = 0;

  constructor(backend: RouterBackend = 'nft') {
    this.backend = backend;
  }

  static available(backend: RouterBackend = 'nft'): string | undefined {
    if (process.getuid?.() !== 0) return 'not root: the apply tests create a network namespace running sshd';
    if (!existsSync('/usr/sbin/sshd')) return '/usr/sbin/sshd is missing (apt-get install openssh-server)';
    for (const t of ['ip', 'ssh', 'ssh-keygen', 'iptables-restore', 'iptables-save', 'ip6tables-restore', 'unshare', 'setsid', 'nohup', 'ps']) {
      if (sh(['sh', '-c', `command -v ${t}`]).status !== 0) return `${t} is not installed (apt-get install iproute2 openssh-client iptables util-linux coreutils procps)`;
    }
    if (backend === 'legacy') {
      for (const t of ['xtables-legacy-multi', 'iptables-legacy-restore', 'iptables-legacy-save']) {
        if (sh(['sh', '-c', `command -v ${t}`]).status !== 0) return `${t} is not installed (Debian's iptables package has it)`;
      }
      const probe = sh(['unshare', '--net', 'iptables-legacy-save', '-t', 'filter']);
      if (probe.status !== 0) return `the kernel does not offer legacy iptables tables: ${probe.stderr.trim()}`;
    }
    return undefined;
  }

  get key(): string {
    return join(this.dir, 'client_key');
  }
  get knownHosts(): string {
    return join(this.dir, 'known_hosts');
  }
  /** Where the apply engine keeps its backups on the "remote" host (the shared file system). */
  get remoteDir(): string {
    return join(this.dir, 'remote');
  }
  /** The folder a legacy router's ssh sessions find first on PATH. */
  get legacyBin(): string {
    return join(this.dir, 'legacy-bin');
  }
  /** iptables-save / iptables-restore of the router's backend, for the test's own looks. */
  tool(verb: 'save' | 'restore', family: 'ipv4' | 'ipv6' = 'ipv4'): string {
    return `${family === 'ipv4' ? 'iptables' : 'ip6tables'}${this.backend === 'legacy' ? '-legacy' : ''}-${verb}`;
  }
  /** `root@ROUTER` as a target string. */
  get target(): string {
    return `root@${this.routerIp}`;
  }
  /** ssh options that make the connection independent of the user's ~/.ssh. */
  get sshOptions(): string[] {
    return ['-F', 'none', '-i', this.key, '-o', `UserKnownHostsFile=${this.knownHosts}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'];
  }

  private run(args: string[], input?: string): string {
    const r = sh(args, input);
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr || r.error?.message}`);
    return r.stdout;
  }

  /** A /30 in 10.200.77.0/24 no interface of this host uses yet (other runs may hold some). */
  private pickSubnet(): void {
    const used = sh(['ip', '-o', '-4', 'addr', 'show']).stdout;
    for (let slot = 0; slot < 64; slot++) {
      const host = `10.200.77.${slot * 4 + 1}`;
      if (!used.includes(` ${host}/`)) {
        this.hostIp = host;
        this.routerIp = `10.200.77.${slot * 4 + 2}`;
        return;
      }
    }
    throw new Error('no free /30 left in 10.200.77.0/24');
  }

  up(): void {
    this.pickSubnet();
    const d = this.dir;
    this.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'apply-test-host', '-f', join(d, 'host_key')]);
    this.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'apply-test-client', '-f', this.key]);
    writeFileSync(join(d, 'authorized_keys'), readFileSync(`${this.key}.pub`));
    writeFileSync(this.knownHosts, '');
    this.run(['ip', 'netns', 'add', this.ns]);
    this.run(['ip', 'link', 'add', this.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', this.ns]);
    this.run(['ip', 'addr', 'add', `${this.hostIp}/30`, 'dev', this.veth]);
    this.run(['ip', 'link', 'set', this.veth, 'up']);
    this.run(['ip', '-n', this.ns, 'link', 'set', 'lo', 'up']);
    this.run(['ip', '-n', this.ns, 'addr', 'add', `${this.routerIp}/30`, 'dev', 'eth0']);
    this.run(['ip', '-n', this.ns, 'link', 'set', 'eth0', 'up']);
    // sshd will not start without its privilege separation folder (the package's tmpfiles
    // entry creates it at boot; containers often lack it). It stays: other sshds, maybe
    // another test's, chroot into it on every connection.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    this.startDns();
    const env: string[] = [];
    if (this.backend === 'legacy') {
      const multi = this.run(['sh', '-c', 'command -v xtables-legacy-multi']).trim();
      mkdirSync(this.legacyBin);
      for (const name of LEGACY_NAMES) symlinkSync(multi, join(this.legacyBin, name));
      // sshd's own default PATH for sessions, with the legacy names in front
      env.push(`SetEnv PATH=${this.legacyBin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`);
    }
    const config = join(d, 'sshd_config');
    writeFileSync(
      config,
      [
        `ListenAddress ${this.routerIp}`,
        `Port ${this.port}`,
        `HostKey ${join(d, 'host_key')}`,
        `PidFile ${join(d, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(d, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'PrintMotd no',
        'MaxStartups 50:30:100',
        'LogLevel VERBOSE',
        ...env,
        '',
      ].join('\n'),
    );
    this.run(['/usr/sbin/sshd', '-t', '-f', config]);
    // sshd daemonises and writes its pid file: no child of the test stays attached to it
    this.run(['ip', 'netns', 'exec', this.ns, '/usr/sbin/sshd', '-f', config, '-E', join(d, 'sshd.log')]);
    for (let i = 0; i < 100 && !this.sshdPid; i++) {
      const pid = existsSync(join(d, 'sshd.pid')) ? Number(readFileSync(join(d, 'sshd.pid'), 'utf8').trim()) : 0;
      if (pid) this.sshdPid = pid;
      else sh(['sleep', '0.05']);
    }
    if (!this.sshdPid) throw new Error(`sshd did not start: ${existsSync(join(d, 'sshd.log')) ? readFileSync(join(d, 'sshd.log'), 'utf8') : ''}`);
    let last = '';
    for (let i = 0; i < 50; i++) {
      const r = this.ssh('ip netns identify $$');
      if (r.status === 0) {
        last = r.stdout.trim();
        break;
      }
      last = r.stderr;
      sh(['sleep', '0.1']);
    }
    if (last !== this.ns) throw new Error(`ssh into ${this.ns} failed: ${last}`);
    if (this.backend === 'legacy') {
      const v = this.ssh('iptables -V');
      if (!/\(legacy\)/.test(v.stdout)) throw new Error(`the legacy router's ssh sessions run another iptables: ${v.stdout}${v.stderr}`);
    }
  }

  /** The namespace's resolver: its resolv.conf names the DNS server started here, in the namespace. */
  private startDns(): void {
    mkdirSync(this.netnsEtc, { recursive: true });
    writeFileSync(join(this.netnsEtc, 'resolv.conf'), 'nameserver 127.0.0.1\n');
    const out = join(this.dir, 'dns.out');
    const fd = openSync(out, 'w');
    const names = Object.entries(ROUTER_DNS).map(([n, a]) => `${n}=${a}`);
    const child = spawn('ip', ['netns', 'exec', this.ns, process.execPath, DNS_SERVER, ...names], { stdio: ['pipe', fd, 'ignore'] });
    closeSync(fd);
    // it stops when down() kills the namespace's processes, or when this process ends and its stdin closes
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    this.dnsPid = child.pid ?? 0;
    for (let i = 0; i < 100 && !readFileSync(out, 'utf8').includes('ready'); i++) sh(['sleep', '0.05']);
    if (!readFileSync(out, 'utf8').includes('ready')) throw new Error('the router\'s DNS server did not start');
  }

  private get netnsEtc(): string {
    return `/etc/netns/${this.ns}`;
  }

  /** One command over ssh, as a user would type it (used by the tests to look, never by the engine). */
  ssh(command: string, input?: string) {
    return sh(['ssh', ...this.sshOptions, '-o', 'ConnectTimeout=5', '-p', String(this.port), '-l', 'root', '--', this.routerIp, command], input);
  }

  /** Runs a command inside the namespace directly (no ssh). */
  exec(args: string[], input?: string): string {
    return this.run(['ip', 'netns', 'exec', this.ns, ...args], input);
  }

  /** Loads rules into the router directly, every table emptied first. */
  load(rules: string): void {
    const existing = this.exec([this.tool('save')]).split('\n').filter((l) => l.startsWith('*'));
    if (existing.length) this.exec([this.tool('restore')], existing.map((t) => `${t}\nCOMMIT\n`).join(''));
    if (rules) this.exec([this.tool('restore')], rules);
  }

  /** iptables-save of the router without counters and comments: what is loaded. */
  save(family: 'ipv4' | 'ipv6' = 'ipv4'): string {
    return comparable(this.exec([this.tool('save', family)]));
  }

  down(): void {
    if (this.sshdPid) kill(this.sshdPid);
    if (this.dnsPid) kill(this.dnsPid);
    if (sh(['ip', 'netns', 'list']).stdout.split('\n').some((l) => l.split(' ')[0] === this.ns)) {
      // ssh sessions and scheduled rollbacks still running in the namespace were started
      // for this router: by pid, then the namespace (deleting it first would leave it alive)
      for (let round = 0; round < 3; round++) {
        const pids = sh(['ip', 'netns', 'pids', this.ns]).stdout.split('\n').filter(Boolean).map(Number);
        if (!pids.length) break;
        for (const pid of pids) kill(pid);
      }
      sh(['ip', 'netns', 'del', this.ns]);
    }
    if (sh(['ip', 'link', 'show', this.veth]).status === 0) sh(['ip', 'link', 'del', this.veth]);
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.netnsEtc, { recursive: true, force: true });
  }

  /** What `down()` failed to remove: empty when nothing is left behind. */
  leftovers(): string[] {
    const left: string[] = [];
    if (sh(['ip', 'netns', 'list']).stdout.split('\n').some((l) => l.split(' ')[0] === this.ns)) left.push(`namespace ${this.ns}`);
    if (sh(['ip', 'link', 'show', this.veth]).status === 0) left.push(`veth ${this.veth}`);
    if (this.hostIp && sh(['ip', '-o', '-4', 'addr', 'show']).stdout.includes(` ${this.hostIp}/`)) left.push(`address ${this.hostIp}`);
    if (existsSync(this.dir)) left.push(`folder ${this.dir}`);
    if (existsSync(this.netnsEtc)) left.push(`folder ${this.netnsEtc}`);
    if (this.sshdPid && alive(this.sshdPid)) left.push(`sshd ${this.sshdPid}`);
    // any process still holding a config or key from our folder
    const ps = sh(['ps', '-eo', 'pid=,stat=,args=']).stdout.split('\n').filter((l) => l.includes(this.dir) && !/^\s*\d+\s+Z/.test(l));
    for (const l of ps) left.push(`process ${l.trim()}`);
    return left;
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 30 && alive(pid); i++) sh(['sleep', '0.05']);
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** iptables-save text without counters, comments and blank lines: comparable between runs. */
export function comparable(save: string): string {
  return save
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, '').replace(/^\[\d+:\d+\] /, ''))
    .join('\n');
}
