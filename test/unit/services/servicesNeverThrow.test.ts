import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { calleesOf, callersOf, chainNodeAt } from '../../../server/src/core/services/callHierarchy.ts';
import { chainLenses, traceLenses } from '../../../server/src/core/services/codeLens.ts';
import { completionsAt } from '../../../server/src/core/services/completion.ts';
import { explainTerm } from '../../../server/src/core/services/explain.ts';
import { formatSave } from '../../../server/src/core/services/formatSave.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';
import { definitionAt, prepareRenameAt, referencesAt, renameAt } from '../../../server/src/core/services/navigation.ts';
import { packetFields } from '../../../server/src/core/services/packetFields.ts';
import { ruleNumbersIn } from '../../../server/src/core/services/ruleNumbers.ts';
import { semanticTokens } from '../../../server/src/core/services/semanticTokens.ts';
import { setReferencesAt } from '../../../server/src/core/services/setNames.ts';

/**
 * Every editor service on mutated documents, at random offsets: none throws, and every span
 * it returns lies inside the text. The language server calls these on whatever the user is
 * typing; a throw there loses the hover, the completion or the whole request.
 */
const seeds = [
  '*nat\n:PREROUTING ACCEPT [0:0]\n:web - [0:0]\n-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5:8080\n-A PREROUTING -j web\n-A web -p udp --dport 53 -j REDIRECT --to-ports 5353\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:office - [0:0]\n-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A FORWARD -i eth1 -g office\n-A office -p tcp -m multiport --dports 22,443 -j ACCEPT\n-A office -j RETURN\nCOMMIT\n',
  'ipset create blocklist hash:net family inet6\nipset restore <<EOF\ncreate allow hash:ip timeout 0\nEOF\nip6tables -A INPUT -m set --match-set blocklist src -j DROP\niptables -A INPUT -j SET --add-set allow src --timeout 60\nipset destroy blocklist\n',
  'IPT=/sbin/iptables\n$IPT -t nat -A PREROUTING -i wan0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10:8080\n$IPT -N logdrop\n$IPT -A logdrop -j LOG --log-prefix "drop: "\n$IPT -A logdrop -j DROP\n$IPT -A INPUT -s "$NET" -j logdrop\n$IPT -P FORWARD DROP\nsysctl -w net.ipv4.ip_forward=1\n',
];
const alphabet = ['-j ', '-g ', '-N ', '-A ', '-I ', '-P ', '-t ', 'nat', 'filter', 'DNAT', 'ACCEPT', 'web', 'office', 'valueOf', 'constructor', '__proto__', '--to-destination ', '"', '!', '\n', ':', '*', '$', ' ', '-m ', 'tcp', '--dport ', '/32', ',', 'ipset ', 'create ', '--match-set ', 'blocklist', ' -exist'];
const fragment = fc.oneof(fc.constantFrom(...alphabet), fc.string({ maxLength: 6 }));
const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(5), fragment), { maxLength: 5 }), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }))
  .map(([seed, edits, offsets]) => {
    let s = seed;
    for (const [pos, del, ins] of edits) {
      const at = pos % (s.length + 1);
      s = s.slice(0, at) + ins + s.slice(at + del);
    }
    return { text: s, offsets: offsets.map((o) => o % (s.length + 1)) };
  });

function inside(text: string, span: { start: number; end: number } | undefined, what: string): void {
  if (!span) return;
  assert.ok(span.start >= 0 && span.start <= span.end && span.end <= text.length, `${what}: span ${span.start}-${span.end} outside ${text.length}`);
}

test('hover, completion, navigation, rename, call hierarchy, tokens, lenses, packet fields, rule numbers and formatting never throw on mutated documents', () => {
  fc.assert(
    fc.property(mutated, ({ text, offsets }) => {
      for (const dialect of ['save', 'script'] as const) {
        const doc = new FirewallDocument(text, { dialect });
        const rs = doc.ruleSet;
        const chains = doc.chains;
        for (const off of offsets) {
          inside(text, hoverAt(doc, off)?.span, 'hover');
          const c = completionsAt(doc, off);
          if (c) inside(text, c.replace, 'completion');
          for (const r of definitionAt(chains, off)) inside(text, r.span, 'definition');
          for (const r of referencesAt(chains, off, true)) inside(text, r.span, 'references');
          const prep = prepareRenameAt(chains, off);
          if (prep && 'span' in prep) inside(text, prep.span, 'prepareRename');
          renameAt(chains, off, 'renamed');
          for (const r of setReferencesAt(rs, off)?.refs ?? []) inside(text, r.span, 'set reference');
          const node = chainNodeAt(chains, off);
          if (node) {
            inside(text, node.span, 'call hierarchy item');
            inside(text, node.line, 'call hierarchy item line');
            assert.ok(node.line.start <= node.span.start && node.span.end <= node.line.end, 'the item\'s name lies in its line');
            for (const k of [...callersOf(chains, node), ...calleesOf(chains, node)]) for (const s of k.spans) inside(text, s, 'call');
          }
        }
        for (const t of semanticTokens(rs)) inside(text, t.span, 'semantic token');
        for (const l of chainLenses(rs, chains)) inside(text, l.span, 'chain lens');
        for (const l of traceLenses(rs)) inside(text, l.span, 'trace lens');
        packetFields(rs);
        for (const n of ruleNumbersIn(doc, 0, text.length)) {
          inside(text, { start: n.offset, end: n.offset }, 'rule number');
          assert.ok(n.first >= 1 && n.last >= n.first, 'rule numbers count from 1');
        }
        if (dialect === 'save') formatSave(text);
      }
    }),
    { numRuns: 10_000 },
  );
});

test('explain answers or declines any word', () => {
  fc.assert(fc.property(fc.oneof(fc.constantFrom('valueOf', 'constructor', '__proto__', 'toString', 'DNAT', 'PREROUTING', 'nat', '--dport', '-m'), fc.string({ maxLength: 12 })), (w) => void explainTerm(w)), { numRuns: 5000 });
});
