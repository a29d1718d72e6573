import { spawn, spawnSync } from 'node:child_process';

/**
 * Three network namespaces joined by veth pairs on 10.200.x.x: client (10.200.1.2) —
 * router (wan0 10.200.1.1, lan0 10.200.2.1, forwarding on) — server (10.200.2.2). Rules
 * are loaded into the router with the real iptables-restore; real TCP and UDP traffic
 * shows what the kernel does. Nothing leaves these namespaces.
 */
export interface Delivery {
  /** The peer answered: it reports the address it saw us come from and its own address:port. */
  delivered: boolean;
  refused: boolean;
  seenSource?: string;
  deliveredTo?: string;
}

const sh = (args: string[], input?: string) => spawnSync(args[0], args.slice(1), { encoding: 'utf8', input, timeout: 20_000 });

export class KernelLab {
  readonly id = `${process.pid % 10000}${Math.floor(Math.random() * 90 + 10)}`;
  readonly ns = { client: `klc${this.id}`, router: `klr${this.id}`, server: `kls${this.id}` };
  private listeners: ReturnType<typeof spawn>[] = [];

  static available(): string | undefined {
    if (process.getuid?.() !== 0) return 'not root: the kernel lab creates network namespaces';
    for (const t of ['ip', 'iptables-restore', 'iptables-save', 'socat']) if (sh(['sh', '-c', `command -v ${t}`]).status !== 0) return `${t} is not installed (apt-get install iproute2 iptables socat)`;
    return undefined;
  }

  private run(ns: string, cmd: string[], input?: string) {
    const r = sh(['ip', 'netns', 'exec', ns, ...cmd], input);
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} in ${ns}: ${r.stderr}`);
    return r.stdout;
  }

  up(): void {
    const { client, router, server } = this.ns;
    for (const n of [client, router, server]) sh(['ip', 'netns', 'add', n]);
    const link = (a: string, an: string, b: string, bn: string) => {
      const x = `va${this.id}`;
      const y = `vb${this.id}`;
      sh(['ip', 'link', 'add', x, 'type', 'veth', 'peer', 'name', y]);
      sh(['ip', 'link', 'set', x, 'netns', a]);
      sh(['ip', 'link', 'set', y, 'netns', b]);
      this.run(a, ['ip', 'link', 'set', x, 'name', an]);
      this.run(b, ['ip', 'link', 'set', y, 'name', bn]);
    };
    link(client, 'eth0', router, 'wan0');
    link(router, 'lan0', server, 'eth0');
    const addr = (ns: string, dev: string, a: string) => {
      this.run(ns, ['ip', 'addr', 'add', a, 'dev', dev]);
      this.run(ns, ['ip', 'link', 'set', dev, 'up']);
    };
    for (const n of [client, router, server]) this.run(n, ['ip', 'link', 'set', 'lo', 'up']);
    addr(client, 'eth0', '10.200.1.2/24');
    addr(router, 'wan0', '10.200.1.1/24');
    addr(router, 'lan0', '10.200.2.1/24');
    addr(server, 'eth0', '10.200.2.2/24');
    this.run(client, ['ip', 'route', 'add', 'default', 'via', '10.200.1.1']);
    this.run(router, ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    this.serverRoute(true);
    // listeners answer with what they saw: peer address and their own address:port
    const reply = 'echo "$SOCAT_PEERADDR $SOCAT_SOCKADDR:$SOCAT_SOCKPORT"';
    for (const port of [22, 80, 8080, 8443]) this.listen(server, ['TCP-LISTEN:' + port + ',fork,reuseaddr', `SYSTEM:${reply}`]);
    for (const port of [22, 3128, 80]) this.listen(router, ['TCP-LISTEN:' + port + ',fork,reuseaddr', `SYSTEM:${reply}`]);
    // UDP-RECVFROM does not tell the child its own address: the listener states it
    for (const port of [53, 5353]) this.listen(server, [`UDP-RECVFROM:${port},fork,reuseaddr`, `SYSTEM:echo "$SOCAT_PEERADDR 10.200.2.2:${port}"`]);
    spawnSync('sleep', ['0.3']);
  }

  serverRoute(on: boolean): void {
    sh(['ip', 'netns', 'exec', this.ns.server, 'ip', 'route', 'del', 'default']);
    if (on) this.run(this.ns.server, ['ip', 'route', 'add', 'default', 'via', '10.200.2.1']);
  }

  private listen(ns: string, args: string[]): void {
    this.listeners.push(spawn('ip', ['netns', 'exec', ns, 'socat', ...args], { stdio: 'ignore' }));
  }

  down(): void {
    for (const l of this.listeners) l.kill();
    for (const n of Object.values(this.ns)) sh(['ip', 'netns', 'del', n]);
  }

  /** Replaces the router's rules (and flushes conntrack so every scenario starts fresh). */
  load(rules: string): void {
    // every table empty first, then the scenario's
    const empty = ['raw', 'mangle', 'nat', 'filter'].map((t) => `*${t}\nCOMMIT\n`).join('');
    this.run(this.ns.router, ['iptables-restore'], empty);
    this.run(this.ns.router, ['iptables-restore'], rules);
    sh(['ip', 'netns', 'exec', this.ns.router, 'conntrack', '-F']);
  }

  /** One connection (TCP) or datagram (UDP) from a namespace to an address and port. */
  send(from: 'client' | 'router', proto: 'tcp' | 'udp', dst: string, dport: number): Delivery {
    const target = proto === 'tcp' ? `TCP:${dst}:${dport},connect-timeout=1.5` : `UDP:${dst}:${dport}`;
    const r = sh(['ip', 'netns', 'exec', this.ns[from], 'socat', '-T', '1.5', proto === 'tcp' ? '-' : 'STDIO', target], proto === 'udp' ? 'ping\n' : '');
    const out = (r.stdout ?? '').trim().split(/\s+/);
    if (out.length === 2 && out[0]) return { delivered: true, refused: false, seenSource: out[0], deliveredTo: out[1] };
    return { delivered: false, refused: /refused/i.test(r.stderr ?? '') };
  }

  /** Packet counters of the router's rules: `table/chain` → counters in rule order. */
  counters(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    let table = '';
    for (const line of this.run(this.ns.router, ['iptables-save', '-c']).split('\n')) {
      if (line.startsWith('*')) table = line.slice(1).trim();
      const m = /^\[(\d+):\d+\] -A (\S+)/.exec(line);
      if (!m) continue;
      const key = `${table}/${m[2]}`;
      out.set(key, [...(out.get(key) ?? []), Number(m[1])]);
    }
    return out;
  }
}
