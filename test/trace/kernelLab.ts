import { spawn, spawnSync } from 'node:child_process';
import type { Family } from '../../server/src/core/knowledge/types.ts';
import { savedCounters } from '../support/savedCounters.ts';

/**
 * Three network namespaces joined by veth pairs on 10.200.x.x and fd00:200:x::/64: client
 * (10.200.1.2, fd00:200:1::2) — router (wan0 10.200.1.1 and fd00:200:1::1, lan0 10.200.2.1 and
 * fd00:200:2::1, forwarding on for both) — server (10.200.2.2, fd00:200:2::2). Rules
 * are loaded into the router with the real iptables-restore; real TCP and UDP traffic
 * shows what the kernel does. Nothing leaves these namespaces.
 */
export interface Delivery {
  /** The peer answered: it reports the address:port it saw us come from and its own address:port. */
  delivered: boolean;
  refused: boolean;
  seenSource?: string;
  deliveredTo?: string;
}

/** One chain's packet counters from `iptables-save -c`: its rules in order, and its policy (built-in chains). */
export interface ChainCounters {
  rules: number[];
  policy?: number;
}

/** The router's addresses, by interface, and the client's and the server's. */
export const LAB = { client: '10.200.1.2', server: '10.200.2.2', wan0: '10.200.1.1', lan0: '10.200.2.1' } as const;
/** The same hosts' IPv6 addresses, on the same links. */
export const LAB6 = { client: 'fd00:200:1::2', server: 'fd00:200:2::2', wan0: 'fd00:200:1::1', lan0: 'fd00:200:2::1' } as const;
export const labOf = (family: Family): typeof LAB | typeof LAB6 => (family === 'ipv6' ? LAB6 : LAB);

/** `address:port`, an IPv6 address in brackets and in its shortest form (socat writes all its digits). */
export function addressAndPort(text: string): string {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  return m ? `${new URL(`http://[${m[1]}]/`).hostname}:${m[2]}` : text;
}

/** `address:port` into its parts (an IPv6 address in brackets). */
export function splitAddressPort(text: string): [string, string] {
  const colon = text.lastIndexOf(':');
  const address = text.slice(0, colon);
  return [address.startsWith('[') ? address.slice(1, -1) : address, text.slice(colon + 1)];
}

const sh = (args: string[], input?: string) => spawnSync(args[0], args.slice(1), { encoding: 'utf8', input, timeout: 20_000 });

export class KernelLab {
  readonly id = `${process.pid % 10000}${Math.floor(Math.random() * 90 + 10)}`;
  readonly ns = { client: `klc${this.id}`, router: `klr${this.id}`, server: `kls${this.id}` };
  private listeners: ReturnType<typeof spawn>[] = [];
  private hadSets = false;

  static available(): string | undefined {
    if (process.getuid?.() !== 0) return 'not root: the kernel lab creates network namespaces';
    for (const t of ['ip', 'iptables-restore', 'iptables-save', 'socat', 'ipset']) if (sh(['sh', '-c', `command -v ${t}`]).status !== 0) return `${t} is not installed (apt-get install iproute2 iptables socat ipset)`;
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
    // IPv6 on the same links, without duplicate address detection (an address is usable at once)
    // and with each neighbour's link address given: neighbour discovery, which a scenario's rules
    // may drop (missing-ndp-accept's finding), never stands between a probe and its answer
    const addr6 = (ns: string, dev: string, a: string) => this.run(ns, ['ip', '-6', 'addr', 'add', `${a}/64`, 'dev', dev, 'nodad']);
    addr6(client, 'eth0', LAB6.client);
    addr6(router, 'wan0', LAB6.wan0);
    addr6(router, 'lan0', LAB6.lan0);
    addr6(server, 'eth0', LAB6.server);
    const mac = (ns: string, dev: string) => (JSON.parse(this.run(ns, ['ip', '-j', 'link', 'show', 'dev', dev])) as { address: string }[])[0].address;
    const neighbour = (ns: string, dev: string, a: string, lladdr: string) => this.run(ns, ['ip', '-6', 'neigh', 'replace', a, 'lladdr', lladdr, 'dev', dev, 'nud', 'permanent']);
    neighbour(client, 'eth0', LAB6.wan0, mac(router, 'wan0'));
    neighbour(router, 'wan0', LAB6.client, mac(client, 'eth0'));
    neighbour(router, 'lan0', LAB6.server, mac(server, 'eth0'));
    neighbour(server, 'eth0', LAB6.lan0, mac(router, 'lan0'));
    // a host that has heard no router advertisement solicits one, again and again with growing
    // pauses (4, 8, 16, 32, 64 s…): one landing in a scenario would count in the router's INPUT
    for (const n of [client, server]) {
      for (const conf of ['all', 'default', 'eth0']) this.run(n, ['sysctl', '-qw', `net.ipv6.conf.${conf}.router_solicitations=0`]);
    }
    this.run(client, ['ip', '-6', 'route', 'add', 'default', 'via', LAB6.wan0]);
    this.run(router, ['sysctl', '-qw', 'net.ipv6.conf.all.forwarding=1']);
    // One probe, one set of packets: no SYN-ACK retransmitted (a late one would cross the
    // router while the next scenario's rules are loaded and move their counters), and the
    // client gives up (connect-timeout below) before its first SYN retransmission at 1 s.
    for (const n of [router, server]) this.run(n, ['sysctl', '-qw', 'net.ipv4.tcp_synack_retries=0']);
    // the server counts what reaches it (first packets: TCP SYN, UDP), whether or not its answer gets back
    for (const tool of ['iptables-restore', 'ip6tables-restore']) this.run(server, [tool], '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i eth0 -p tcp --syn\n-A INPUT -i eth0 -p udp\nCOMMIT\n');
    this.serverRoute(true);
    // listeners answer with what they saw: peer address and their own address:port
    const reply = 'echo "$SOCAT_PEERADDR:$SOCAT_PEERPORT $SOCAT_SOCKADDR:$SOCAT_SOCKPORT"';
    for (const listen of ['TCP-LISTEN', 'TCP6-LISTEN']) {
      const v6only = listen === 'TCP6-LISTEN' ? ',ipv6only=1' : '';
      for (const port of [22, 80, 8080, 8443]) this.listen(server, [`${listen}:${port},fork,reuseaddr${v6only}`, `SYSTEM:${reply}`]);
      for (const port of [22, 3128, 80]) this.listen(router, [`${listen}:${port},fork,reuseaddr${v6only}`, `SYSTEM:${reply}`]);
    }
    // UDP: one process answers every datagram at once from the port it came to (socat's
    // UDP-RECVFROM,fork can leave a datagram queued behind a child that has not exited yet,
    // and its answer then comes after the client gave up)
    const udp = `const [port, address] = process.argv.slice(1);
      const s = require('node:dgram').createSocket(address.includes(':') ? 'udp6' : 'udp4');
      const at = (a, p) => (a.includes(':') ? '[' + a + ']:' : a + ':') + p;
      s.on('message', (_, r) => s.send(at(r.address, r.port) + ' ' + at(s.address().address, s.address().port) + '\\n', r.port, r.address));
      s.bind(Number(port), address);`;
    for (const address of [LAB.server, LAB6.server]) {
      for (const port of [53, 5353]) this.listeners.push(spawn('ip', ['netns', 'exec', server, process.execPath, '-e', udp, String(port), address], { stdio: 'ignore' }));
    }
    spawnSync('sleep', ['0.3']);
  }

  serverRoute(on: boolean): void {
    sh(['ip', 'netns', 'exec', this.ns.server, 'ip', 'route', 'del', 'default']);
    sh(['ip', 'netns', 'exec', this.ns.server, 'ip', '-6', 'route', 'del', 'default']);
    if (on) this.run(this.ns.server, ['ip', 'route', 'add', 'default', 'via', LAB.lan0]);
    if (on) this.run(this.ns.server, ['ip', '-6', 'route', 'add', 'default', 'via', LAB6.lan0]);
  }

  private listen(ns: string, args: string[]): void {
    this.listeners.push(spawn('ip', ['netns', 'exec', ns, 'socat', ...args], { stdio: 'ignore' }));
  }

  down(): void {
    for (const l of this.listeners) l.kill();
    for (const n of Object.values(this.ns)) sh(['ip', 'netns', 'del', n]);
  }

  /**
   * Replaces the router's rules, flushes conntrack so every scenario starts fresh, and zeroes
   * every counter (the router's and the server's) so that what moves is this probe's doing.
   */
  load(rules: string, ipsets?: string, family: Family = 'ipv4'): void {
    this.settle();
    // every table of both families empty first (and no set left), then the scenario's sets and rules
    const tables = ['raw', 'mangle', 'nat', 'filter'];
    for (const tool of ['iptables-restore', 'ip6tables-restore']) this.run(this.ns.router, [tool], tables.map((t) => `*${t}\nCOMMIT\n`).join(''));
    if (ipsets !== undefined || this.hadSets) sh(['ip', 'netns', 'exec', this.ns.router, 'ipset', 'destroy']);
    this.hadSets = ipsets !== undefined;
    if (ipsets !== undefined) this.run(this.ns.router, ['ipset', 'restore'], ipsets);
    this.run(this.ns.router, [family === 'ipv6' ? 'ip6tables-restore' : 'iptables-restore'], rules);
    for (const f of ['ipv4', 'ipv6']) sh(['ip', 'netns', 'exec', this.ns.router, 'conntrack', '-F', '-f', f]);
    for (const tool of ['iptables', 'ip6tables']) {
      for (const t of tables) this.run(this.ns.router, [tool, '-t', t, '-Z']);
      this.run(this.ns.server, [tool, '-Z']);
    }
  }

  /**
   * Waits (up to 2 s) until the last scenario's TCP connections through the router have closed
   * (TIME_WAIT or gone). Flushed while a FIN is still on its way, conntrack forgets a masqueraded
   * connection, and that FIN, addressed to the router, meets the next scenario's INPUT.
   */
  private settle(): void {
    const open = /\b(SYN_SENT|SYN_RECV|ESTABLISHED|FIN_WAIT|CLOSE_WAIT|LAST_ACK)\b/;
    for (let i = 0; i < 20; i++) {
      const listed = ['ipv4', 'ipv6'].map((f) => sh(['ip', 'netns', 'exec', this.ns.router, 'conntrack', '-L', '-p', 'tcp', '-f', f]).stdout ?? '').join('');
      if (!open.test(listed)) return;
      spawnSync('sleep', ['0.1']);
    }
  }

  /** How many first packets (TCP SYN, UDP) reached the server since the last `load`, over either family. */
  serverReceived(): number {
    let n = 0;
    for (const tool of ['iptables-save', 'ip6tables-save']) {
      for (const m of this.run(this.ns.server, [tool, '-c']).matchAll(/^\[(\d+):\d+\] -A INPUT/gm)) n += Number(m[1]);
    }
    return n;
  }

  /**
   * One connection (TCP) or datagram (UDP) from a namespace to an address and port, from a
   * given source port (so a trace can name the client's port, and each scenario has its own).
   */
  send(from: 'client' | 'router', proto: 'tcp' | 'udp', dst: string, dport: number, sport: number): Delivery {
    const v6 = dst.includes(':');
    const at = v6 ? `[${dst}]:${dport}` : `${dst}:${dport}`;
    const unreachable = v6 ? this.icmp6Unreachable(from) : 0;
    const target = proto === 'tcp' ? `TCP${v6 ? '6' : ''}:${at},connect-timeout=0.9,sourceport=${sport},reuseaddr` : `UDP${v6 ? '6' : ''}:${at},sourceport=${sport}`;
    const r = sh(['ip', 'netns', 'exec', this.ns[from], 'socat', '-T', '1.5', proto === 'tcp' ? '-' : 'STDIO', target], proto === 'udp' ? 'ping\n' : '');
    const out = (r.stdout ?? '').trim().split(/\s+/);
    if (out.length === 2 && out[0]) return { delivered: true, refused: false, seenSource: addressAndPort(out[0]), deliveredTo: addressAndPort(out[1]) };
    // Over IPv6 the kernel here leaves a connect to wait out its timeout after the ICMPv6 port
    // unreachable a REJECT sends (the sender counts it received): the error counts as the refusal
    return { delivered: false, refused: /refused/i.test(r.stderr ?? '') || (v6 && this.icmp6Unreachable(from) > unreachable) };
  }

  /** ICMPv6 destination-unreachable errors a namespace has received (its /proc/net/snmp6). */
  private icmp6Unreachable(ns: 'client' | 'router'): number {
    return Number(/^Icmp6InDestUnreachs\s+(\d+)/m.exec(this.run(this.ns[ns], ['cat', '/proc/net/snmp6']))?.[1] ?? 0);
  }

  /** Packet counters of the router's chains: `table/chain` → its rules' counters in order, and its policy's. */
  counters(family: Family = 'ipv4'): Map<string, ChainCounters> {
    const out = new Map<string, ChainCounters>();
    const chain = (key: string) => {
      if (!out.has(key)) out.set(key, { rules: [] });
      return out.get(key)!;
    };
    const saved = savedCounters(this.run(this.ns.router, [family === 'ipv6' ? 'ip6tables-save' : 'iptables-save', '-c']));
    for (const [key, packets] of saved.policies) chain(key).policy = packets;
    for (const r of saved.rules) chain(r.chain).rules.push(r.packets);
    return out;
  }
}
