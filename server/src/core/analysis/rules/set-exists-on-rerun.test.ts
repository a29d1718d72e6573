import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { setExistsOnRerun } from './set-exists-on-rerun.ts';

const script = { dialect: 'script' as const };
const drop = 'iptables -A INPUT -m set --match-set blocklist src -j DROP';

ruleTable(setExistsOnRerun, {
  valid: [
    { ...script, code: `iptables -F INPUT\nipset destroy blocklist 2>/dev/null\nipset create blocklist hash:net\n${drop}\n`, name: 'the rules flushed before the destroy' },
    { ...script, code: `iptables -F\nipset destroy 2>/dev/null\nipset create blocklist hash:net\n${drop}\n`, name: 'the whole table flushed, every set destroyed' },
    { ...script, code: `ipset -exist create blocklist hash:net\nipset flush blocklist\n${drop}\n`, name: '-exist' },
    { ...script, code: `ipset create blocklist hash:net -exist\n${drop}\n`, name: '-exist after the type' },
    { ...script, code: `ipset list blocklist >/dev/null 2>&1 || ipset create blocklist hash:net\n${drop}\n`, name: 'created unless it exists' },
    { ...script, code: `ipset create blocklist hash:net 2>/dev/null || true\n${drop}\n`, name: 'a failure the script expects' },
    { ...script, code: `ipset create tmp hash:net\nipset add tmp 198.51.100.0/24\nipset swap tmp blocklist\nipset destroy tmp\n${drop}\n`, name: 'a temporary set destroyed at the end of the run' },
    { ...script, code: `iptables -D INPUT -m set --match-set blocklist src -j DROP 2>/dev/null\nipset destroy blocklist 2>/dev/null\nipset create blocklist hash:net\n${drop}\n`, name: 'the rule deleted before the destroy' },
    { ...script, code: `ipset create blocklist hash:net\n${drop}\nipset restore < /etc/ipset.conf\n`, name: 'sets restored from a file' },
    { ...script, code: `ipset destroy blocklist\nipset create blocklist hash:net\n`, name: 'no rule uses the set' },
    { ...script, code: `ipset -exist create blocklist hash:net\nipset flush blocklist\nipset add blocklist 198.51.100.0/24\n${drop}\n`, name: 'adds after a flush' },
    { ...script, code: `ipset -exist create blocklist hash:net\nipset add -exist blocklist 198.51.100.0/24\nipset add blocklist 203.0.113.0/24 -exist\n${drop}\n`, name: 'adds with -exist' },
    { ...script, code: `iptables -F\nipset destroy blocklist 2>/dev/null\nipset create blocklist hash:net\nipset add blocklist 198.51.100.0/24\n${drop}\n`, name: 'adds after a destroy that succeeds' },
    { ...script, code: `ipset -exist create new hash:net\nipset flush new\nipset add new 198.51.100.0/24\nipset -exist create blocklist hash:net\nipset swap new blocklist\nipset destroy new\n${drop}\n`, name: 'a set filled afresh and swapped in' },
  ],
  invalid: [
    { ...script, code: `ipset destroy blocklist 2>/dev/null\nipset create «blocklist» hash:net\nipset add blocklist 198.51.100.0/24\niptables -F INPUT\n${drop}\n`, name: 'destroyed before the rules are flushed' },
    { ...script, code: `ipset create «blocklist» hash:net\n${drop}\n`, name: 'nothing destroys it' },
    { ...script, code: `ipset -exist create blocklist hash:net\n«ipset add blocklist 198.51.100.0/24»\nipset -A blocklist 203.0.113.0/24 2>/dev/null\niptables -F\n${drop}\n`, name: 'an add of an entry the last run left (one whose failure is expected is left alone)' },
    { ...script, code: `ipset destroy\nipset create «blocklist» hash:net\niptables -F FORWARD\n${drop}\n`, name: 'another chain flushed' },
    { ...script, code: `ipset destroy blocklist 2>/dev/null\nipset create «blocklist» hash:net\niptables-restore <<EOF\n*filter\n-A INPUT -m set --match-set blocklist src -j DROP\nCOMMIT\nEOF\n`, name: 'rules loaded by iptables-restore after the destroy' },
    { ...script, code: `rules() {\n  ${drop}\n}\nipset destroy blocklist 2>/dev/null\nipset create «blocklist» hash:net\niptables -F\nrules\n`, name: 'the rule in a function called at the end' },
  ],
});

test('set-exists-on-rerun fix: -exist before the name, and the set emptied on the next line, as the line runs ipset', () => {
  for (const [before, after] of [
    ['ipset create blocklist hash:net\n', 'ipset create -exist blocklist hash:net\nipset flush blocklist\n'],
    ['  sudo ipset -q create blocklist hash:net family inet \\\n    hashsize 4096\n', '  sudo ipset -q create -exist blocklist hash:net family inet \\\n    hashsize 4096\n  sudo ipset -q flush blocklist\n'],
    ['IPSET=/usr/sbin/ipset\n$IPSET -N blocklist hash:net\n', 'IPSET=/usr/sbin/ipset\n$IPSET -N -exist blocklist hash:net\n$IPSET flush blocklist\n'],
  ]) {
    const text = `${before}${drop}\n`;
    const [d] = lintWith(setExistsOnRerun, text, script);
    assert.ok(d, before);
    const out = applyFix(text, d.fixes![0]);
    assert.equal(out, `${after}${drop}\n`);
    assert.deepEqual(lintWith(setExistsOnRerun, out, script), []);
  }
  // inside an ipset restore input: no fix
  const restore = `ipset restore <<EOF\ncreate blocklist hash:net\nEOF\n${drop}\n`;
  assert.deepEqual(lintWith(setExistsOnRerun, restore, script).map((d) => (d.fixes ?? []).filter((f) => !f.suppression)), [[]]);
});
