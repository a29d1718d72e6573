import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, fixFirst, lintWith, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { redirectWithoutInputAccept } from './redirect-without-input-accept.ts';

const script = { dialect: 'script' as const };
/** A router whose INPUT drops by default and takes replies and the LAN's SSH, then `rest`. */
const router = (rest: string) => `iptables -P INPUT DROP\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -i eth1 -p tcp --dport 22 -j ACCEPT\n${rest}`;
const proxy = 'iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128\n';

/** ufw's before.rules redirecting port 80 to 8080 (`redirect` marked or not), with /etc/default/ufw's input policy and user.rules allowing 8080 or not. */
function inUfw(redirect: string, allow8080: boolean, inputPolicy: 'DROP' | 'ACCEPT' = 'DROP') {
  const user = `*filter\n:ufw-user-input - [0:0]\n-A ufw-user-input -p tcp --dport 22 -j ACCEPT\n${allow8080 ? '-A ufw-user-input -p tcp --dport 8080 -j ACCEPT\n' : ''}COMMIT\n`;
  return {
    code: `*nat\n:PREROUTING ACCEPT [0:0]\n-F PREROUTING\n${redirect}\nCOMMIT\n*filter\n:ufw-before-input - [0:0]\n-A ufw-before-input -i lo -j ACCEPT\n-A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n`,
    fileName: '/etc/ufw/before.rules',
    options: { settings: { workspaceUfw: { role: 'before' as const, defaults: { file: '/etc/default/ufw', forwardPolicy: 'DROP' as const, inputPolicy }, files: [{ role: 'user' as const, file: '/etc/ufw/user.rules', text: user }] } } },
    name: `ufw's before.rules redirecting 80 to 8080, DEFAULT_INPUT_POLICY ${inputPolicy}, user.rules ${allow8080 ? 'allowing' : 'not allowing'} 8080`,
  };
}
const UFW_REDIRECT = '-A PREROUTING -i eth0 -p tcp --dport 80 -j REDIRECT --to-ports 8080';

ruleTable(redirectWithoutInputAccept, {
  valid: [
    { ...script, code: router(`iptables -A INPUT -i eth1 -p tcp --dport 3128 -j ACCEPT\n${proxy}`), name: 'the proxy\'s port accepted from the LAN' },
    { ...script, code: router(`iptables -A INPUT -i eth1 -j ACCEPT\n${proxy}`), name: 'everything from the LAN accepted' },
    { ...script, code: router(`iptables -A INPUT -i eth1 -p tcp --dport 3128 -m conntrack --ctstate DNAT -j ACCEPT\n${proxy}`), name: 'accepted for redirected connections only' },
    { ...script, code: router('iptables -A INPUT -i eth1 -p udp --dport 53 -j ACCEPT\niptables -t nat -A PREROUTING -i eth1 -p udp --dport 53 -j REDIRECT\n'), name: 'DNS redirected to the router\'s own resolver, on the port it was sent to, which INPUT accepts' },
    { ...script, code: router('iptables -t nat -A OUTPUT -p tcp --dport 80 -j REDIRECT --to-ports 3128\n'), name: 'the host\'s own connections (nat OUTPUT): they come in over lo' },
    { ...script, code: proxy, name: 'INPUT open' },
    { ...script, code: router('iptables -t nat -N LOCAL_PROXY\niptables -t nat -A OUTPUT -j LOCAL_PROXY\niptables -t nat -A LOCAL_PROXY -p tcp --dport 80 -j REDIRECT --to-ports 3128\n'), name: 'in a user chain only nat OUTPUT jumps to: the host\'s own connections' },
    { ...script, code: router(`iptables -A INPUT -i eth1 -p tcp --dport $PROXY_PORT -j ACCEPT\n${proxy}`), name: 'a port the script decides at run time' },
    { code: '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n-A INPUT -i eth1 -p tcp -m multiport --dports 3128,3129 -j ACCEPT\nCOMMIT\n', name: 'a save file accepting the port by multiport' },
    inUfw(UFW_REDIRECT, true),
    inUfw(UFW_REDIRECT, false, 'ACCEPT'),
  ],
  invalid: [
    { ...script, code: router(`«${proxy.trim()}»\n`), name: 'a transparent proxy whose port INPUT drops' },
    { ...script, code: router(`iptables -A INPUT -i eth1 -p tcp --dport 80 -j ACCEPT\n«${proxy.trim()}»\n`), name: 'the original port accepted, not the new one' },
    { ...script, code: router('«iptables -t nat -A PREROUTING -i eth1 -p udp --dport 53 -j REDIRECT --to-ports 5353»\n'), name: 'DNS sent to a local resolver on another port' },
    { ...script, code: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -A INPUT -j REJECT\n«iptables -t nat -A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 80»\n', name: 'INPUT closed by a last reject' },
    { ...script, code: router('iptables -t nat -N PROXY\niptables -t nat -A PREROUTING -i eth1 -j PROXY\niptables -t nat -A PROXY -d 192.168.1.0/24 -j RETURN\n«iptables -t nat -A PROXY -p tcp --dport 80 -j REDIRECT --to-ports 3128»\n'), name: 'in a user chain of nat' },
    { code: '*nat\n:PREROUTING ACCEPT [0:0]\n«-A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128»\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\nCOMMIT\n', name: 'a save file' },
    { code: '*nat\n:PREROUTING ACCEPT [0:0]\n«-A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128»\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n-A INPUT -p ipv6-icmp -j ACCEPT\nCOMMIT\n', family: 'ipv6', name: 'IPv6' },
    inUfw(`«${UFW_REDIRECT}»`, false),
  ],
});

test('redirect-without-input-accept points at what drops the connections', () => {
  const text = router(proxy);
  const [d] = lintWith(redirectWithoutInputAccept, text, script);
  assert.deepEqual(d.related?.map((r) => text.slice(r.span.start, r.span.end)), ['DROP']);
  const rejecting = 'iptables -A INPUT -j REJECT\niptables -t nat -A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 80\n';
  const [r] = lintWith(redirectWithoutInputAccept, rejecting, script);
  assert.deepEqual(r.related?.map((x) => rejecting.slice(x.span.start, x.span.end)), ['iptables -A INPUT -j REJECT']);
});

test('redirect-without-input-accept fix: the new port accepted at the head of INPUT for redirected connections, in a script and in a save file', () => {
  const s = fixFirst(redirectWithoutInputAccept, router(proxy), script);
  assert.equal(s.left, 0);
  assert.match(s.text, /^iptables -P INPUT DROP\niptables -I INPUT -i eth1 -p tcp --dport 3128 -m conntrack --ctstate DNAT -j ACCEPT\n/);
  const save = '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\nCOMMIT\n';
  const f = fixFirst(redirectWithoutInputAccept, save);
  assert.equal(f.left, 0);
  assert.match(f.text, /:INPUT DROP \[0:0\]\n-A INPUT -i eth1 -p tcp --dport 3128 -m conntrack --ctstate DNAT -j ACCEPT\n-A INPUT -m conntrack/);
});

test('redirect-without-input-accept in ufw\'s before.rules: the input policy of /etc/default/ufw named, and the fix in ufw-before-input', () => {
  const c = inUfw(UFW_REDIRECT, false);
  const [d] = lintWith(redirectWithoutInputAccept, c.code, c);
  assert.deepEqual(d.related?.map((r) => [c.code.slice(r.span.start, r.span.end), /DEFAULT_INPUT_POLICY="DROP" in \/etc\/default\/ufw/.test(r.message)]), [[UFW_REDIRECT, true]]);
  const fixed = applyFix(c.code, d.fixes![0]);
  assert.match(fixed, /-A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A ufw-before-input -i eth0 -p tcp --dport 8080 -m conntrack --ctstate DNAT -j ACCEPT\nCOMMIT/);
  assert.deepEqual(lintWith(redirectWithoutInputAccept, fixed, c), []);
});
