import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { checkValue } from '../../../server/src/core/knowledge/values/index.ts';

// Names the user writes are looked up in tables of the knowledge base. Object.prototype's own
// names (valueOf, constructor, __proto__, toString…) must read as unknown names, not as its
// functions: `*valueOf` once made the whole analysis fail (found by the fuzz test).
const protoNames = ['valueOf', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'isPrototypeOf'];

const codes = (text: string, dialect: 'save' | 'script') => new FirewallDocument(text, { dialect }).diagnostics().map((d) => d.code);

test('a table named like an Object.prototype member is an unknown table, in a save file and in a script', () => {
  for (const name of protoNames) {
    const save = codes(`*${name}\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n`, 'save');
    assert.ok(!save.includes('internal-error'), `*${name}: ${save.join()}`);
    assert.ok(save.includes('unknown-table'), `*${name}: ${save.join()}`);
    const script = codes(`iptables -t ${name} -A INPUT -j ACCEPT\niptables -t ${name} -P FORWARD DROP\n`, 'script');
    assert.ok(!script.includes('internal-error'), `-t ${name}: ${script.join()}`);
    assert.ok(script.includes('unknown-table'), `-t ${name}: ${script.join()}`);
  }
});

test('sysctl keys, byte units and log levels named like Object.prototype members are not known ones', () => {
  for (const name of protoNames) {
    // not a forwarding switch: the NAT rule still needs ip_forward
    const sysctl = codes(`sysctl -w ${name}=1\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n`, 'script');
    assert.ok(!sysctl.includes('internal-error') && sysctl.includes('missing-ip-forward'), `sysctl ${name}: ${sysctl.join()}`);
    // a byte unit iptables does not know is a warning-level value problem (lower-cased first)
    if (/^[a-z]+$/.test(name)) assert.ok(checkValue('rate-or-bytes', `5${name}/s`, { family: 'ipv4', warnings: true }), `byte unit ${name}`);
    const level = new FirewallDocument(`*filter\n-A INPUT -j LOG --log-level ${name}\nCOMMIT\n`, { dialect: 'save' }).diagnostics();
    const problem = level.find((d) => d.code === 'invalid-value');
    assert.ok(problem, `log level ${name}: ${level.map((d) => d.code).join()}`);
    assert.doesNotMatch(problem.message, /function|\[native code\]/, problem.message);
  }
});

test('ipset commands named like Object.prototype members are no ipset command: no step, in a script or in an ipset restore input', () => {
  for (const name of protoNames) {
    const rs = new FirewallDocument(`ipset ${name} blocklist\nipset restore <<EOF\n${name} other\nEOF\niptables -A INPUT -j ACCEPT\n`, { dialect: 'script' }).ruleSet;
    assert.deepEqual(rs.ipsets, [], `ipset ${name}`);
  }
});
