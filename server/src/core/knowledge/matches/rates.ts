import { arg, m, match, mFixed } from '../define.ts';

/** Matches that count, limit or sample packets. */

export const limit = match({
  name: 'limit',
  summary: 'Match at most a given rate of packets (token bucket), e.g. to limit logging or pings.',
  doc: 'Matches until the burst is used up, then at the given average rate. Packets over the limit simply do not match: follow the rule with what to do with them.',
  example: 'iptables -A INPUT -p icmp --icmp-type echo-request -m limit --limit 5/second --limit-burst 10 -j ACCEPT',
  mistakes: ['`-m limit ... -j DROP` drops the packets UNDER the limit; to drop floods, accept under the limit and drop after it.'],
  options: [
    mFixed('--limit', [arg('rate', 'rate[/second|/minute|/hour|/day]')], 'The average rate (default 3/hour).'),
    mFixed('--limit-burst', [arg('integer', 'number')], 'How many packets may match at once before the rate applies (default 5).'),
  ],
});

export const hashlimit = match({
  name: 'hashlimit',
  exclusive: [['--hashlimit-upto', '--hashlimit-above']],
  needsOneOf: [['--hashlimit-upto', '--hashlimit-above', '--hashlimit-rate-match'], ['--hashlimit-name']],
  summary: 'Rate-limit per source or destination (address, port), with one bucket per group.',
  doc: 'Like limit, but keeps a bucket per host or network; `--hashlimit-name` names the table in /proc/net/ipt_hashlimit.',
  example: 'iptables -A INPUT -p tcp --dport 22 -m hashlimit --hashlimit-above 10/minute --hashlimit-mode srcip --hashlimit-name ssh -j DROP',
  options: [
    mFixed('--hashlimit-upto', [arg('rate-or-bytes', 'amount[/second|/minute|/hour|/day]')], 'Match while the rate is at most this.'),
    mFixed('--hashlimit-above', [arg('rate-or-bytes', 'amount[/second|/minute|/hour|/day]')], 'Match when the rate is above this.'),
    mFixed('--hashlimit-burst', [arg('any', 'amount')], 'Burst size (packets, or bytes with a unit).'),
    mFixed('--hashlimit-mode', [arg('enum-list', 'srcip,srcport,dstip,dstport', { values: ['srcip', 'srcport', 'dstip', 'dstport'] })], 'What makes a group.'),
    mFixed('--hashlimit-srcmask', [arg('prefix-length', 'prefix')], 'Group source addresses by this prefix length.'),
    mFixed('--hashlimit-dstmask', [arg('prefix-length', 'prefix')], 'Group destination addresses by this prefix length.'),
    mFixed('--hashlimit-name', [arg('string', 'name')], 'Name of the hash table.', { required: true }),
    mFixed('--hashlimit-htable-size', [arg('integer', 'buckets')], 'Number of hash buckets.'),
    mFixed('--hashlimit-htable-max', [arg('integer', 'entries')], 'Maximum entries.'),
    mFixed('--hashlimit-htable-expire', [arg('integer', 'msec')], 'Idle time after which an entry expires.'),
    mFixed('--hashlimit-htable-gcinterval', [arg('integer', 'msec')], 'Interval of garbage collection.'),
    mFixed('--hashlimit-rate-match', [], 'Classify by measured rate instead of limiting.'),
    mFixed('--hashlimit-rate-interval', [arg('integer', 'sec')], 'Sampling interval for --hashlimit-rate-match.'),
  ],
});

export const recent = match({
  name: 'recent',
  exclusive: [['--set', '--rcheck', '--update', '--remove'], ['--set', '--rttl'], ['--rsource', '--rdest']],
  summary: 'Remember source (or destination) addresses in a list and match on how recently/often they were seen.',
  doc: 'A rule with `--set` adds the address; later rules test it with `--rcheck`/`--update` and `--seconds`/`--hitcount`. The lists are in /proc/net/xt_recent.',
  example: 'iptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 60 --hitcount 4 --name ssh -j DROP',
  options: [
    mFixed('--name', [arg('string', 'name')], 'The list to use (default DEFAULT).'),
    m('--set', [], 'Add the address to the list (always matches).'),
    mFixed('--rsource', [], 'Remember the source address (the default).'),
    mFixed('--rdest', [], 'Remember the destination address.'),
    mFixed('--mask', [arg('netmask', 'netmask')], 'Mask applied to addresses before they are stored.'),
    m('--rcheck', [], 'Match when the address is in the list.'),
    m('--update', [], 'Like --rcheck, and refresh the last-seen time.'),
    m('--remove', [], 'Remove the address from the list; matches if it was there.'),
    mFixed('--seconds', [arg('integer', 'seconds')], 'Only count sightings within this many seconds.'),
    mFixed('--reap', [], 'Drop entries older than --seconds.'),
    mFixed('--hitcount', [arg('integer', 'hits')], 'Require at least this many sightings.'),
    mFixed('--rttl', [], 'Also require the same TTL as when the address was recorded.'),
  ],
});

export const quota = match({
  name: 'quota',
  needsOneOf: [['--quota']],
  summary: 'Match until a byte quota is used up.',
  doc: 'The counter is per rule and decreases as packets match; it is reset when the rule is replaced.',
  example: 'iptables -A FORWARD -s 10.0.0.5 -m quota --quota 1000000000 -j ACCEPT',
  options: [m('--quota', [arg('integer', 'bytes', { max: 18446744073709551615 })], 'The quota in bytes.')],
});

export const statistic = match({
  name: 'statistic',
  needsOneOf: [['--mode']],
  summary: 'Match a random fraction of packets, or every n-th packet.',
  doc: 'kube-proxy load-balances Service endpoints with `--mode random --probability`.',
  example: 'iptables -t nat -A KUBE-SVC-X -m statistic --mode random --probability 0.5 -j KUBE-SEP-A',
  options: [
    mFixed('--mode', [arg('enum', 'random|nth', { values: ['random', 'nth'] })], 'Random sampling or every n-th packet.', { required: true }),
    m('--probability', [arg('probability', 'p')], 'For random mode: the chance (0 to 1) that a packet matches.'),
    m('--every', [arg('integer', 'n')], 'For nth mode: match one packet in every n.'),
    mFixed('--packet', [arg('integer', 'p')], 'For nth mode: the initial counter value.'),
  ],
});

export const rateest = match({
  name: 'rateest',
  hostDependent: 'needs an estimator created by a RATEEST target rule',
  summary: 'Compare rates measured by RATEEST estimators.',
  doc: 'Used for traffic engineering together with the RATEEST target.',
  example: 'iptables -A FORWARD -m rateest --rateest eth0 --rateest-bps-gt 10mbit -j ACCEPT',
  options: [
    mFixed('--rateest-delta', [], 'Compare the free capacity instead of the rate.'),
    m('--rateest-lt', [], 'Rate less than.'),
    m('--rateest-gt', [], 'Rate greater than.'),
    m('--rateest-eq', [], 'Rate equal.'),
    mFixed('--rateest', [arg('string', 'name')], 'The estimator to read.'),
    mFixed('--rateest1', [arg('string', 'name')], 'First estimator of a comparison.'),
    mFixed('--rateest2', [arg('string', 'name')], 'Second estimator of a comparison.'),
    mFixed('--rateest-bps', [arg('any', 'value', { optional: true })], 'Compare bytes per second.'),
    mFixed('--rateest-pps', [arg('any', 'value', { optional: true })], 'Compare packets per second.'),
    mFixed('--rateest-bps1', [arg('any', 'value', { optional: true })], 'Bytes per second of the first estimator.'),
    mFixed('--rateest-bps2', [arg('any', 'value', { optional: true })], 'Bytes per second of the second estimator.'),
    mFixed('--rateest-pps1', [arg('any', 'value', { optional: true })], 'Packets per second of the first estimator.'),
    mFixed('--rateest-pps2', [arg('any', 'value', { optional: true })], 'Packets per second of the second estimator.'),
  ],
});

export const nfacct = match({
  name: 'nfacct',
  needsOneOf: [['--nfacct-name']],
  hostDependent: 'the accounting object must exist (nfacct add NAME)',
  summary: 'Count matching packets in a named extended-accounting object.',
  doc: 'Always matches; read the counters with the `nfacct` tool.',
  example: 'iptables -A INPUT -m nfacct --nfacct-name http-in',
  options: [mFixed('--nfacct-name', [arg('string', 'name')], 'The accounting object.')],
});

export const cluster = match({
  name: 'cluster',
  needsOneOf: [['--cluster-local-node', '--cluster-local-nodemask'], ['--cluster-total-nodes'], ['--cluster-hash-seed']],
  summary: 'Spread traffic over the nodes of a cluster by hashing, so each node handles its share.',
  doc: 'Replaces the CLUSTERIP target.',
  example: 'iptables -A PREROUTING -t mangle -m cluster --cluster-total-nodes 2 --cluster-local-node 1 -j MARK --set-mark 0xffff',
  options: [
    mFixed('--cluster-total-nodes', [arg('integer', 'num')], 'How many nodes share the traffic.'),
    m('--cluster-local-node', [arg('integer', 'num')], 'The number of this node.'),
    m('--cluster-local-nodemask', [arg('integer', 'mask')], 'This node as a bit mask.'),
    mFixed('--cluster-hash-seed', [arg('hex-integer', 'value')], 'Seed of the hash.'),
  ],
});

export const cpu = match({
  name: 'cpu',
  needsOneOf: [['--cpu']],
  summary: 'Match the CPU handling the packet.',
  doc: 'Used to spread work, e.g. redirecting to different local ports per CPU.',
  example: 'iptables -t nat -A PREROUTING -p tcp --dport 80 -m cpu --cpu 0 -j REDIRECT --to-port 8080',
  options: [m('--cpu', [arg('integer', 'number')], 'The CPU number.')],
});

export const time = match({
  name: 'time',
  summary: 'Match by arrival time: time of day, weekdays, days of month, dates.',
  doc: 'Times are UTC unless `--kerneltz` is given. A time span crossing midnight needs `--contiguous` to be one period.',
  example: 'iptables -A FORWARD -m time --timestart 08:00 --timestop 18:00 --weekdays Mon,Tue,Wed,Thu,Fri -j ACCEPT',
  options: [
    mFixed('--datestart', [arg('date', 'YYYY[-MM[-DD[Thh[:mm[:ss]]]]]')], 'From this date.'),
    mFixed('--datestop', [arg('date', 'YYYY[-MM[-DD[Thh[:mm[:ss]]]]]')], 'Until this date.'),
    mFixed('--timestart', [arg('time', 'hh:mm[:ss]')], 'From this time of day.'),
    mFixed('--timestop', [arg('time', 'hh:mm[:ss]')], 'Until this time of day.'),
    m('--monthdays', [arg('monthdays', 'day[,day…]')], 'On these days of the month (1–31).'),
    m('--weekdays', [arg('weekdays', 'day[,day…]')], 'On these weekdays (Mon…Sun or 1…7).'),
    mFixed('--contiguous', [], 'Treat a span crossing midnight as one period.'),
    mFixed('--kerneltz', [], 'Use the kernel time zone instead of UTC.'),
  ],
});
