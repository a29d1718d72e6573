import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { completionsAt, MAX_CHAIN_ITEMS } from '../../../server/src/core/services/completion.ts';
import { kubeProxyDump } from '../../support/kubeDump.ts';
import { rules } from '../../../server/src/core/analysis/registry.ts';

function at(text: string, marker: string, dialect: 'save' | 'script' = 'save') {
  const doc = new FirewallDocument(text.replace('|', ''), { dialect });
  const r = completionsAt(doc, text.indexOf(marker));
  assert.ok(r);
  return r;
}

test('a few chains: every one is offered after -j, with the targets, and the list is complete', () => {
  const r = at('*filter\n:a - [0:0]\n:b - [0:0]\n-A INPUT -j |\nCOMMIT\n', '|');
  const labels = r.items.map((i) => i.label);
  assert.ok(labels.includes('a') && labels.includes('b') && labels.includes('ACCEPT'));
  assert.equal(r.incomplete, false);
});

test('thousands of chains: only the best matches for the typed prefix, marked incomplete', () => {
  const dump = kubeProxyDump(3000).text;
  // a rule being written at the end of the nat table
  const commit = dump.indexOf('COMMIT\n', dump.indexOf('*nat'));
  const marked = `${dump.slice(0, commit)}-A KUBE-SERVICES -j |\n${dump.slice(commit)}`;
  const doc = new FirewallDocument(dump, { dialect: 'save' });
  const chains = [...doc.ruleSet.tables.get('ipv4:nat')!.chains.values()].filter((c) => !c.builtin).length;
  assert.ok(chains > MAX_CHAIN_ITEMS, `${chains} chains`);

  const empty = at(marked, '|');
  const chainItems = empty.items.filter((i) => i.kind === 'chain');
  assert.equal(empty.incomplete, true);
  assert.equal(chainItems.length, MAX_CHAIN_ITEMS);
  assert.ok(empty.items.some((i) => i.label === 'DNAT'), 'targets are still offered');

  const typed = at(marked.replace('-j |', '-j KUBE-SEP-|'), '|');
  assert.ok(typed.items.filter((i) => i.kind === 'chain').every((i) => i.label.startsWith('KUBE-SEP-')));
  const name = [...doc.ruleSet.tables.get('ipv4:nat')!.chains.keys()].find((n) => n.startsWith('KUBE-SVC-'))!;
  const exact = at(marked.replace('-j |', `-j ${name.toLowerCase().slice(0, 14)}|`), '|');
  assert.equal(exact.items.filter((i) => i.kind === 'chain')[0].label.slice(0, 14), name.slice(0, 14), 'case does not matter');
});

test('the table is the nearest table line above, also in a file too big to be analysed', () => {
  const text = '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n# a comment\n-A PREROUTING -p tcp -j |\nCOMMIT\n';
  const offset = text.indexOf('|');
  for (const maxBytes of [undefined, 10]) {
    const doc = new FirewallDocument(text.replace('|', ''), { dialect: 'save', maxBytes });
    assert.equal(doc.skipped !== undefined, maxBytes !== undefined);
    const labels = completionsAt(doc, offset)?.items.map((i) => i.label) ?? [];
    assert.ok(labels.includes('DNAT') && !labels.includes('REJECT'), `maxBytes ${maxBytes}: ${labels.join(' ')}`);
  }
});

test('in an iptables-lint comment: the directives, then the diagnostic codes not given yet', () => {
  const labels = (text: string, dialect: 'save' | 'script' = 'save') => {
    const r = completionsAt(new FirewallDocument(text, { dialect }), text.length)!;
    return { labels: r.items.map((i) => i.label), replace: r.replace };
  };
  assert.deepEqual(labels('*filter\n# iptables-lint dis').labels, ['disable-next-line', 'disable']);
  const codes = labels('*filter\n# iptables-lint disable-next-line unused-chain, missing-m');
  assert.deepEqual(codes.labels, rules.map((r) => r.code).filter((c) => c !== 'unused-chain'));
  const at = '*filter\n# iptables-lint disable-next-line unused-chain, '.length;
  assert.deepEqual(codes.replace, { start: at, end: at + 'missing-m'.length });
  assert.ok(labels('  # iptables-lint disable ', 'script').labels.includes('ssh-lockout-risk'));
  // an ordinary comment: nothing
  assert.equal(completionsAt(new FirewallDocument('*filter\n# keep ', { dialect: 'save' }), '*filter\n# keep '.length), undefined);
});

test('superseded matches and targets are offered last, marked deprecated (state, NOTRACK, ULOG, CLUSTERIP)', () => {
  const deprecatedLast = (items: { label: string; deprecated?: true }[], expected: string[]) => {
    const marked = items.filter((i) => i.deprecated).map((i) => i.label);
    assert.deepEqual(marked.sort(), [...expected].sort());
    const firstMarked = items.findIndex((i) => i.deprecated);
    assert.ok(items.slice(0, firstMarked).every((i) => !i.deprecated));
    // together, after the others (a target list goes on with the user chains)
    assert.ok(items.slice(firstMarked, firstMarked + marked.length).every((i) => i.deprecated));
  };
  deprecatedLast(at('*filter\n-A INPUT -m |\nCOMMIT\n', '|').items, ['state']);
  deprecatedLast(at('*filter\n-A INPUT -j |\nCOMMIT\n', '|').items, ['CLUSTERIP', 'ULOG']);
  deprecatedLast(at('*raw\n-A PREROUTING -j |\nCOMMIT\n', '|').items, ['CLUSTERIP', 'NOTRACK', 'ULOG']);
});

/** Completion at `|` in a script (the marker removed). */
function inScript(text: string) {
  return at(text, '|', 'script').items;
}

test('after an option whose value is open, the values the file writes for that kind of option, most used first; never options', () => {
  const script = [
    'LAN=192.168.1.0/24',
    'iptables -A INPUT -i lan0 -s $LAN -j ACCEPT',
    'iptables -A FORWARD -i lan0 -o wan0 -s $LAN -j ACCEPT',
    'iptables -A FORWARD -i wan0 -o lan0 -d 192.168.1.10 -p tcp --dport 8080 -j ACCEPT',
    'iptables -t nat -A PREROUTING -i wan0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10:8080',
    'iptables -A INPUT -p tcp -m multiport --dports 22,8080 -j ACCEPT',
    '',
  ].join('\n');
  const labels = (items: { label: string }[]) => items.map((i) => i.label);
  // interfaces: lan0 and wan0 three times each (the names sort the tie), then the loopback
  assert.deepEqual(labels(inScript(`${script}iptables -A INPUT -i |`)), ['lan0', 'wan0', 'lo']);
  assert.deepEqual(labels(inScript(`${script}iptables -A OUTPUT -o |`)), ['lan0', 'wan0', 'lo']);
  // addresses: -s and -d alike, a shell variable as written
  assert.deepEqual(labels(inScript(`${script}iptables -A INPUT -s |`)), ['$LAN', '192.168.1.10']);
  // ports: those of the file (8080 twice: --dport and the multiport list), then well-known tcp services; udp's ntp is not one
  const ports = labels(inScript(`${script}iptables -A INPUT -p tcp --dport |`));
  assert.deepEqual(ports.slice(0, 3), ['8080', '22', '80']);
  assert.ok(ports.includes('443') && !ports.includes('123'), ports.join(' '));
  assert.ok(labels(inScript(`${script}iptables -A INPUT -p udp --dport |`)).includes('123'));
  // an item of a comma list: after the comma
  assert.ok(labels(inScript(`${script}iptables -A INPUT -p tcp -m multiport --dports 22,|`)).includes('22,8080'));
  assert.deepEqual(labels(inScript(`${script}iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination |`)), ['192.168.1.10:8080']);
  // an item already in the list is not offered again
  assert.ok(!labels(inScript(`${script}iptables -A INPUT -p tcp -m multiport --dports 22,|`)).includes('22,22'));
  // a value with nothing to offer: nothing, where options were offered before
  assert.deepEqual(inScript(`${script}iptables -A INPUT -m limit --limit |`), []);
  const states = labels(at('*filter\n-A INPUT -m conntrack --ctstate NEW,|\nCOMMIT\n', '|').items);
  assert.ok(states.includes('NEW,ESTABLISHED') && !states.includes('NEW,NEW'), states.join(' '));
  // a rate's number: its units
  assert.deepEqual(labels(inScript(`${script}iptables -A INPUT -m limit --limit 5|`)), ['5/second', '5/minute', '5/hour', '5/day']);
  assert.deepEqual(inScript(`${script}iptables -A INPUT -m comment --comment |`), []);
  // an option without a value is followed by options
  assert.ok(labels(inScript(`${script}iptables -A INPUT -p tcp --syn |`)).includes('--destination-port'));
});

test('the values offered come from the rules near the cursor, not the one being written, and stay fast on a 100k-rule dump', () => {
  const save = '*filter\n-A INPUT -i eth0 -j ACCEPT\n-A INPUT -i |\nCOMMIT\n';
  assert.deepEqual(at(save, '|').items.map((i) => i.label), ['eth0', 'lo']);
  const dump = kubeProxyDump(100_000).text;
  const commit = dump.indexOf('COMMIT\n', dump.indexOf('*nat'));
  const marked = `${dump.slice(0, commit)}-A KUBE-SERVICES -d |\n${dump.slice(commit)}`;
  const doc = new FirewallDocument(marked.replace('|', ''), { dialect: 'save' });
  void doc.ruleSet;
  // the best of three: one call can meet a collection of the 100k-rule model on a busy machine
  let ms = Infinity;
  let r: ReturnType<typeof completionsAt> | undefined;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    r = completionsAt(doc, marked.indexOf('|'));
    ms = Math.min(ms, performance.now() - t0);
  }
  assert.ok(r && r.items.length > 0 && r.items.length <= 50, `${r?.items.length} items`);
  assert.ok(r.items.every((i) => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(i.label)), r.items.map((i) => i.label).join(' '));
  // a window of rules is read, not the 100k: well under the editor's 20 ms budget here
  assert.ok(ms < 200, `${ms.toFixed(1)} ms`);
});

test('options offered fit the command: no second command, nothing its kind refuses, no rule parameter twice, none the built-in chain refuses', () => {
  const labels = (text: string) => inScript(text).map((i) => i.label);
  const rule = labels('iptables -A INPUT -p tcp |');
  for (const gone of ['--append', '--list', '--policy', '--protocol', '--out-interface', '--line-numbers', '--numeric', '--help']) assert.ok(!rule.includes(gone), `${gone} in ${rule.join(' ')}`);
  for (const kept of ['--destination-port', '--source', '--in-interface', '--match', '--jump', '--wait']) assert.ok(rule.includes(kept), `${kept} missing from ${rule.join(' ')}`);
  assert.ok(!labels('iptables -A OUTPUT |').includes('--in-interface'));
  assert.ok(labels('iptables -A OUTPUT |').includes('--out-interface'));
  // a listing takes the listing options, not rule parameters
  const list = labels('iptables -L INPUT |');
  assert.ok(list.includes('--line-numbers') && list.includes('--numeric') && !list.includes('--source'), list.join(' '));
  // nothing chosen yet: the commands are offered
  assert.ok(labels('iptables |').includes('--append'));
  // -t in a script; not on a save file's rule line, where iptables-restore refuses it
  assert.ok(rule.includes('--table'));
  const saveLine = at('*filter\n-A INPUT -p tcp |\nCOMMIT\n', '|').items.map((i) => i.label);
  assert.ok(saveLine.includes('--destination-port') && !saveLine.includes('--table'), saveLine.join(' '));
  // the table of a save file's rule line is its block's: no -o in nat PREROUTING
  const natLine = at('*nat\n-A PREROUTING -p tcp |\nCOMMIT\n', '|').items.map((i) => i.label);
  assert.ok(natLine.includes('--in-interface') && !natLine.includes('--out-interface'), natLine.join(' '));
});

test('after --match-set and -j SET --add-set: the sets the script creates for the family, then those the rules name', () => {
  const script = 'ipset create blocklist hash:net\nipset create v6 hash:net family inet6\nipset create trusted list:set\niptables -A INPUT -m set --match-set f2b-sshd src -j DROP\niptables -A INPUT -m set --match-set |\n';
  assert.deepEqual(at(script, '|', 'script').items.map((i) => i.label), ['blocklist', 'trusted', 'f2b-sshd']);
  assert.deepEqual(at(script.replace('iptables -A INPUT -m set --match-set |', 'ip6tables -A INPUT -m set --match-set |'), '|', 'script').items.map((i) => i.label), ['v6', 'trusted', 'f2b-sshd']);
  assert.deepEqual(at(script.replace('-m set --match-set |', '-p tcp -j SET --add-set bl|'), '|', 'script').items.map((i) => i.label), ['blocklist', 'trusted', 'f2b-sshd']);
  // a save file: the sets its rules name
  const save = '*filter\n-A INPUT -m set --match-set allow src -j ACCEPT\n-A INPUT -m set --match-set deny src -j DROP\n-A INPUT -m set --match-set deny dst -j DROP\n-A INPUT -m set ! --match-set |\nCOMMIT\n';
  assert.deepEqual(at(save, '|').items.map((i) => i.label), ['deny', 'allow']);
});

test('after --hashlimit-name, --rateest and recent\'s --name: the names the rules use, with the rule that makes each', () => {
  const save = [
    '*mangle',
    '-A PREROUTING -i eth0 -j RATEEST --rateest-name wan --rateest-interval 250ms --rateest-ewmalog 500ms',
    '-A PREROUTING -i eth1 -j RATEEST --rateest-name lan --rateest-interval 250ms --rateest-ewmalog 500ms',
    'COMMIT',
    '*filter',
    '-A INPUT -m rateest --rateest wan --rateest-gt --rateest-bps 1mbit -j DROP',
    '-A INPUT -m rateest --rateest1 guest --rateest-gt --rateest2 wan --rateest-bps -j DROP',
    '-A INPUT -p icmp -m hashlimit --hashlimit-above 10/sec --hashlimit-name flood -j DROP',
    '-A INPUT -p tcp --dport 22 -m recent --set --name SSH',
    '-A INPUT -p tcp --dport 22 -m recent --update --name SSH2 -j DROP',
    '-A INPUT -m rateest --rateest |',
    'COMMIT',
    '',
  ].join('\n');
  const items = (text: string) => at(text, '|').items.map((i) => [i.label, i.detail]);
  // a rateest match reads an estimator a RATEEST makes: not one only another match names
  assert.deepEqual(items(save), [['wan', 'made by the RATEEST on line 2'], ['lan', 'made by the RATEEST on line 3']]);
  assert.deepEqual(items(save.replace('-m rateest --rateest |', '-p udp -m hashlimit --hashlimit-above 5/s --hashlimit-name |')), [['flood', 'made on line 8: a rule naming it shares its settings']]);
  assert.deepEqual(items(save.replace('-m rateest --rateest |', '-m recent --rcheck --name |')), [['SSH', 'filled by --set on line 9'], ['SSH2', 'read on line 10']]);
});

test('after IDLETIMER\'s --label: the timers the rules make, of both families; not after connlabel\'s --label', () => {
  const script = [
    'iptables -t mangle -A PREROUTING -i wlan0 -j IDLETIMER --timeout 60 --label wlan0 --alarm',
    'ip6tables -t mangle -A PREROUTING -i rmnet0 -j IDLETIMER --timeout 30 --label rmnet0',
    'iptables -A INPUT -m connlabel --label web -j ACCEPT',
    'iptables -t mangle -A POSTROUTING -o wlan0 -j IDLETIMER --timeout 60 --label |',
    '',
  ].join('\n');
  const items = (text: string) => at(text, '|', 'script').items.map((i) => [i.label, i.detail]);
  assert.deepEqual(items(script), [['wlan0', 'made on line 1: a rule naming it restarts that timer'], ['rmnet0', 'made on line 2: a rule naming it restarts that timer']]);
  assert.ok(!items(script.replace('-j IDLETIMER --timeout 60 --label |', '-m connlabel --label |')).some(([l]) => l === 'wlan0'));
});

test('CT --helper offers the kernel\'s helpers of the file\'s family, with their protocol and port', () => {
  const text = '*raw\n-A PREROUTING -p tcp -j CT --helper |\nCOMMIT\n';
  const v4 = at(text, '|').items;
  assert.deepEqual(v4.map((i) => i.label).sort(), ['Q.931', 'RAS', 'amanda', 'ftp', 'irc', 'netbios-ns', 'pptp', 'sane', 'sip', 'snmp', 'snmp_trap', 'tftp']);
  assert.match(v4.find((i) => i.label === 'ftp')!.detail ?? '', /^tcp 21/);
  const doc = new FirewallDocument(text.replace('|', ''), { dialect: 'save', family: 'ipv6' });
  const v6 = completionsAt(doc, text.indexOf('|'))!.items.map((i) => i.label);
  assert.ok(v6.includes('ftp') && !v6.includes('irc') && !v6.includes('pptp'), v6.join(' '));
});

test('completion after `$` in a script: the variables known there, with their values and where they were set', () => {
  const text = 'LAN=eth1\n. /etc/fw.conf\niptables -A FORWARD -i $\niptables -A FORWARD -o ${W\nX=1\nX=2\n';
  const doc = new FirewallDocument(text, { dialect: 'script', sourced: new Map([['/etc/fw.conf', { file: '/srv/fw.conf', text: 'WAN=eth0\nWEB=10.0.0.5\n' }]]) });
  const at = (needle: string) => completionsAt(doc, text.indexOf(needle) + needle.length)!;
  const all = at('-i $');
  assert.deepEqual(all.items.map((i) => [i.label, i.kind, i.detail]), [
    ['$LAN', 'variable', 'eth1 (set in line 1)'],
    ['$WAN', 'variable', 'eth0 (set in /srv/fw.conf, line 1)'],
    ['$WEB', 'variable', '10.0.0.5 (set in /srv/fw.conf, line 2)'],
  ]);
  assert.deepEqual(all.replace, { start: text.indexOf('-i $') + 3, end: text.indexOf('-i $') + 4 });
  // braces kept, the prefix typed narrows; X is set twice: not offered
  assert.deepEqual(at('-o ${W').items.map((i) => i.label), ['${WAN}', '${WEB}']);
});
