import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { invalidValue } from './invalid-value.ts';

ruleTable(invalidValue, {
  valid: [
    { code: table('filter', '-A INPUT -p udp -m multiport --dports ntp,domain -j ACCEPT'), name: 'port names of the rule\'s protocol' },
    { code: table('filter', ':INPUT DROP [0:0]\n:x - [0:0]\n-A INPUT -s 10.0.0.0/8,192.168.0.0/255.255.0.0 -d example.org -i eth+ -p tcp --dport ssh --sport 1024: -j ACCEPT') },
    { code: table('filter', '-A INPUT -m conntrack --ctstate established,RELATED -j ACCEPT\n-A INPUT -m state --state NEW -j ACCEPT') },
    { code: table('filter', '-A INPUT -p tcp --tcp-flags SYN,ACK,FIN,RST SYN -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 -j ACCEPT') },
    { code: table('filter', '-A INPUT -p tcp --tcp-flags ALL SYN,FIN -j DROP\n-A INPUT -p tcp --tcp-flags ALL NONE -j DROP\n-A INPUT -p tcp ! --tcp-flags syn,rst syn -j DROP'), name: 'tcp-flags: compared flags within the mask' },
    { code: table('filter', '-A INPUT -p icmp --icmp-type echo-request -m limit --limit 5/sec --limit-burst 10 -j ACCEPT\n-A INPUT -p icmp --icmp-type 3/4 -j ACCEPT') },
    { code: table('filter', '-A INPUT -m mark --mark 0x10/0xff -j LOG --log-level warning --log-prefix "in: "\n-A INPUT -p tcp -j REJECT --reject-with tcp-reset') },
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1-10.0.0.9:8000-8010\n-A POSTROUTING -j MASQUERADE --to-ports 1024-2048') },
    { code: table('filter', '-A INPUT -m time --timestart 08:00 --timestop 18:00 --weekdays Mon,Tue -j ACCEPT') },
    { code: table('filter', '-A INPUT -m mark --mark 0x100/0xf00 -j ACCEPT\n-A INPUT -m connmark --mark 0x1 -j ACCEPT\n-A INPUT -m tos --tos 0x10/0x3f -j ACCEPT\n-A INPUT -m devgroup --src-group 0x10/0xf -j ACCEPT') + table('mangle', '-A PREROUTING -j MARK --set-mark 0x3/0x1\n-A PREROUTING -j CONNMARK --set-xmark 0x30/0x0f\n-A PREROUTING -p tcp -j TPROXY --on-port 1 --tproxy-mark 0x3/0x1'), name: 'mark and TOS tests within their mask, device groups (only the masked bits are compared); marks set with bits outside it (they are set)' },
    { code: 'iptables -A INPUT -p tcp --dport "$PORT" -s $NET -j ACCEPT\niptables -P INPUT "$POLICY"\n', dialect: 'script' },
    { code: 'iptables -N abcdefghijklmnopqrstuvwxyz12\niptables -N x!\niptables -N accept\niptables -N log\nip6tables -N TTL\niptables -N DNPT\niptables -N "$CHAIN"\niptables -E x! also-fine\n', dialect: 'script', name: 'chain names iptables takes: 28 characters, ! inside, lower case, another family\'s target' },
    { code: table('filter', ':abcdefghijklmnopqrstuvwxyz12 - [0:0]\n:x! - [0:0]\n:LOG - [0:0]\n:DNAT - [0:0]'), name: 'chain lines iptables-restore takes: a target\'s name other than a verdict\'s' },
    // iptables 1.8.9 takes the counters as one word too: iptables-save -c shows [2:3]
    { code: table('filter', '-A FORWARD -c 2,3 -j ACCEPT\n-A FORWARD -c2,3 -j ACCEPT\n-I FORWARD -c 4 5 -j ACCEPT'), name: 'counters as two words or one' },
    { code: table('raw', '-A PREROUTING -p tcp -j CT --helper Q.931\n-A PREROUTING -p udp -j CT --helper snmp_trap\n-A PREROUTING -p udp -j CT --helper dhcpv6') + table('filter', '-A FORWARD -m helper --helper ftp-2121 -j ACCEPT\n-A FORWARD -m helper --helper sip -j ACCEPT'), name: 'helpers of the kernel and of conntrackd, one on another port' },
  ],
  invalid: [
    { code: 'iptables -t nat -P PREROUTING «DROP»\n', dialect: 'script', name: 'a DROP policy in the nat table' },
    // iptables-restore loads it (measured, 1.8.9, both backends)
    { code: table('nat', ':PREROUTING «DROP» [0:0]\n:POSTROUTING ACCEPT [0:0]'), severity: 'warning', name: 'a DROP policy of a nat chain line' },
    // values iptables takes but that do not do what they say (measured with iptables 1.8.9: iptables -S shows what it kept)
    { code: 'iptables -A INPUT -m time --weekdays «8» -j ACCEPT\niptables -A INPUT -j LOG --log-prefix «"this prefix is much longer than twenty-nine characters: "»\niptables -A INPUT -s «10.1» -j ACCEPT\niptables -A INPUT -m limit --limit «1.5/s» -j ACCEPT\niptables -A INPUT -s «10.0.0.0/255.0.255.0» -j ACCEPT\niptables -A INPUT -m iprange --src-range «10.0.0.9-10.0.0.1» -j ACCEPT\niptables -A INPUT -m length --length «2000:100» -j DROP\niptables -A INPUT -m mark --mark «0x10/0x0f» -j DROP\niptables -A INPUT -m connmark ! --mark «0x300/0xff» -j DROP\niptables -A INPUT -m tos --tos «0x10/0x0f» -j DROP\niptables -A INPUT -m realm --realm «0x10/0xf» -j DROP\n', dialect: 'script', severity: 'warning', name: 'values iptables takes but that never match or are read otherwise' },
    // iptables -S shows -s 192.168.1.0/24 for the first (iptables 1.8.9, nf_tables)
    { code: 'iptables -A INPUT -s «192.168.1.5/24» -p tcp --dport 22 -j ACCEPT\niptables -A INPUT -d «10.0.0.1,10.2.3.4/16» -j DROP\niptables -A INPUT -m conntrack --ctorigsrc «172.16.1.1/12» -j ACCEPT\niptables -A INPUT -s 192.168.1.0/24 -j ACCEPT\n', dialect: 'script', severity: 'warning', name: 'an address with bits set after its prefix: the whole network' },
    { code: 'ip6tables -A INPUT -s «2001:db8::5/64» -j ACCEPT\nip6tables -A INPUT -s 2001:db8::/64 -j ACCEPT\n', dialect: 'script', severity: 'warning', name: 'the same in ip6tables (ip6tables -S shows 2001:db8::/64)' },
    { code: 'allow() {\n  iptables -A INPUT -p tcp --dport "$1" -j ACCEPT\n}\nallow 22\nallow «99999»\nallow «2x»\n', dialect: 'script', name: 'an argument of a function call, where the call writes it' },
    { code: 'iptables -I INPUT «0» -j ACCEPT\niptables -D INPUT «0»\niptables -R INPUT «00» -j DROP\niptables -I INPUT 1 -j ACCEPT\n', dialect: 'script', name: 'rule number 0' },
    { code: table('filter', '-A INPUT -p tcp -m multiport --dports «ntp» -j ACCEPT'), name: 'a udp-only service name with -p tcp' },
    { code: table('filter', '-A INPUT -s «10.0.0.0/33» -j ACCEPT') },
    // measured with iptables 1.8.9 (nf_tables and legacy): "chain name … too long (must be under 29 chars)", "not allowed to start with", "Invalid chain name", "may not clash with target name"
    { code: 'iptables -N «abcdefghijklmnopqrstuvwxyz123»\niptables -N «\'!x\'»\niptables -N «"a b"»\niptables -N «LOG»\niptables -N «ACCEPT»\nip6tables -N «DNPT»\niptables -N «TTL»\niptables -A INPUT -j «abcdefghijklmnopqrstuvwxyz123»\n', dialect: 'script', name: 'chain names iptables refuses: too long, a leading !, blanks, a target\'s name' },
    { code: table('filter', ':«abcdefghijklmnopqrstuvwxyz123» - [0:0]\n:«!x» - [0:0]\n:«ACCEPT» - [0:0]\n:«RETURN» - [0:0]\n-N «QUEUE»\n-A INPUT -g «abcdefghijklmnopqrstuvwxyz1234»'), name: 'chain lines iptables-restore refuses: too long, a leading !, a verdict\'s name' },
    // iptables 1.8.9 renames (nf_tables), then refuses -j to the long name, and iptables-restore the saved tables
    { code: 'iptables -N x\niptables -E x «abcdefghijklmnopqrstuvwxyz1234»\niptables -N y\niptables -E y «LOG»\niptables -N z\niptables -E z «ACCEPT»\n', dialect: 'script', severity: 'warning', name: 'a rename to a name nothing else takes' },
    { code: table('filter', '-A FORWARD -c «x»,3 -j ACCEPT\n-A FORWARD -c 2,«3b» -j ACCEPT'), name: 'counters joined by a comma, each a number' },
    { code: table('filter', '-A INPUT -s «10.0.0.256» -j ACCEPT') },
    { code: table('filter', '-A INPUT -p tcp --dport «70000» -j ACCEPT') },
    { code: table('filter', '-A INPUT -p tcp --dport «http-typo» -j ACCEPT'), name: 'unknown service name' },
    { code: table('filter', '-A INPUT -m conntrack --ctstate «ESTABLISED,RELATED» -j ACCEPT') },
    { code: table('filter', '-A INPUT -p tcp --tcp-flags «SYN,FOO» SYN -j DROP') },
    { code: table('filter', '-A INPUT -p tcp --tcp-flags SYN,ACK «SYN,FIN» -j DROP\n-A INPUT -p tcp ! --tcp-flags ACK «SYN,ACK» -j DROP'), severity: 'warning', name: 'tcp-flags: a compared flag the mask does not examine never matches' },
    { code: table('filter', '-A INPUT -p icmp --icmp-type «echo-requets» -j ACCEPT') },
    { code: table('filter', '-A INPUT -m mark --mark «0x1/0xffffffffff» -j ACCEPT') },
    { code: table('filter', '-A INPUT -m limit --limit «5/x» -j ACCEPT') },
    { code: table('filter', '-A INPUT -p tcp -m multiport --dports «1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:16» -j ACCEPT'), name: 'multiport counts ranges as two' },
    { code: table('filter', '-A INPUT -i «eth0eth0eth0eth0x» -j ACCEPT'), name: 'interface name longer than 15' },
    { code: table('filter', '-A INPUT -p «tpc» -j ACCEPT') },
    { code: table('filter', ':INPUT «REJECT» [0:0]'), name: 'policy of a built-in chain' },
    { code: 'iptables -P INPUT «REJECT»\n', dialect: 'script' },
    { code: table('filter', '-A INPUT -j LOG --log-level «loud»') },
    // measured (1.8.9, both backends): loaded as --mss 0 --wscale 0, and --rt-type 256 as written
    // measured (1.8.9, both backends): NETMAP's IPv4 prefix past 32 is loaded as /32; ip6tables refuses /129
    { code: table('nat', '-A PREROUTING -d 192.0.2.0/24 -j NETMAP --to «10.0.0.1/33»\n-A PREROUTING -d 192.0.2.0/24 -j NETMAP --to 10.0.0.0/32'), severity: 'warning', name: 'an IPv4 prefix past 32 that NETMAP reads as 32' },
    { code: 'ip6tables -t nat -A PREROUTING -d fd01::/64 -j NETMAP --to «fd00::/129»\n', dialect: 'script', name: 'an IPv6 prefix past 128 in NETMAP' },
    // measured (kernel 6.18): the kernel makes a file of the name, and refuses one that cannot be a file's
    { code: 'iptables -A INPUT -m recent --name «\'\'» --set\niptables -A INPUT -m recent --name «a/b» --set\niptables -A INPUT -m hashlimit --hashlimit-upto 5/s --hashlimit-name «..»\niptables -A OUTPUT -j IDLETIMER --timeout 10 --label «.»\niptables -A OUTPUT -j IDLETIMER --timeout 10 --label "a b.c"\n', dialect: 'script', name: 'names the kernel makes a file of: empty, . and .., a /' },
    { code: table('filter', '-A INPUT -p tcp -j SYNPROXY --mss «65536» --wscale «256»\n-A INPUT -p tcp -j SYNPROXY --mss 65535 --wscale 255'), severity: 'warning', name: 'a value past the field iptables takes and cuts to its low bits' },
    { code: table('filter', '-A INPUT -m rt --rt-type «256» -j DROP\n-A INPUT -m rt --rt-type 255 -j DROP'), family: 'ipv6', severity: 'warning', name: 'a value past the header field: never matches' },
    { code: table('filter', '-A INPUT -p tcp -j SYNPROXY --mss «4294967296»'), name: 'past 2^32-1: refused' },
    // measured (1.8.9, both backends): the kernel refuses a helper name it lacks when the rule is loaded
    { code: table('raw', '-A PREROUTING -p tcp -j CT --helper «FTP»\n-A PREROUTING -p tcp -j CT --helper «h323»\n-A PREROUTING -p tcp -j CT --helper «ftpp»\n-A PREROUTING -p tcp -j CT --helper «ftp-2121»') + table('filter', '-A FORWARD -m helper --helper «FTP» -j ACCEPT\n-A FORWARD -m helper --helper «h323-1720» -j ACCEPT'), severity: 'warning', name: 'a conntrack helper the kernel has not (the match never matches; CT fails to load, with a port too)' },
  ],
});

test('invalid-value: a value read from a script variable is reported where it is used, without a fix that would write over the variable', () => {
  const text = 'ST=ESTABLISHED,RELATD\niptables -A INPUT -m conntrack --ctstate $ST -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATD -j ACCEPT\n';
  const found = lintWith(invalidValue, text, { dialect: 'script' });
  const changes = (d: (typeof found)[number]) => (d.fixes ?? []).filter((f) => f.title.startsWith('Change to')).length;
  assert.deepEqual(found.map((d) => [text.slice(d.span.start, d.span.end), changes(d)]), [['$ST', 0], ['ESTABLISHED,RELATD', 1]]);
});

test('invalid-value: a list of ports after --dport is reported, and fixed with -m multiport', () => {
  const fix = (rule: string, dialect: 'save' | 'script' = 'save') => {
    const text = dialect === 'save' ? table('filter', rule) : rule;
    const [d] = lintWith(invalidValue, text, { dialect });
    assert.ok(d, rule);
    assert.equal(text.slice(d.span.start, d.span.end), /--[ds]port ([^ ]+)/.exec(rule)![1]);
    const own = d.fixes?.filter((f) => !f.title.startsWith('Disable')) ?? [];
    return own.length ? applyFix(text, own[0]) : undefined;
  };
  assert.equal(fix('-A INPUT -p tcp --dport 22,80,443 -j ACCEPT'), table('filter', '-A INPUT -p tcp -m multiport --dports 22,80,443 -j ACCEPT'));
  assert.equal(fix('-A INPUT -p udp ! --sport 53,123 -j DROP'), table('filter', '-A INPUT -p udp -m multiport ! --sports 53,123 -j DROP'));
  assert.equal(fix('iptables -A INPUT -p tcp -m tcp --dport ssh,http:https -j ACCEPT\n', 'script'), 'iptables -A INPUT -p tcp -m tcp -m multiport --dports ssh,http:https -j ACCEPT\n');
  // more than 15 ports do not fit one multiport match; nor a protocol multiport does not know
  assert.equal(fix(`-A INPUT -p tcp --dport ${Array.from({ length: 16 }, (_, i) => 1000 + i).join(',')} -j ACCEPT`), undefined);
  for (const [d] of [lintWith(invalidValue, table('filter', '-A INPUT -p tcp --dport 22,80 -j ACCEPT'))]) assert.notEqual(d.fixes?.[0].safe, true);
});

test('invalid-value: a prefix out of range or read as octal is fixed in place, the address kept', () => {
  const fixed = (rule: string, family?: 'ipv6') => {
    const text = table('filter', rule);
    const [d] = lintWith(invalidValue, text, { family });
    assert.ok(d, rule);
    const own = d.fixes?.filter((f) => !f.title.startsWith('Disable')) ?? [];
    return [d.severity ?? 'error', own.length ? applyFix(text, own[0]) : undefined];
  };
  assert.deepEqual(fixed('-A INPUT -s 10.0.0.0/33 -j ACCEPT'), ['error', table('filter', '-A INPUT -s 10.0.0.0/32 -j ACCEPT')]);
  assert.deepEqual(fixed('-A INPUT -s 2001:db8::/129 -j ACCEPT', 'ipv6'), ['error', table('filter', '-A INPUT -s 2001:db8::/128 -j ACCEPT')]);
  assert.deepEqual(fixed('-A INPUT -s 10.0.0.0/8,192.168.0.0/33 -j ACCEPT'), ['error', table('filter', '-A INPUT -s 10.0.0.0/8,192.168.0.0/32 -j ACCEPT')]);
  // iptables reads /010 as /8 (iptables -S shows 10.0.0.0/8, 1.8.9): the fix writes what it does
  assert.deepEqual(fixed('-A INPUT -s 10.0.0.0/010 -j ACCEPT'), ['warning', table('filter', '-A INPUT -s 10.0.0.0/8 -j ACCEPT')]);
});

test('--limit-burst 0: a warning on the value, with a fix to 1', () => {
  const text = table('filter', '-A INPUT -m limit --limit 5/min --limit-burst 0 -j ACCEPT');
  const found = lintWith(invalidValue, text);
  assert.deepEqual(found.map((d) => [d.severity, text.slice(d.span.start, d.span.end)]), [['warning', '0']]);
  assert.ok(applyFix(text, found[0].fixes![0]).includes('--limit-burst 1 '));
  assert.deepEqual(lintWith(invalidValue, table('filter', '-A INPUT -m limit --limit 5/min --limit-burst 1 -j ACCEPT')), []);
});

test('recent --seconds 0: refused by iptables (1 and up, measured with 1.8.9, both backends)', () => {
  const text = table('filter', '-A INPUT -m recent --rcheck --seconds 0 --name ssh -j DROP');
  assert.deepEqual(lintWith(invalidValue, text).map((d) => [d.severity, text.slice(d.span.start, d.span.end)]), [['error', '0']]);
  assert.deepEqual(lintWith(invalidValue, table('filter', '-A INPUT -m recent --rcheck --seconds 1 --name ssh -j DROP')), []);
});
