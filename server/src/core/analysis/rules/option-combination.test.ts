import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { optionCombination } from './option-combination.ts';

ruleTable(optionCombination, {
  valid: [
    { code: table('mangle', '-A PREROUTING -j MARK --set-mark 1\n-A POSTROUTING -j TTL --ttl-set 64') },
    { code: 'iptables -t filter -t filter -A INPUT -m tcp -p tcp --dport 22 -m tcp --sport 1024: -j ACCEPT\n', dialect: 'script', name: 'a table given twice, a match loaded twice' },
    {
      code: table('mangle', '-A POSTROUTING -j RATEEST --rateest-name a --rateest-interval 250ms --rateest-ewmalog 361ms\n-A POSTROUTING -j RATEEST --rateest-name b --rateest-interval 1 --rateest-ewmalog 2\n-A POSTROUTING -j RATEEST --rateest-name c --rateest-interval 250.0ms --rateest-ewmalog 500.0ms\n-A POSTROUTING -j RATEEST --rateest-name d --rateest-interval 9s --rateest-ewmalog 1s'),
      name: 'averages RATEEST takes (an interval past 8 s is invalid-value\'s)',
    },
    { code: table('filter', '-A INPUT -m conntrack --ctstate NEW -m connlimit --connlimit-above 3 -j REJECT') },
    // measured (1.8.9, Linux 6.18 with HZ=250): every kernel takes these token buckets
    { code: table('filter', '-A INPUT -m limit --limit 1/hour -j LOG\n-A INPUT -m limit --limit 1/day --limit-burst 1 -j LOG\n-A INPUT -m limit --limit-burst 357 -j LOG\n-A INPUT -m limit --limit 5/s --limit-burst 10000 -j ACCEPT\n-A INPUT -m hashlimit --hashlimit-upto 10/day --hashlimit-name a -j ACCEPT\n-A INPUT -m hashlimit --hashlimit-upto 1/day --hashlimit-burst 1 --hashlimit-name b -j ACCEPT\n-A INPUT -m hashlimit --hashlimit-upto 1kb/s --hashlimit-burst 1mb --hashlimit-name c -j ACCEPT\n-A INPUT -m hashlimit --hashlimit-upto $RATE --hashlimit-name d -j ACCEPT'), name: 'rates and bursts whose credits fit the kernel\'s counters' },
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1') },
    { code: 'iptables -A INPUT -m conntrack $STATE -j ACCEPT\n', dialect: 'script', name: 'options hidden in a shell expansion' },
    // the combinations iptables 1.8.9 accepts (nft and legacy, measured in a namespace)
    { code: 'iptables -L -n -v -x --line-numbers\niptables -nvL INPUT\niptables -L -Z -n\niptables -Z INPUT -L INPUT -x\niptables -S -Z -v\n', dialect: 'script', name: 'listing options with -L, -Z combined with a listing' },
    { code: 'iptables -F INPUT -v\niptables -N X -w 5\niptables -X X -4\niptables -F -m tcp --dport 22\niptables -D INPUT 1 -m comment --comment x\n', dialect: 'script', name: 'options every command takes, -m with any' },
    { code: 'iptables -P INPUT DROP -c 0 0\niptables -I INPUT 2 -c 1 2 -s 10.0.0.1 -j ACCEPT\niptables -R INPUT 1 -g X\niptables -D INPUT -p tcp -j ACCEPT\niptables -C INPUT ! -s 10.0.0.1 -j DROP\n', dialect: 'script', name: 'rule options with rule commands, -c with -P' },
    { code: 'iptables $CMD INPUT -p tcp -j ACCEPT\n', dialect: 'script', name: 'command unknown (a shell expansion)' },
    // accepted by iptables-restore 1.8.9 (nf_tables) in a namespace
    { code: table('filter', '-A INPUT -m statistic --mode nth --every 5 --packet 2\n-A INPUT -m recent --name x --rcheck --seconds 5 --reap\n-A INPUT -m hashlimit --hashlimit-upto 5/sec --hashlimit-name x --hashlimit-rate-interval 5\n-A INPUT -j NFQUEUE --queue-balance 0:3 --queue-cpu-fanout') + table('mangle', '-A PREROUTING -j CONNMARK --set-mark 1 --nfmask 0xff'), name: 'options with the ones they need, and those iptables takes alone' },
    // measured (1.8.9, nft and legacy): loaded, and listed back by iptables-save as written here
    {
      code: table('mangle', '-A PREROUTING -m cluster --cluster-local-nodemask 0x00000003 --cluster-total-nodes 2 --cluster-hash-seed 0x00000001 -j MARK --set-mark 1\n-A PREROUTING -m cluster --cluster-total-nodes 2 --cluster-local-node 2 --cluster-hash-seed 1 -j MARK --set-mark 1') +
        table('filter', '-A INPUT -m time --timestart 22:00 --timestop 06:00 --contiguous\n-A INPUT -m time --timestart 06:00 --timestop 06:00 --contiguous\n-A INPUT -m recent --rcheck --rttl --seconds 5 --hitcount 3\n-A INPUT -m recent --set --name x'),
      name: 'a cluster node within the total, a span past midnight, recent tests with --rcheck',
    },
    { code: table('filter', '-A INPUT -m rt --rt-type 0 --rt-0-res\n-A INPUT -m rt --rt-type 0 --rt-0-addrs ::1 --rt-0-not-strict'), family: 'ipv6', name: 'type 0 options after --rt-type 0' },
    {
      code: table('filter', '-A INPUT -m statistic --mode random ! --probability 0.5\n-A OUTPUT -m cgroup ! --path /\n-A OUTPUT -m cgroup --cgroup 1') + table('mangle', '-A PREROUTING -j HMARK --hmark-mod 10 --hmark-rnd 1 --hmark-src-prefix 24'),
      name: 'a statistic mode, HMARK and cgroup with what they need',
    },
  ],
  invalid: [
    { code: table('mangle', '-A PREROUTING -j «MARK»'), name: 'target without its operation' },
    // measured (1.8.9, nft and legacy, iptables and iptables-restore): "multiple -i flags not allowed"
    {
      code: 'iptables -A INPUT -i eth0 «-i» eth1 -j ACCEPT\niptables -A INPUT -s 10.0.0.1 «--source» 10.0.0.2 -j ACCEPT\niptables -A INPUT -p tcp «-p» udp -j ACCEPT\niptables -A INPUT -j ACCEPT «-j» DROP\niptables -N X\niptables -A INPUT -j ACCEPT «-g» X\niptables -A INPUT -o lo ! «-o» eth0 -f «-f» -j DROP\n',
      dialect: 'script',
      name: 'a parameter of iptables given twice',
    },
    { code: table('filter', '-A INPUT -d 10.0.0.1 «-d» 10.0.0.2 -j ACCEPT'), name: 'a parameter given twice in a restore file' },
    {
      code: table('mangle', '-A POSTROUTING -j RATEEST --rateest-name a --rateest-interval 250ms --rateest-ewmalog «360ms»\n-A POSTROUTING -j RATEEST --rateest-name b --rateest-interval 1s --rateest-ewmalog «1s»\n-A POSTROUTING -j RATEEST --rateest-name c --rateest-interval 1us --rateest-ewmalog «2000s»'),
      name: 'an average RATEEST cannot take over its interval',
    },
    { code: table('mangle', '-A OUTPUT -m owner «--suppl-groups» --gid-owner 0-10\n-A OUTPUT -m owner --gid-owner 0-10 --suppl-groups'), name: 'an option before the one it must follow' },
    { code: table('filter', '-A INPUT -m statistic --mode nth --every 5 --packet «5»\n-A INPUT -m statistic --mode nth --packet «9» ! --every 3\n-A INPUT -m statistic --mode nth --every 5 --packet 4'), name: 'a counter start past the count' },
    { code: table('filter', '-A INPUT -m policy --dir in --pol ipsec «--strict»\n-A INPUT -m policy --dir in --pol ipsec --strict --proto esp'), name: 'a strict policy with an empty element' },
    { code: table('filter', '-A INPUT -m «conntrack» -j ACCEPT'), name: 'match without options' },
    // measured (1.8.9, both backends, Linux 6.18 with HZ=250): Numerical result out of range
    { code: table('filter', '-A INPUT -m hashlimit --hashlimit-upto 1/day --hashlimit-burst «2» --hashlimit-name a -j ACCEPT\n-A INPUT -m hashlimit --hashlimit-above 1/day --hashlimit-burst «10» --hashlimit-name b -j DROP'), severity: 'error', name: 'a hashlimit whose burst overflows the kernel\'s credits' },
    { code: table('filter', '-A INPUT -m hashlimit --hashlimit-upto «1/day» --hashlimit-name a -j ACCEPT\n-A INPUT -m hashlimit --hashlimit-above 2/day --hashlimit-burst «4» --hashlimit-name b -j DROP\n-A INPUT -m hashlimit --hashlimit-upto «1kb/day» --hashlimit-name c -j ACCEPT'), severity: 'warning', name: 'a hashlimit refused by kernels of some tick rates (1/day with the default burst: HZ=250 and 1000; 1kb/day is 1 packet a day)' },
    // iptables-legacy only (measured): nf_tables has a limit of its own
    { code: table('filter', '-A INPUT -m limit --limit «1/day» -j LOG\n-A INPUT -m limit --limit-burst «358» -j LOG\n-A INPUT -m limit --limit 1/hour --limit-burst «120» -j LOG'), severity: 'warning', name: 'a limit whose burst overflows the credits of iptables-legacy\'s kernel' },
    { code: table('nat', '-A PREROUTING -j «DNAT»') },
    { code: table('mangle', '-A POSTROUTING -j TTL --ttl-set 64 «--ttl-inc» 1'), name: 'exclusive options' },
    { code: table('filter', '-A INPUT -m connlimit --connlimit-above 1 --connlimit-saddr «--connlimit-daddr»') },
    { code: table('filter', '-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 1 «--icmpv6-type» 2'), family: 'ipv6', name: 'once-only option repeated' },
    { code: table('filter', '-A INPUT «-n» -s 10.0.0.1 «--line-numbers» -j ACCEPT'), name: 'listing options in a restore file' },
    { code: 'iptables -F INPUT «-p» tcp\niptables -L «-s» 10.0.0.1\niptables -Z INPUT «-j» ACCEPT\niptables -N Y «-i» eth0\niptables «-o» eth0 -X Y\niptables -E X Z ! «-f»\n', dialect: 'script', name: 'rule options with listing and chain commands (the option may come first)' },
    { code: 'iptables -D INPUT 1 «-s» 10.0.0.1\niptables -S INPUT «-n»\niptables -Z INPUT «-x»\niptables -S -Z «--line-numbers»\n', dialect: 'script', name: '-D by number takes no rule, -S and -Z no listing options' },
    { code: 'iptables -D INPUT «-c» 1 2 -j ACCEPT\niptables -C INPUT «-c» 0 0 -j ACCEPT\niptables -L «-c» 1 2\n', dialect: 'script', name: '-c only where a rule or policy is set' },
    { code: 'iptables -A INPUT -s 10.0.0.1 «-x»j ACCEPT\n', dialect: 'script', name: 'a letter of a cluster' },
    // refused by iptables-restore 1.8.9 (nf_tables) in a namespace: "option --every also requires --packet", and the like
    { code: table('filter', '-A INPUT -m statistic --mode nth «--every» 5\n-A INPUT -m statistic --mode nth «--packet» 2\n-A INPUT -m recent --name x --rcheck «--reap»\n-A INPUT -m policy --dir in --pol ipsec --proto esp «--next» --proto ah\n-A INPUT -j NFQUEUE --queue-num 1 «--queue-cpu-fanout»'), name: 'an option without the one it needs' },
    // measured (1.8.9, nft and legacy): iptables refuses each ("must be <=", "too big for")
    {
      code: table('mangle', '-A PREROUTING -m cluster --cluster-total-nodes 2 --cluster-local-node «3» --cluster-hash-seed 1 -j MARK --set-mark 1\n-A PREROUTING -m cluster --cluster-total-nodes 2 --cluster-local-nodemask «4» --cluster-hash-seed 1 -j MARK --set-mark 1\n-A PREROUTING -m cluster --cluster-local-nodemask «0x00000008» --cluster-total-nodes 3 --cluster-hash-seed 1 -j MARK --set-mark 1'),
      name: 'a cluster node past the total',
    },
    // iptables refuses --rttl with --remove; the kernel refuses --seconds and --hitcount with --set or
    // --remove (Invalid argument), and `iptables-restore --test` passes them
    {
      code: table('filter', '-A INPUT -m recent --set «--seconds» 3\n-A INPUT -m recent --set «--hitcount» 3\n-A INPUT -m recent --remove «--seconds» 3\n-A INPUT -m recent --remove «--hitcount» 3\n-A INPUT -m recent --remove «--rttl»'),
      name: 'recent tests of age and count with --set or --remove',
    },
    { code: table('filter', '-A INPUT -m rt «--rt-0-res» --rt-type 0\n-A INPUT -m rt --rt-type 1 «--rt-0-res»\n-A INPUT -m rt ! --rt-type 0 «--rt-0-addrs» ::1\n-A INPUT -m rt --rt-type 0 «--rt-0-not-strict» --rt-0-addrs ::1'), family: 'ipv6', name: 'type 0 options before --rt-type 0, or after another type' },
    {
      code: table('filter', '-A INPUT -m time --timestart 06:00 --timestop 22:00 «--contiguous»\n-A INPUT -m time --timestart 22:00 «--contiguous»\n-A INPUT -m time --timestop 06:00 «--contiguous»\n-A INPUT -m time «--contiguous»'),
      name: '--contiguous for a span that does not cross midnight (a time left out is 00:00:00 or 23:59:59)',
    },
    // measured (1.8.9, both backends): "--probability must be specified when using random mode", "you have to
    // specify --hmark-tuple at least", and the kernel's Invalid argument for a cgroup match of nothing
    {
      code: table('filter', '-A INPUT -m statistic --mode «random»\n-A INPUT -m statistic --mode «nth» --probability 0.5\n-A INPUT -m statistic --mode «random» --every 2 --packet 0\n-A OUTPUT -m «cgroup»') +
        table('mangle', '-A PREROUTING -j «HMARK» --hmark-mod 10 --hmark-rnd 1 --hmark-offset 5'),
      name: 'what a statistic mode, HMARK and cgroup need',
    },
    { code: table('mangle', '-A PREROUTING -j SET «--map-set» m src\n-A PREROUTING -j SET --map-set m src --map-mark'), name: 'SET --map-set without what to take from the entry' },
  ],
});

test('option-combination: the fix removes an option the command does not take, with its values and the blank before it', () => {
  const text = 'iptables -F INPUT -p tcp\niptables -nA INPUT -j ACCEPT\n';
  const found = lintWith(optionCombination, text, { dialect: 'script' });
  const applied = found.map((d) => (d.fixes ?? []).filter((f) => f.title.startsWith('Remove')).map((f) => f.edits.reduce((t, e) => t.slice(0, e.span.start) + e.text + t.slice(e.span.end), text).split('\n')[0]));
  assert.deepEqual(applied, [['iptables -F INPUT'], []]);
});
