import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintText } from '../../server/src/core/facade.ts';
import { targets } from '../../server/src/core/knowledge/index.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * Chain names, made by -N, declared by iptables-restore's chain lines and given by -E, tried on
 * the real iptables in a namespace of this test's own: a name is refused exactly where
 * invalid-value reports an error, on both backends where they agree.
 */
const { ns, skip } = NamespaceIptables.forTests('chain names in a namespace');

/** Names on the edge of each of iptables' checks, and every target the knowledge base has. */
const NAMES = ['abcdefghijklmnopqrstuvwxyz12', 'abcdefghijklmnopqrstuvwxyz123', '!x', 'x!', 'a b', 'a:b', 'accept', 'log', ...targets.map((t) => t.name)];

function errorsOf(text: string, dialect: 'script' | 'save', family: 'ipv4' | 'ipv6' = 'ipv4') {
  return lintText(text, { dialect, family }).diagnostics.filter((d) => d.code === 'invalid-value');
}

const quoted = (name: string) => `'${name}'`;

test('iptables -N and ip6tables -N refuse a chain name exactly where invalid-value reports one', { skip }, () => {
  const disagree: string[] = [];
  for (const tool of ['iptables', 'ip6tables'] as const) {
    for (const name of NAMES) {
      const script = `${tool} -N ${quoted(name)}\n`;
      const reported = errorsOf(script, 'script').filter((d) => d.severity === 'error').length > 0;
      const r = ns.run([tool, '-N', name]);
      if (r.ok) ns.run([tool, '-X', name]);
      if (reported === r.ok) disagree.push(`${tool} -N ${name}: iptables ${r.ok ? 'took it' : `refused it (${r.err.split('\n')[0]})`}, invalid-value ${reported ? 'reports it' : 'does not'}`);
    }
  }
  assert.deepEqual(disagree, []);
});

test('iptables-restore refuses a chain line exactly where invalid-value reports its name (nf_tables, and legacy but for a leading !)', { skip }, () => {
  const disagree: string[] = [];
  for (const name of NAMES.filter((n) => !/\s/.test(n))) {
    const text = `*filter\n:INPUT ACCEPT [0:0]\n:${name} - [0:0]\nCOMMIT\n`;
    const reported = errorsOf(text, 'save').length > 0;
    const nft = ns.run(['iptables-nft-restore', '--test'], text);
    const legacy = ns.run(['iptables-legacy-restore', '--test'], text);
    if (reported === nft.ok) disagree.push(`:${name}: iptables-nft-restore ${nft.ok ? 'took it' : 'refused it'}, invalid-value ${reported ? 'reports it' : 'does not'}`);
    // iptables-legacy-restore takes a name that starts with ! (the usual nf_tables backend does not)
    if (!name.startsWith('!') && nft.ok !== legacy.ok) disagree.push(`:${name}: the backends disagree`);
  }
  assert.deepEqual(disagree, []);
});

test('-j and -g to a name over 28 characters are refused where invalid-value reports them', { skip }, () => {
  for (const [name, refused] of [['abcdefghijklmnopqrstuvwxyz12', false], ['abcdefghijklmnopqrstuvwxyz123', true]] as const) {
    for (const how of ['-j', '-g']) {
      const script = `iptables -N ${name}\niptables -A INPUT ${how} ${name}\n`;
      const reported = errorsOf(script, 'script').filter((d) => d.span.start > script.indexOf('\n'));
      ns.run(['iptables', '-F']);
      ns.run(['iptables', '-X']);
      ns.run(['iptables', '-N', 'placeholder']);
      const r = ns.run(['iptables', '-A', 'INPUT', how, name]);
      assert.equal(r.ok, false, `${how} ${name}: there is no such chain, so iptables refuses it either way`);
      // the reason: the name itself, or only that the chain is missing
      assert.equal(/28 chars max/.test(r.err), refused, `${how} ${name}: ${r.err}`);
      assert.equal(reported.length > 0, refused, `${how} ${name}`);
    }
  }
});

test('a rename to a name nothing else takes: iptables makes it, then -j and a restore of the saved tables fail where invalid-value warns', { skip }, () => {
  const cases = [
    { name: 'abcdefghijklmnopqrstuvwxyz1234', jumps: false, restores: false },
    { name: 'ACCEPT', jumps: false, restores: false },
    { name: 'LOG', jumps: false, restores: true },
    { name: 'renamed-fine', jumps: true, restores: true },
  ];
  for (const c of cases) {
    const script = `iptables -N old\niptables -E old ${c.name}\n`;
    const warned = errorsOf(script, 'script').filter((d) => d.severity === 'warning').length > 0;
    ns.run(['iptables', '-F']);
    ns.run(['iptables', '-X']);
    assert.ok(ns.run(['iptables', '-N', 'old']).ok);
    const renamed = ns.run(['iptables', '-E', 'old', c.name]);
    assert.ok(renamed.ok, `iptables -E old ${c.name}: ${renamed.err}`);
    const jump = ns.run(['iptables', '-A', 'INPUT', '-j', c.name]);
    const saved = ns.run(['iptables-save']).out;
    assert.equal(ns.run(['iptables-restore', '--test'], saved).ok, c.restores, `iptables-restore of the saved tables with chain ${c.name}`);
    // the jump reached the chain when the chain cannot be deleted now (a rule refers to it);
    // -j LOG and -j ACCEPT are the target and the verdict, and leave the chain free
    const reachesChain = jump.ok && !ns.run(['iptables', '-X', c.name]).ok;
    assert.equal(reachesChain, c.jumps, `-j ${c.name} after the rename`);
    assert.equal(warned, !c.jumps || !c.restores, `invalid-value on the rename to ${c.name}`);
  }
});
