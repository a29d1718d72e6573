import type { Family } from './types.ts';

/**
 * The connection tracking helpers `-j CT --helper NAME` can attach. The kernel finds a helper by
 * its name, the rule's family and its protocol: a name it has for another protocol or family
 * fails when the rule is loaded, which `iptables-restore --test` does not see. Names, protocols
 * and families measured with iptables 1.8.9 on kernel 6.18 (both backends, in a namespace).
 */
export interface ConntrackHelper {
  name: string;
  /** The protocols the kernel has the helper for: `-p` must be one of them. */
  protocols: readonly ('tcp' | 'udp')[];
  families: readonly Family[];
  /** The port the helper's module follows on its own, for the docs. */
  port: number;
  /** What it follows, our words. */
  summary: string;
}

export const conntrackHelpers: readonly ConntrackHelper[] = [
  { name: 'ftp', protocols: ['tcp'], families: ['ipv4', 'ipv6'], port: 21, summary: 'FTP: opens the data connection the control connection announces (PORT, PASV).' },
  { name: 'tftp', protocols: ['udp'], families: ['ipv4', 'ipv6'], port: 69, summary: 'TFTP: lets the server\'s transfer, from another port, back in.' },
  { name: 'sip', protocols: ['tcp', 'udp'], families: ['ipv4', 'ipv6'], port: 5060, summary: 'SIP: expects the media (RTP) streams a call negotiates.' },
  { name: 'RAS', protocols: ['udp'], families: ['ipv4', 'ipv6'], port: 1719, summary: 'H.323 gatekeeper signalling (RAS); Q.931 is the call signalling.' },
  { name: 'Q.931', protocols: ['tcp'], families: ['ipv4', 'ipv6'], port: 1720, summary: 'H.323 call signalling: expects the media and control channels of a call.' },
  { name: 'amanda', protocols: ['udp'], families: ['ipv4', 'ipv6'], port: 10080, summary: 'Amanda backups: the data connections the client announces.' },
  { name: 'sane', protocols: ['tcp'], families: ['ipv4', 'ipv6'], port: 6566, summary: 'SANE network scanning: the data connection the server announces.' },
  { name: 'irc', protocols: ['tcp'], families: ['ipv4'], port: 6667, summary: 'IRC: DCC transfers and chats announced in the conversation (IPv4 only).' },
  { name: 'pptp', protocols: ['tcp'], families: ['ipv4'], port: 1723, summary: 'PPTP VPNs: the GRE tunnel the control connection sets up (IPv4 only).' },
  { name: 'netbios-ns', protocols: ['udp'], families: ['ipv4'], port: 137, summary: 'NetBIOS name service: answers to broadcast queries (IPv4 only).' },
  { name: 'snmp', protocols: ['udp'], families: ['ipv4'], port: 161, summary: 'SNMP: answers to broadcast queries (IPv4 only).' },
  { name: 'snmp_trap', protocols: ['udp'], families: ['ipv4'], port: 162, summary: 'SNMP traps (IPv4 only).' },
];

/**
 * Helpers conntrackd runs in userspace (`nfct add helper NAME …` registers one under that name):
 * not in the kernel, so their protocol is the registration's to say.
 */
export const userspaceHelperNames: readonly string[] = ['rpc', 'tns', 'dhcpv6', 'ssdp', 'mdns', 'slp'];

const byName = new Map(conntrackHelpers.map((h) => [h.name, h]));

/** The kernel helper of this name (names are compared as written: `FTP` is none). */
export function conntrackHelper(name: string): ConntrackHelper | undefined {
  return byName.get(name);
}
