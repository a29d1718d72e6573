/** Closed sets of values with what each means (completion, hover, validation). */
export type Named = readonly (readonly [string, string])[];

export const ctStates: Named = [
  ['NEW', 'First packet of a connection not seen before.'],
  ['ESTABLISHED', 'Packet of a connection that has seen packets in both directions.'],
  ['RELATED', 'Starts a new connection tied to an existing one (FTP data, ICMP errors).'],
  ['INVALID', 'Cannot be tied to any known connection; usually dropped.'],
  ['UNTRACKED', 'Exempted from tracking in the raw table (CT --notrack).'],
  ['SNAT', 'The connection\'s source was translated.'],
  ['DNAT', 'The connection\'s destination was translated.'],
];
export const states: Named = ctStates.filter(([s]) => s !== 'SNAT' && s !== 'DNAT');
export const ctStatuses: Named = [
  ['NONE', 'None of the other flags.'],
  ['EXPECTED', 'Created from an expectation (a helper predicted it).'],
  ['SEEN_REPLY', 'A reply has been seen.'],
  ['ASSURED', 'Will not be evicted early.'],
  ['CONFIRMED', 'Left the host; entered in the table.'],
];
export const tcpFlags: Named = [
  ['SYN', 'Synchronise: opens a connection.'],
  ['ACK', 'Acknowledgement.'],
  ['FIN', 'Sender has finished.'],
  ['RST', 'Reset the connection.'],
  ['URG', 'Urgent pointer is valid.'],
  ['PSH', 'Push data to the application.'],
  ['ALL', 'All six flags.'],
  ['NONE', 'No flag.'],
];
export const icmpTypes: Named = [
  ['any', 'Any ICMP type.'],
  ['echo-reply', 'Type 0 (pong).'],
  ['destination-unreachable', 'Type 3.'],
  ['network-unreachable', 'Type 3 code 0.'],
  ['host-unreachable', 'Type 3 code 1.'],
  ['protocol-unreachable', 'Type 3 code 2.'],
  ['port-unreachable', 'Type 3 code 3.'],
  ['fragmentation-needed', 'Type 3 code 4: needed for path MTU discovery.'],
  ['source-route-failed', 'Type 3 code 5.'],
  ['network-unknown', 'Type 3 code 6.'],
  ['host-unknown', 'Type 3 code 7.'],
  ['network-prohibited', 'Type 3 code 9.'],
  ['host-prohibited', 'Type 3 code 10.'],
  ['TOS-network-unreachable', 'Type 3 code 11.'],
  ['TOS-host-unreachable', 'Type 3 code 12.'],
  ['communication-prohibited', 'Type 3 code 13.'],
  ['host-precedence-violation', 'Type 3 code 14.'],
  ['precedence-cutoff', 'Type 3 code 15.'],
  ['source-quench', 'Type 4.'],
  ['redirect', 'Type 5.'],
  ['network-redirect', 'Type 5 code 0.'],
  ['host-redirect', 'Type 5 code 1.'],
  ['TOS-network-redirect', 'Type 5 code 2.'],
  ['TOS-host-redirect', 'Type 5 code 3.'],
  ['echo-request', 'Type 8 (ping).'],
  ['router-advertisement', 'Type 9.'],
  ['router-solicitation', 'Type 10.'],
  ['time-exceeded', 'Type 11 (traceroute answers).'],
  ['ttl-zero-during-transit', 'Type 11 code 0.'],
  ['ttl-zero-during-reassembly', 'Type 11 code 1.'],
  ['parameter-problem', 'Type 12.'],
  ['ip-header-bad', 'Type 12 code 0.'],
  ['required-option-missing', 'Type 12 code 1.'],
  ['timestamp-request', 'Type 13.'],
  ['timestamp-reply', 'Type 14.'],
  ['address-mask-request', 'Type 17.'],
  ['address-mask-reply', 'Type 18.'],
];
export const icmpv6Types: Named = [
  ['destination-unreachable', 'Type 1.'],
  ['no-route', 'Type 1 code 0.'],
  ['communication-prohibited', 'Type 1 code 1.'],
  ['beyond-scope', 'Type 1 code 2.'],
  ['address-unreachable', 'Type 1 code 3.'],
  ['port-unreachable', 'Type 1 code 4.'],
  ['failed-policy', 'Type 1 code 5.'],
  ['reject-route', 'Type 1 code 6.'],
  ['packet-too-big', 'Type 2: needed for path MTU discovery.'],
  ['time-exceeded', 'Type 3.'],
  ['ttl-zero-during-transit', 'Type 3 code 0.'],
  ['ttl-zero-during-reassembly', 'Type 3 code 1.'],
  ['parameter-problem', 'Type 4.'],
  ['bad-header', 'Type 4 code 0.'],
  ['unknown-header-type', 'Type 4 code 1.'],
  ['unknown-option', 'Type 4 code 2.'],
  ['echo-request', 'Type 128 (ping).'],
  ['echo-reply', 'Type 129.'],
  ['router-solicitation', 'Type 133.'],
  ['router-advertisement', 'Type 134.'],
  ['neighbour-solicitation', 'Type 135: neighbour discovery, like ARP.'],
  ['neighbor-solicitation', 'Type 135 (US spelling).'],
  ['neighbour-advertisement', 'Type 136.'],
  ['neighbor-advertisement', 'Type 136 (US spelling).'],
  ['redirect', 'Type 137.'],
];
export const logLevels: Named = [
  ['emerg', '0'], ['alert', '1'], ['crit', '2'], ['error', '3'], ['err', '3'], ['warning', '4'], ['warn', '4'], ['notice', '5'], ['info', '6'], ['debug', '7'],
];
export const rejectWith4: Named = [
  ['icmp-port-unreachable', 'The default: "connection refused" for UDP, a port-unreachable error.'],
  ['icmp-net-unreachable', 'Network unreachable.'],
  ['icmp-host-unreachable', 'Host unreachable.'],
  ['icmp-proto-unreachable', 'Protocol unreachable.'],
  ['icmp-net-prohibited', 'Network administratively prohibited.'],
  ['icmp-host-prohibited', 'Host administratively prohibited.'],
  ['icmp-admin-prohibited', 'Communication administratively prohibited.'],
  ['tcp-reset', 'A TCP RST: the client sees "connection refused" at once (needs -p tcp).'],
];
export const rejectWith6: Named = [
  ['icmp6-no-route', 'No route.'],
  ['no-route', 'No route.'],
  ['icmp6-adm-prohibited', 'Administratively prohibited.'],
  ['adm-prohibited', 'Administratively prohibited.'],
  ['icmp6-addr-unreachable', 'Address unreachable.'],
  ['addr-unreach', 'Address unreachable.'],
  ['icmp6-port-unreachable', 'The default: port unreachable.'],
  ['port-unreach', 'Port unreachable.'],
  ['icmp6-policy-fail', 'Source address failed policy.'],
  ['policy-fail', 'Source address failed policy.'],
  ['icmp6-reject-route', 'Reject route.'],
  ['reject-route', 'Reject route.'],
  ['tcp-reset', 'A TCP RST (needs -p tcp).'],
];
export const dscpClasses: Named = [
  ...['CS0', 'CS1', 'CS2', 'CS3', 'CS4', 'CS5', 'CS6', 'CS7'].map((c) => [c, `Class selector ${c.slice(2)}.`] as const),
  ...['AF11', 'AF12', 'AF13', 'AF21', 'AF22', 'AF23', 'AF31', 'AF32', 'AF33', 'AF41', 'AF42', 'AF43'].map((c) => [c, `Assured forwarding class ${c[2]}, drop precedence ${c[3]}.`] as const),
  ['EF', 'Expedited forwarding (voice).'],
  ['BE', 'Best effort (0).'],
];
export const tosNames: Named = [
  ['Minimize-Delay', '0x10'], ['Maximize-Throughput', '0x08'], ['Maximize-Reliability', '0x04'], ['Minimize-Cost', '0x02'], ['Normal-Service', '0x00'],
];
export const weekdays: Named = [
  ['Mon', '1'], ['Tue', '2'], ['Wed', '3'], ['Thu', '4'], ['Fri', '5'], ['Sat', '6'], ['Sun', '7'],
];
export const setFlags: Named = [['src', 'The source address (or port).'], ['dst', 'The destination address (or port).']];
