import { arg, t, target } from '../define.ts';

/** Connection-tracking, proxying and other special-purpose targets. */

export const CT = target({
  name: 'CT',
  terminating: false,
  tables: ['raw'],
  summary: 'Set up how connection tracking handles the packet: no tracking, a helper, a zone, timeouts.',
  doc: 'Only in the raw table, before conntrack sees the packet. `-j CT --notrack` exempts traffic from tracking (then it is UNTRACKED).',
  example: 'iptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack',
  options: [
    t('--notrack', [], 'Do not track this packet.'),
    t('--helper', [arg('string', 'name')], 'Attach a conntrack helper (ftp, sip, …).'),
    t('--ctevents', [arg('any', 'event[,…]')], 'Which conntrack events to generate.'),
    t('--expevents', [arg('any', 'event[,…]')], 'Which expectation events to generate.'),
    t('--zone-orig', [arg('any', 'id|mark')], 'Conntrack zone for the original direction.'),
    t('--zone-reply', [arg('any', 'id|mark')], 'Conntrack zone for the reply direction.'),
    t('--zone', [arg('zone', 'id|mark')], 'Conntrack zone.'),
    t('--timeout', [arg('string', 'name')], 'A timeout policy defined with nfct.'),
  ],
});

export const NOTRACK = target({
  name: 'NOTRACK',
  terminating: false,
  tables: ['raw'],
  deprecatedBy: 'CT --notrack',
  summary: 'Exempt the packet from connection tracking (older spelling of `-j CT --notrack`).',
  doc: 'Only in the raw table.',
  example: 'iptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK',
  options: [],
});

export const TEE = target({
  name: 'TEE',
  needsOneOf: [['--gateway']],
  terminating: false,
  summary: 'Send a copy of the packet to another host on the local network (traffic mirroring).',
  doc: 'The original continues; the clone goes to the gateway address.',
  example: 'iptables -t mangle -A PREROUTING -i eth0 -j TEE --gateway 192.168.1.250',
  options: [t('--gateway', [arg('address', 'ipaddr')], 'Where the copy goes.', { required: true })],
});

export const TPROXY = target({
  name: 'TPROXY',
  needsOneOf: [['--on-port']],
  protocols: ['tcp', 'udp'],
  terminating: true,
  tables: ['mangle'],
  chains: ['PREROUTING'],
  summary: 'Deliver the packet to a local transparent proxy socket without changing its destination.',
  doc: 'Needs policy routing of marked packets to the loopback device.',
  example: 'iptables -t mangle -A PREROUTING -p tcp --dport 80 -j TPROXY --on-port 3129 --tproxy-mark 0x1/0x1',
  options: [
    t('--on-port', [arg('port', 'port')], 'The proxy\'s port.', { required: true }),
    t('--on-ip', [arg('address', 'address')], 'The proxy\'s address.'),
    t('--tproxy-mark', [arg('mark', 'value[/mask]')], 'Mark the packet for policy routing.'),
  ],
});

export const SYNPROXY = target({
  name: 'SYNPROXY',
  terminating: true,
  protocols: ['tcp'],
  chains: ['INPUT', 'FORWARD'],
  summary: 'Answer TCP handshakes on the server\'s behalf to absorb SYN floods.',
  doc: 'Used with conntrack `INVALID,UNTRACKED` rules and `CT --notrack` for SYNs in raw.',
  example: 'iptables -A INPUT -p tcp --dport 80 -m conntrack --ctstate INVALID,UNTRACKED -j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460',
  options: [
    t('--mss', [arg('integer', 'maximum segment size')], 'MSS to announce.'),
    t('--wscale', [arg('integer', 'window scale')], 'Window scale to announce.'),
    t('--sack-perm', [], 'Announce selective acknowledgements.'),
    t('--timestamp', [], 'Announce TCP timestamps.', { aliases: ['--timestamps'] }),
    t('--ecn', [], 'Announce ECN.'),
  ],
});

export const SET = target({
  name: 'SET',
  terminating: false,
  hostDependent: 'the ipset must exist on the host',
  summary: 'Add the packet\'s addresses or ports to an ipset, or remove them.',
  doc: 'Flags say which fields are stored, in the order of the set type.',
  example: 'iptables -A INPUT -p tcp --dport 23 -j SET --add-set scanners src',
  options: [
    t('--add-set', [arg('string', 'setname'), arg('set-flags', 'flag[,flag…]')], 'Add an entry to the set.'),
    t('--del-set', [arg('string', 'setname'), arg('set-flags', 'flag[,flag…]')], 'Remove an entry from the set.'),
    t('--map-set', [arg('string', 'setname'), arg('set-flags', 'flag[,flag…]')], 'Take mark, priority or queue from the set entry.'),
    t('--timeout', [arg('integer', 'value')], 'Timeout of the added entry.'),
    t('--exist', [], 'Refresh the timeout when the entry already exists.'),
    t('--map-mark', [], 'Set the packet mark from the entry.'),
    t('--map-prio', [], 'Set the priority from the entry.'),
    t('--map-queue', [], 'Set the queue from the entry.'),
  ],
});

export const IDLETIMER = target({
  name: 'IDLETIMER',
  needsOneOf: [['--timeout'], ['--label']],
  terminating: false,
  summary: 'Restart a timer on each packet; userspace is told when traffic has been idle for a while.',
  doc: 'Timers appear under /sys/class/xt_idletimer.',
  example: 'iptables -A OUTPUT -o wlan0 -j IDLETIMER --timeout 60 --label wlan0',
  options: [
    t('--timeout', [arg('integer', 'seconds')], 'Idle time before the notification.', { required: true }),
    t('--label', [arg('string', 'string')], 'Name of the timer.', { required: true }),
    t('--alarm', [], 'Use an alarm timer that wakes the system.'),
  ],
});

export const LED = target({
  name: 'LED',
  terminating: false,
  hostDependent: 'needs the LED trigger kernel module',
  summary: 'Blink an LED trigger when packets match.',
  doc: 'Creates a trigger named `netfilter-ID`.',
  example: 'iptables -A INPUT -p tcp --dport 22 -j LED --led-trigger-id ssh --led-delay 100',
  options: [
    t('--led-trigger-id', [arg('string', 'name')], 'The trigger name suffix.', { required: true }),
    t('--led-delay', [arg('any', 'ms|inf')], 'How long the LED stays on.'),
    t('--led-always-blink', [], 'Blink even when already on.'),
  ],
});

export const RATEEST = target({
  name: 'RATEEST',
  terminating: false,
  summary: 'Measure the rate of matching traffic in a named estimator (read by `-m rateest`).',
  doc: 'Interval and averaging as for tc estimators.',
  example: 'iptables -A FORWARD -o eth0 -j RATEEST --rateest-name eth0 --rateest-interval 250ms --rateest-ewmalog 0.5s',
  options: [
    t('--rateest-name', [arg('string', 'name')], 'The estimator name.'),
    t('--rateest-interval', [arg('any', 'amount{s|ms|us}')], 'Sampling interval.'),
    t('--rateest-ewmalog', [arg('any', 'value')], 'Averaging time constant.'),
  ],
});

export const CLUSTERIP = target({
  name: 'CLUSTERIP',
  families: ['ipv4'],
  hostDependent: 'removed from current kernels (use -m cluster)',
  deprecatedBy: 'cluster',
  summary: 'Old shared-IP clustering target, replaced by the cluster match.',
  doc: 'Kernels since 6.3 no longer have it.',
  example: 'iptables -A INPUT -d 192.0.2.100 -j CLUSTERIP --new --hashmode sourceip --clustermac 01:00:5E:00:00:20 --total-nodes 2 --local-node 1',
  options: [
    t('--new', [], 'Create a new cluster IP.'),
    t('--hashmode', [arg('enum', 'mode', { values: ['sourceip', 'sourceip-sourceport', 'sourceip-sourceport-destport'] })], 'What to hash.'),
    t('--clustermac', [arg('mac-address', 'mac')], 'The shared multicast MAC.'),
    t('--total-nodes', [arg('integer', 'num')], 'Number of nodes.'),
    t('--local-node', [arg('integer', 'num')], 'This node\'s number.'),
    t('--hash-init', [arg('integer', 'rnd')], 'Hash seed.'),
  ],
});
