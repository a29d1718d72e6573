/**
 * Chains that programs on the host make and write themselves: Docker, kube-proxy, ufw,
 * fail2ban, firewalld, Proxmox VE's firewall. A script that adds rules to them by hand loses those rules the next time the
 * program writes the chain; a script that names one depends on the program having run.
 */
export interface ManagedChain {
  /** The program that makes the chain. */
  owner: string;
  /** Made for the administrator's own rules: the program creates it and leaves its rules alone (DOCKER-USER). */
  forUsers: boolean;
  /** When the program writes the chain again (after "rewrites it "); empty for a chain made for users. */
  rewritten: string;
  /** What to do with rules of one's own instead (after "Instead, "). */
  instead: string;
  /**
   * IPv4 forwarding is on wherever the program runs: dockerd turns it on itself when it starts
   * (`--ip-forward`, on unless turned off, writes 1 to /proc/sys/net/ipv4/ip_forward), and a
   * Kubernetes node is set up with it (kubeadm's preflight checks refuse a node whose
   * ip_forward is not 1; the network plugins turn it on). Rules it wrote, or rules written into
   * its chains, are on a host that forwards.
   */
  setsIpv4Forwarding?: true;
}

const DOCKER_REWRITES = 'when the daemon starts and whenever a container or network comes or goes';

const DOCKER_USER: ManagedChain = { owner: 'Docker', forUsers: true, rewritten: '', instead: '', setsIpv4Forwarding: true };
const DOCKER_FILTER: ManagedChain = { owner: 'Docker', forUsers: false, rewritten: DOCKER_REWRITES, instead: 'insert them into DOCKER-USER, which Docker makes for such rules, runs before its own chains from FORWARD and never changes', setsIpv4Forwarding: true };
const DOCKER_NAT: ManagedChain = { owner: 'Docker', forUsers: false, rewritten: DOCKER_REWRITES, instead: 'put them in a chain of your own that PREROUTING or POSTROUTING jumps to', setsIpv4Forwarding: true };
const KUBE: ManagedChain = { owner: 'kube-proxy (or the kubelet)', forUsers: false, rewritten: 'whenever it syncs the cluster\'s Services and endpoints', instead: 'put them in a chain of your own that the built-in chain jumps to, or use a NetworkPolicy', setsIpv4Forwarding: true };
const UFW: ManagedChain = { owner: 'ufw', forUsers: false, rewritten: 'on every `ufw reload`, `ufw enable` and boot, from its rules files', instead: 'use ufw\'s own commands (`ufw allow`, `ufw deny`, `ufw route`), or /etc/ufw/before.rules for what they cannot say' };
const FAIL2BAN: ManagedChain = { owner: 'fail2ban', forUsers: false, rewritten: 'when its jail starts or stops (the chain is made and deleted with it)', instead: 'put them in a chain of your own, or use the jail\'s ignoreip setting' };

const FIREWALLD: ManagedChain = { owner: 'firewalld', forUsers: false, rewritten: 'on every `firewall-cmd --reload` and restart of firewalld, from its zones and direct rules', instead: 'use firewall-cmd (`--add-port`, `--add-rich-rule`, or `--direct --add-rule` for a rule in iptables\' own words), with `--permanent` to keep it' };

/**
 * Proxmox VE's firewall (pve-firewall) compiles its rules from /etc/pve/firewall/ every ten
 * seconds (its daemon's update time) and puts back each chain whose rules differ from what it
 * compiled (it keeps a signature in each, the PVESIG comment); it removes its chains when it stops.
 */
const PVE_FIREWALL: ManagedChain = { owner: 'Proxmox VE\'s firewall (pve-firewall)', forUsers: false, rewritten: 'every ten seconds while it runs, from /etc/pve/firewall/ (and removes it when it stops)', instead: 'write them in Proxmox\'s firewall configuration (the Firewall panel of the datacenter, the node or the guest: cluster.fw, host.fw, VMID.fw under /etc/pve/firewall/), or in a chain of your own that a built-in chain jumps to' };

/** pve-firewall's chains: its own (PVEFW-FORWARD, PVEFW-HOST-IN…) and each guest interface's (tap100i0-IN, veth101i0-OUT). */
const PVE_FIREWALL_CHAIN = /^(?:PVEFW-[\w-]+|(?:tap|veth)\d+i\d+-(?:IN|OUT))$/;

/**
 * Chains firewalld's iptables back end makes: the direct interface's, the zone dispatchers,
 * and each zone's allow, deny, log, pre and post chains (IN_public_allow, FWDO_home_deny...).
 * A zone's own chain without a suffix (IN_public) is left out: user scripts name chains so.
 */
const FIREWALLD_CHAIN = /^(?:(?:INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING)_direct|(?:INPUT|PREROUTING|POSTROUTING|FORWARD_IN|FORWARD_OUT)_ZONES(?:_SOURCE)?|(?:IN|FWDI|FWDO|PRE|POST)_[\w-]+_(?:allow|deny|log|pre|post))$/;

/** Docker's chains of the filter table (current and older releases); DOCKER is in nat as well. */
const DOCKER_CHAINS = new Set(['DOCKER', 'DOCKER-FORWARD', 'DOCKER-BRIDGE', 'DOCKER-INTERNAL', 'DOCKER-CT', 'DOCKER-INGRESS', 'DOCKER-ISOLATION', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2']);

/** The program that makes chain `name` of `table`, if it is one of those above. */
export function managedChain(name: string, table: string): ManagedChain | undefined {
  if (name === 'DOCKER-USER') return table === 'filter' ? DOCKER_USER : undefined;
  if (DOCKER_CHAINS.has(name)) return table === 'filter' ? DOCKER_FILTER : table === 'nat' && (name === 'DOCKER' || name === 'DOCKER-INGRESS') ? DOCKER_NAT : undefined;
  if (name.startsWith('KUBE-')) return KUBE;
  if (name.startsWith('ufw-') || name.startsWith('ufw6-')) return UFW;
  if (name.startsWith('f2b-')) return FAIL2BAN;
  if (FIREWALLD_CHAIN.test(name)) return FIREWALLD;
  if (PVE_FIREWALL_CHAIN.test(name)) return PVE_FIREWALL;
  return undefined;
}
