import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { dnatChecks } from '../../../server/src/core/analysis/dnatPaths.ts';
import { kubeProxyDump } from '../../support/kubeDump.ts';

/**
 * Edits of rule lines (in place, or lines that come and go) are applied to the previous rule
 * set (and what the analysis knew of it) instead of rebuilding the tables. Whatever the edit,
 * the result must be what a fresh parse says.
 */

// a kube-proxy dump plus what the carried facts must keep right: a forward path that drops,
// a loop (c jumps to itself), rules without tests, a DNAT in a mangle chain (target-not-allowed-here),
// a user chain whose accept a jump to a log-and-drop chain shadows (shadowed-rule)
const extra = [
  '*filter',
  ':FORWARD DROP [0:0]',
  ':a - [0:0]',
  ':b - [0:0]',
  ':c - [0:0]',
  ':LOGDROP - [0:0]',
  ':wan - [0:0]',
  '-A FORWARD -p tcp -d 10.244.0.7 --dport 8080 -j ACCEPT',
  '-A FORWARD -j a',
  '-A FORWARD -i eth0 -j wan',
  '-A wan -s 10.0.0.0/8 -j LOGDROP',
  '-A wan -s 10.1.2.3 -j ACCEPT',
  '-A LOGDROP -j LOG',
  '-A LOGDROP -j DROP',
  '-A a -p udp -j b',
  '-A b -s 10.0.0.0/8 -j RETURN',
  '-A b -j DROP',
  '-A b -p tcp -j ACCEPT',
  '-A b -p tcp --dport 99 -j c',
  '-A c -p tcp --dport 80 -j c',
  'COMMIT',
  '*mangle',
  ':PREROUTING ACCEPT [0:0]',
  ':m - [0:0]',
  '-A PREROUTING -j m',
  '-A m -p tcp -j MARK --set-mark 1',
  '-A m -p tcp -j MARK --set-mark 2',
  '-A m -p tcp --dport 81 -j DNAT --to-destination 10.0.0.1',
  'COMMIT',
  '',
].join('\n');
const dump = kubeProxyDump(120).text;
// the extra filter lines go into the dump's own *filter block: a second block would empty the
// table again (see repeated-table-block)
const filterEnd = dump.indexOf('COMMIT\n', dump.indexOf('*filter'));
const extraFilter = extra.slice('*filter\n'.length, extra.indexOf('COMMIT\n'));
const base = dump.slice(0, filterEnd) + extraFilter + dump.slice(filterEnd) + extra.slice(extra.indexOf('COMMIT\n') + 'COMMIT\n'.length);
const lines = base.split('\n');
const ruleLines = lines.map((l, i) => (l.startsWith('-A ') ? i : -1)).filter((i) => i >= 0);

// replacements within a rule line: most keep the line a rule of the same chain (the patched
// path), some change its target, its chain or what it is; and lines added or removed
const swaps: ([RegExp, string] | 'join-next' | 'delete-line')[] = [
  [/--dport \d+/, '--dport 8081'],
  [/8080/, '9090'],
  [/10\.244\.0\.\d+/, '10.244.0.7'],
  [/-j ACCEPT/, '-j DROP'],
  [/-j DROP/, '-j ACCEPT'],
  [/-j ACCEPT/, '-j RETURN'],
  [/-j MARK --set-xmark \S+/, '-j LOG'],
  [/-j [A-Z-]+/, '-j KUBE-MARK-MASQ'],
  [/-j [A-Z0-9-]+/, '-j a'],
  [/-j [A-Z0-9-]+/, '-j MASQUERADE'],
  [/ -[ps] \S+/, ''],
  [/ -m comment --comment "[^"]*"/, ''],
  [/-A (\S+)/, '-A $1 -p udp'],
  [/-A \S+/, '-A b'],
  [/-A \S+ .*$/, '-A $& -j'],
  [/--to-destination \S+/, '--to-destination $WAN'],
  [/--to-destination \S+/, '--to-destination x10.0.0.5'],
  [/^-A /, '-I '],
  [/^.*$/, ''],
  [/^.*$/, '# a comment'],
  // lines added and removed around rules: Enter at the end, a comment above, an indented comment
  [/$/, '\n'],
  [/^/, '# note\n'],
  [/^/, '  # indented\n'],
  'join-next',
  // rule lines that come or go: a line duplicated, deleted, a rule begun on a new line, a rule
  // moved to a chain no line declares (`-A K` as a chain name is typed), a target typed halfway
  [/^.*$/, '$&\n$&'],
  'delete-line',
  [/$/, '\n-'],
  [/$/, '\n-A'],
  [/$/, '\n-A K'],
  [/$/, '\n-A KUBE-SERVICES -j A'],
  [/$/, '\n-A FORWARD -i eth0 -j ACCEP'],
  [/$/, '\n-A FORWARD -j ACCEPT'],
  [/-A \S+/, '-A K'],
  [/-A \S+/, '-A'],
  [/-j [A-Z0-9-]+/, '-j ACCEP'],
  [/-j [A-Z0-9-]+/, '-j'],
  [/-A (\S+)/, '-A $1 -i eth0'],
  [/-A (\S+)/, '-A $1 -m recent --rcheck --name x'],
  [/^-A \S+/, '-p tcp'],
  // DNATs that come or go
  [/-j [A-Z0-9-]+.*$/, '-j DNAT --to-destination 10.0.0.9:80'],
  [/-j DNAT.*$/, '-j DNA'],
  [/$/, '\n-A KUBE-SERVICES -d 10.96.9.9/32 -p tcp --dport 80 -j DNAT --to-destination 10.244.0.3:8080'],
];

/** The chain index as plain data: every reference in order, and each chain's list. */
function chainsOf(doc: FirewallDocument) {
  const idx = doc.chains;
  const all = idx.all();
  const ref = (r: (typeof all)[number]) => [r.family, r.table, r.name, r.kind, r.span.start, r.span.end, r.line.start, r.line.end, r.from ?? ''].join(' ');
  const names = [...new Set(all.map((r) => `${r.family}:${r.table}:${r.name}`))].sort();
  return { refs: all.map(ref), lists: names.map((k) => { const [f, t, n] = k.split(':'); return [k, idx.of(f as 'ipv4', t, n).map(ref)]; }) };
}

function snapshot(doc: FirewallDocument) {
  return doc.diagnostics().map((d) => [d.code, d.severity, d.span.start, d.span.end, d.message, JSON.stringify(d.related ?? []), JSON.stringify(d.fixes ?? [])].join(' '));
}

test('rule lines edited, added or removed give what a fresh parse gives, and most edits take the patched path', () => {
  let patchedEdits = 0;
  let patchedIndexes = 0;
  let edits = 0;
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(ruleLines.length - 1), fc.nat(swaps.length - 1)), { minLength: 1, maxLength: 6 }), (steps) => {
      const doc = new FirewallDocument(base, { dialect: 'save' });
      doc.diagnostics();
      let text = base;
      for (const [li, si] of steps) {
        const current = text.split('\n');
        const line = ruleLines[li];
        // 'join-next' removes the line break after the line (a blank line after it disappears),
        // 'delete-line' the line with it
        const swap = swaps[si];
        const joins = (swap === 'join-next' || swap === 'delete-line') && line + 1 < current.length;
        const before = joins ? `${current[line]}\n` : current[line];
        const after = swap === 'join-next' ? current[line] : swap === 'delete-line' ? (joins ? '' : current[line]) : before.replace(swap[0], swap[1]);
        const start = current.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
        text = text.slice(0, start) + after + text.slice(start + before.length);
        const tables = doc.ruleSet.tables;
        // the chain index is built before the edit, as an editor's highlights have it
        const index = doc.chains;
        doc.update(text, [{ start, end: start + before.length, text: after }]);
        edits++;
        if (doc.ruleSet.tables === tables) patchedEdits++;
        const fresh = new FirewallDocument(text, { dialect: 'save' });
        assert.deepEqual(snapshot(doc), snapshot(fresh), `after ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
        // carried over, not rebuilt
        if (doc.ruleSet.tables === tables && doc.chains === index) patchedIndexes++;
        assert.deepEqual(chainsOf(doc), chainsOf(fresh), `chain index after ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      }
    }),
    { numRuns: 150 },
  );
  // the patched path is what this test is about: a change that never takes it tests nothing
  assert.ok(patchedEdits > edits / 3, `${patchedEdits} of ${edits} edits patched`);
  assert.equal(patchedIndexes, patchedEdits, 'the chain index is carried over on the patched path');
});

test('the patched rule set has the new rule in place of the old one, in its chain and in the commands', () => {
  const doc = new FirewallDocument(base, { dialect: 'save' });
  doc.diagnostics();
  const line = lines.findIndex((l) => l.startsWith('-A FORWARD -p tcp -d 10.244.0.7'));
  const start = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  const at = start + lines[line].indexOf('8080');
  const text = base.slice(0, at) + '9090' + base.slice(at + 4);
  const tables = doc.ruleSet.tables;
  doc.update(text, [{ start: at, end: at + 4, text: '9090' }]);
  const rs = doc.ruleSet;
  assert.equal(rs.tables, tables, 'patched, not rebuilt');
  const forward = rs.tables.get('ipv4:filter')!.chains.get('FORWARD')!;
  const rule = forward.rules.find((r) => r.span.start === start)!;
  assert.ok(rs.commands.some((c) => c.rule === rule));
  assert.equal(rule.table, 'filter');
  assert.deepEqual(
    rule.options.filter((o) => o.item.written === '--dport').map((o) => o.values[0].value),
    ['9090'],
  );
  // the DNAT to 10.244.0.7:8080 is no longer accepted by FORWARD: the checks see the new rule
  assert.ok(dnatChecks(rs).some((c) => c.packet.dst === '10.244.0.7' && c.forward.some((o) => o.verdict === 'DROP')));
});

test('a DNAT whose translated address is not an address is evaluated without failing', () => {
  const text = '*nat\n-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination x10.0.0.5:8080\nCOMMIT\n*filter\n:FORWARD DROP [0:0]\n-A FORWARD -d 10.0.0.5 -j ACCEPT\nCOMMIT\n';
  const doc = new FirewallDocument(text, { dialect: 'save' });
  assert.equal(dnatChecks(doc.ruleSet).length, 1);
  assert.ok(!doc.diagnostics().some((d) => d.code === 'internal-error'));
});

test('an edit of the first line rebuilds: it decides the byte order mark and line ending findings', () => {
  const text = '# top\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\n';
  const doc = new FirewallDocument(text, { dialect: 'save' });
  doc.diagnostics();
  for (const [start, end, ins] of [[0, 0, '\ufeff'], [5, 5, '\r']] as const) {
    const next = doc.text.slice(0, start) + ins + doc.text.slice(end);
    doc.update(next, [{ start, end, text: ins }]);
    assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(next, { dialect: 'save' })));
    assert.ok(doc.diagnostics().some((d) => d.code === 'syntax-error' && d.span.start === 0));
  }
});

test('a long run of edits does not keep every replaced rule: the facts are gathered afresh after MAX_CARRIED edits', async () => {
  const { chainFacts, MAX_CARRIED } = await import('../../../server/src/core/analysis/chainGraph.ts');
  const doc = new FirewallDocument(base, { dialect: 'save' });
  doc.diagnostics();
  const line = lines.findIndex((l) => l.startsWith('-A FORWARD -p tcp -d 10.244.0.7'));
  const start = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  const at = start + lines[line].indexOf('8080');
  let text = base;
  let longest = 0;
  for (let i = 0; i < MAX_CARRIED + 20; i++) {
    const port = String(8000 + (i % 90));
    text = text.slice(0, at) + port + text.slice(at + 4);
    doc.update(text, [{ start: at, end: at + 4, text: port }]);
    doc.diagnostics();
    longest = Math.max(longest, chainFacts(doc.ruleSet).carried.length);
  }
  assert.ok(longest <= MAX_CARRIED, `${longest} edits carried`);
  assert.ok(longest >= MAX_CARRIED / 2, 'the edits were carried at all');
  assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(text, { dialect: 'save' })));
});

test('the DNAT checks are kept over an edit of a filter chain that FORWARD never reaches, and evaluated again over one it reaches', () => {
  const doc = new FirewallDocument(base, { dialect: 'save' });
  doc.diagnostics();
  // a copy: the kept list is the same list after an edit, its edited checks replaced
  const before = [...dnatChecks(doc.ruleSet)];
  let text = base;
  const edit = (prefix: string, from: string, to: string) => {
    const line = text.split('\n').findIndex((l) => l.startsWith(prefix));
    const start = text.split('\n').slice(0, line).reduce((n, l) => n + l.length + 1, 0);
    const at = start + text.split('\n')[line].indexOf(from);
    text = text.slice(0, at) + to + text.slice(at + from.length);
    doc.update(text, [{ start: at, end: at + from.length, text: to }]);
    assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(text, { dialect: 'save' })));
    return dnatChecks(doc.ruleSet);
  };
  // KUBE-FIREWALL is reached from INPUT and OUTPUT only
  const kept = edit('-A KUBE-FIREWALL', '127.0.0.0/8', '127.0.0.0/9');
  assert.equal(kept.length, before.length);
  assert.ok(kept.every((c, i) => c === before[i]), 'the same checks');
  // chain b is reached from FORWARD through a
  const again = edit('-A b -s 10.0.0.0/8', '10.0.0.0/8', '10.0.0.0/9');
  assert.equal(again.length, before.length);
  assert.ok(again.every((c, i) => c !== before[i]), 'evaluated again');
});

/** Where the first DNAT to a 10.x address:port has its translated address in `base`, and the start of it that `part` matches. */
function firstDnatAddress(part: RegExp): { at: number; value: string } {
  const lines = base.split('\n');
  const lineOf = lines.findIndex((l) => /-j DNAT --to-destination 10\.\d+\.\d+\.\d+:\d+/.test(l));
  const start = lines.slice(0, lineOf).reduce((n, l) => n + l.length + 1, 0);
  const valueAt = lines[lineOf].indexOf('--to-destination ') + '--to-destination '.length;
  return { at: start + valueAt, value: part.exec(lines[lineOf].slice(valueAt))![0] };
}

test('an edit of a DNAT rule replaces its check where it stands in the kept list and keeps the others', () => {
  const doc = new FirewallDocument(base, { dialect: 'save' });
  doc.diagnostics();
  const list = dnatChecks(doc.ruleSet);
  const before = [...list];
  const { at, value } = firstDnatAddress(/\S+/);
  const text = base.slice(0, at) + '10.99.99.99:8443' + base.slice(at + value.length);
  doc.update(text, [{ start: at, end: at + value.length, text: '10.99.99.99:8443' }]);
  assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(text, { dialect: 'save' })));
  const after = dnatChecks(doc.ruleSet);
  // the same list: a new one of a kube-proxy dump's 27k checks was most of what a keystroke allocated
  assert.equal(after, list);
  assert.equal(after.length, before.length);
  const changed = after.flatMap((c, i) => (c === before[i] ? [] : [i]));
  assert.equal(changed.length, 1);
  assert.equal(after[changed[0]].packet.dst, '10.99.99.99');
  assert.equal(after[changed[0]].packet.dport, 8443);
});

test('a DNAT edited to a loopback address loses its check, and gets it back, the other checks kept', () => {
  const doc = new FirewallDocument(base, { dialect: 'save' });
  doc.diagnostics();
  const before = [...dnatChecks(doc.ruleSet)];
  const { at, value } = firstDnatAddress(/\d+/);
  // 10.x.y.z becomes 127.x.y.z: routing hands it to INPUT, FORWARD never sees it
  const text = base.slice(0, at) + '127' + base.slice(at + value.length);
  doc.update(text, [{ start: at, end: at + value.length, text: '127' }]);
  assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(text, { dialect: 'save' })));
  const gone = dnatChecks(doc.ruleSet);
  assert.equal(gone.length, before.length - 1);
  assert.deepEqual(gone, before.filter((c) => gone.includes(c)), 'the others kept, in order');
  doc.update(base, [{ start: at, end: at + 3, text: value }]);
  assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(base, { dialect: 'save' })));
  const back = dnatChecks(doc.ruleSet);
  assert.equal(back.length, before.length);
  assert.equal(back.filter((c, i) => c !== before[i]).length, 1, 'only the edited one evaluated again');
});

test('edits in place of a log-and-drop chain, or of the jumps to it, give the shadowing a fresh parse gives', () => {
  const edits: [string, string][] = [
    ['-A LOGDROP -j DROP', '-A LOGDROP -j RETURN'],
    ['-A LOGDROP -j LOG', '-A LOGDROP -p tcp -j LOG'],
    ['-A wan -s 10.0.0.0/8 -j LOGDROP', '-A wan -s 10.0.0.0/8 -j LOG'],
    ['-A wan -s 10.0.0.0/8 -j LOGDROP', '-A wan -s 10.0.0.0/8 -p udp -j LOGDROP'],
    ['-A wan -s 10.1.2.3 -j ACCEPT', '-A wan -s 10.1.2.4 -j ACCEPT'],
    ['-A b -j DROP', '-A b -p icmp -j DROP'],
  ];
  for (const [from, to] of edits) {
    const doc = new FirewallDocument(base, { dialect: 'save' });
    const shadowedBefore = doc.diagnostics().filter((d) => d.code === 'shadowed-rule').length;
    const start = base.indexOf(`${from}\n`);
    const text = base.slice(0, start) + to + base.slice(start + from.length);
    const tables = doc.ruleSet.tables;
    doc.update(text, [{ start, end: start + from.length, text: to }]);
    assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(text, { dialect: 'save' })), `${from} → ${to}`);
    assert.equal(doc.ruleSet.tables, tables, `${from} → ${to}: the patched path`);
    assert.ok(shadowedBefore > 0);
  }
  // the other way: no chain decides every packet until an edit makes LOGDROP drop, or a jump
  // goes to it; what was kept with the facts must not hide the shadow then
  const returning = base.replace('-A LOGDROP -j DROP\n', '-A LOGDROP -j RETURN\n').replace('-A wan -s 10.0.0.0/8 -j LOGDROP\n', '-A wan -s 10.0.0.0/8 -j LOG\n');
  for (const [from, to] of [['-A LOGDROP -j RETURN', '-A LOGDROP -j DROP'], ['-A wan -s 10.0.0.0/8 -j LOG', '-A wan -s 10.0.0.0/8 -j LOGDROP']] as const) {
    let text = returning;
    const doc = new FirewallDocument(text, { dialect: 'save' });
    doc.diagnostics();
    // both edits, the named one second, each with its diagnostics
    for (const [a, b] of [from === '-A LOGDROP -j RETURN' ? ['-A wan -s 10.0.0.0/8 -j LOG', '-A wan -s 10.0.0.0/8 -j LOGDROP'] : ['-A LOGDROP -j RETURN', '-A LOGDROP -j DROP'], [from, to]]) {
      const start = text.indexOf(`${a}\n`);
      text = text.slice(0, start) + b + text.slice(start + a.length);
      const tables = doc.ruleSet.tables;
      doc.update(text, [{ start, end: start + a.length, text: b }]);
      assert.equal(doc.ruleSet.tables, tables, `${a} → ${b}: the patched path`);
      assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(text, { dialect: 'save' })), `${a} → ${b}`);
    }
    assert.ok(doc.diagnostics().some((d) => d.code === 'shadowed-rule' && text.slice(d.span.start, d.span.end) === '-A wan -s 10.1.2.3 -j ACCEPT'));
  }
});

test('a rule typed a character at a time on a new line of a dump: every keystroke patches the tables and carries the facts, and gives what a fresh parse gives', async () => {
  const { chainFacts } = await import('../../../server/src/core/analysis/chainGraph.ts');
  // into a kube-proxy chain; the chain name passes through names no line declares (K, KU…)
  // and the target through names that are no target (A, AC…)
  for (const typed of ['-A KUBE-SERVICES -i eth0 -p tcp --dport 8080 -j ACCEPT', '-A KUBE-SERVICES -d 10.96.0.99/32 -p tcp --dport 8443 -j DNAT --to-destination 10.244.0.9:8443', '-A FORWARD -m recent --name x --rcheck -j DROP', '-p tcp -j LOG']) {
    const doc = new FirewallDocument(base, { dialect: 'save' });
    doc.diagnostics();
    const after = base.indexOf('\n', base.indexOf('-A KUBE-SERVICES')) + 1;
    let text = base;
    let at = after - 1;
    for (const ch of `\n${typed}`) {
      text = text.slice(0, at) + ch + text.slice(at);
      const tables = doc.ruleSet.tables;
      const facts = chainFacts(doc.ruleSet);
      doc.update(text, [{ start: at, end: at, text: ch }]);
      at++;
      const shown = JSON.stringify(text.slice(after, at));
      assert.equal(doc.ruleSet.tables, tables, `${shown}: the patched path`);
      assert.equal(chainFacts(doc.ruleSet), facts, `${shown}: the facts carried`);
      assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(text, { dialect: 'save' })), shown);
    }
  }
});

test('a rule line deleted, duplicated or moved to another chain patches the tables: the rule leaves or joins its chain where its line stands', () => {
  const doc = new FirewallDocument(base, { dialect: 'save' });
  doc.diagnostics();
  const rulesOf = (name: string) => doc.ruleSet.tables.get('ipv4:filter')!.chains.get(name)!.rules;
  const lineOf = (prefix: string) => doc.text.indexOf(`\n${prefix}`) + 1;
  const edit = (start: number, end: number, text: string) => {
    const tables = doc.ruleSet.tables;
    const next = doc.text.slice(0, start) + text + doc.text.slice(end);
    doc.update(next, [{ start, end, text }]);
    assert.equal(doc.ruleSet.tables, tables, 'the patched path');
    assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(next, { dialect: 'save' })));
  };
  const lengths = () => [rulesOf('b').length, rulesOf('wan').length];
  assert.deepEqual(lengths(), [4, 2]);
  // duplicate `-A b -j DROP` below itself
  const drop = lineOf('-A b -j DROP');
  edit(drop, drop, '-A b -j DROP\n');
  assert.deepEqual(lengths(), [5, 2]);
  assert.deepEqual(rulesOf('b').map((r) => r.target?.name), ['RETURN', 'DROP', 'DROP', 'ACCEPT', 'c']);
  // delete the first of them
  edit(drop, drop + '-A b -j DROP\n'.length, '');
  assert.deepEqual(lengths(), [4, 2]);
  // move `-A b -p tcp -j ACCEPT` to wan: it goes after wan's rules, which stand above it
  const accept = lineOf('-A b -p tcp -j ACCEPT');
  edit(accept + 3, accept + 4, 'wan');
  assert.deepEqual(lengths(), [3, 3]);
  assert.equal(rulesOf('wan')[2].span.start, accept);
});

test('chains that come and go with a rule typed (no line declares them) are offered by completion as a fresh parse offers them', async () => {
  const { completionsAt } = await import('../../../server/src/core/services/completion.ts');
  const doc = new FirewallDocument(base, { dialect: 'save' });
  doc.diagnostics();
  const after = base.indexOf('\n', base.indexOf('-A b -j DROP')) + 1;
  let text = base;
  let at = after - 1;
  const chainsOffered = (d: FirewallDocument, offset: number) => (completionsAt(d, offset)?.items ?? []).filter((i) => i.kind === 'chain').map((i) => `${i.label} ${i.detail}`).sort();
  for (const ch of '\n-A Kx -j ACCEPT\n-A FORWARD -j ') {
    text = text.slice(0, at) + ch + text.slice(at);
    doc.update(text, [{ start: at, end: at, text: ch }]);
    at++;
    const fresh = new FirewallDocument(text, { dialect: 'save' });
    assert.deepEqual(chainsOffered(doc, at), chainsOffered(fresh, at), JSON.stringify(text.slice(after, at)));
  }
  // the last line's jump is offered Kx, which only its rule makes
  assert.ok(chainsOffered(doc, at).some((c) => c.startsWith('Kx ')));
});

test('jumps to chains of the table that come and go are taken into the carried graph where they close no loop, with the hooks of the chains below them and what depends on those', async () => {
  const { chainFacts } = await import('../../../server/src/core/analysis/chainGraph.ts');
  // u1 is reached from no hook, and the only chain jumping to u2
  // and dn, a nat chain with a DNAT that no hook reaches yet
  const postrouting = /^-A POSTROUTING .*$/m.exec(base)![0];
  const text0 = base
    .replace(':wan - [0:0]\n', ':wan - [0:0]\n:u1 - [0:0]\n:u2 - [0:0]\n')
    .replace('-A c -p tcp --dport 80 -j c\n', '-A c -p tcp --dport 80 -j c\n-A u1 -j u2\n-A u2 -j DROP\n')
    .replace(':KUBE-MARK-MASQ - [0:0]\n', ':KUBE-MARK-MASQ - [0:0]\n:dn - [0:0]\n')
    .replace(`${postrouting}\n`, `${postrouting}\n-A dn -p tcp --dport 81 -j DNAT --to-destination 10.244.9.9:81\n`);
  const doc = new FirewallDocument(text0, { dialect: 'save' });
  doc.diagnostics();
  const codes = (code: string) => doc.diagnostics().filter((d) => d.code === code).map((d) => doc.text.slice(d.span.start, d.span.end));
  // the user chains nothing jumps to, by the carried graph, in text order (unused-chain reports
  // them, but not kube-proxy's, whose jumps from the built-in chains kube-proxy adds itself); dn
  // is unused until the end
  const unused = () => {
    const facts = chainFacts(doc.ruleSet);
    const found: { name: string; at: number }[] = [];
    for (const t of doc.ruleSet.tables.values()) {
      const used = facts.jumpedTo(t.family, t.name);
      for (const c of t.chains.values()) if (!c.builtin && !used.has(c.name) && c.declarations.length && c.name !== 'dn') found.push({ name: c.name, at: c.declarations[0].span.start });
    }
    return found.sort((a, b) => a.at - b.at).map((f) => f.name);
  };
  // one edit, compared with a fresh parse; `carried`: whether the facts were carried over it
  const edit = (start: number, end: number, insert: string, carried: boolean, what: string) => {
    const tables = doc.ruleSet.tables;
    const facts = chainFacts(doc.ruleSet);
    const next = doc.text.slice(0, start) + insert + doc.text.slice(end);
    doc.update(next, [{ start, end, text: insert }]);
    assert.equal(doc.ruleSet.tables, tables, `${what}: the patched path`);
    assert.equal(chainFacts(doc.ruleSet) === facts, carried, `${what}: the facts ${carried ? 'carried' : 'gathered again'}`);
    assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(next, { dialect: 'save' })), what);
    assert.deepEqual(chainsOf(doc), chainsOf(new FirewallDocument(next, { dialect: 'save' })), `${what}: the chain index`);
  };
  const lineOf = (line: string) => {
    const at = doc.text.indexOf(`\n${line}\n`) + 1;
    assert.ok(at > 0, line);
    return at;
  };
  const [serviceLine, svc] = /^-A KUBE-SERVICES .* -j (KUBE-SVC-\S+)$/m.exec(text0)!;
  const otherSvc = /^-A KUBE-SERVICES .* -j (KUBE-SVC-\S+)$/gm;
  const svcs = [...text0.matchAll(otherSvc)].map((m) => m[1]);
  const svc2 = svcs.find((s) => s !== svc)!;

  // a kube-proxy rule typed into KUBE-SERVICES: its last keystroke makes the target a chain's
  // name, a jump from a chain that reaches it already
  let at = lineOf(serviceLine) + serviceLine.length;
  for (const ch of `\n-A KUBE-SERVICES -d 10.96.0.99/32 -p tcp -m tcp --dport 80 -j ${svc}`) {
    edit(at, at, ch, true, `typed ${ch}`);
    at++;
  }
  // deleted again, then the line duplicated and deleted: the chain is still reached as it was
  const typed = `-A KUBE-SERVICES -d 10.96.0.99/32 -p tcp -m tcp --dport 80 -j ${svc}\n`;
  edit(lineOf(typed.trim()), lineOf(typed.trim()) + typed.length, '', true, 'typed rule deleted');
  edit(lineOf(serviceLine), lineOf(serviceLine), `${serviceLine}\n`, true, 'service line duplicated');
  edit(lineOf(serviceLine), lineOf(serviceLine) + serviceLine.length + 1, '', true, 'duplicate deleted');
  // in place: the jump goes to another service chain, reached from the same hooks; the first
  // one and its endpoints are then reached from none, and nothing jumps to it
  const target = lineOf(serviceLine) + serviceLine.length - svc.length;
  edit(target, target + svc.length, svc2, true, 'jump to another service');
  assert.deepEqual(unused(), ['u1', svc]);
  edit(target, target + svc2.length, svc, true, 'jump back');
  // with the line twice, one of them can go elsewhere: each chain keeps its hooks
  edit(lineOf(serviceLine), lineOf(serviceLine), `${serviceLine}\n`, true, 'service line duplicated again');
  edit(target, target + svc.length, svc2, true, 'one of the two to another service');
  edit(target, target + svc2.length, svc, true, 'and back');

  // a chain no hook reaches loses its jump to u2, and gets it back: nothing reaches either way,
  // and whether u2 is used is what unused-chain says
  assert.deepEqual(unused(), ['u1']);
  const jump = lineOf('-A u1 -j u2');
  edit(jump + '-A u1 -j '.length, jump + '-A u1 -j u2'.length, 'LOG', true, 'u1 logs');
  assert.deepEqual(unused(), ['u1', 'u2']);
  edit(jump + '-A u1 -j '.length, jump + '-A u1 -j LOG'.length, 'u2', true, 'u1 jumps to u2 again');
  assert.deepEqual(unused(), ['u1']);
  edit(jump, jump + '-A u1 -j u2\n'.length, '', true, 'the jump line deleted');
  assert.deepEqual(unused(), ['u1', 'u2']);

  // a jump that closes a loop is not carried; the loop is found, and goes with the jump
  const loopLine = `-A ${svc} -j KUBE-SERVICES`;
  at = lineOf(serviceLine);
  edit(at, at, `${loopLine}\n`, false, 'a loop');
  assert.deepEqual(codes('chain-loop'), ['c', 'KUBE-SERVICES']);
  edit(lineOf(loopLine), lineOf(loopLine) + loopLine.length + 1, '', true, 'the loop deleted');
  assert.deepEqual(codes('chain-loop'), ['c']);

  // a jump from nat POSTROUTING to dn, typed and deleted: its DNAT is then reached from a hook
  // it does not work in, and its connections no longer pass FORWARD
  const dnats = () => dnatChecks(doc.ruleSet).length;
  const [notHere, forwardChecked] = [codes('target-not-allowed-here').length, dnats()];
  at = lineOf(postrouting) + postrouting.length;
  for (const ch of '\n-A POSTROUTING -j dn') {
    edit(at, at, ch, true, `typed ${ch}`);
    at++;
  }
  assert.equal(codes('target-not-allowed-here').length, notHere + 1);
  assert.equal(dnats(), forwardChecked - 1);
  edit(lineOf('-A POSTROUTING -j dn'), lineOf('-A POSTROUTING -j dn') + '-A POSTROUTING -j dn\n'.length, '', true, 'the jump to dn deleted');
  assert.deepEqual([codes('target-not-allowed-here').length, dnats()], [notHere, forwardChecked]);
});

test('a chain no line declares keeps the place among the table\'s chains a fresh parse gives it when its first rule comes or goes', () => {
  // X is made by its first rule, above b's line; Z by its only one, below it
  const text0 = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j LOG\n-A X -j LOG\n:b - [0:0]\n-A X -j ACCEPT\n-A Z -j ACCEPT\n-A INPUT -j b\n-A INPUT -j X\n-A INPUT -j Z\nCOMMIT\n';
  const order = (doc: FirewallDocument) => [...doc.ruleSet.tables.get('ipv4:filter')!.chains.keys()];
  const logEnd = text0.indexOf('-A INPUT -j LOG') + '-A INPUT -j LOG'.length;
  const xFirst = text0.indexOf('-A X -j LOG');
  const cases: [string, number, number, string][] = [
    // a rule of Z typed above b's line: Z is made before b
    ['a rule above the first', logEnd, logEnd, '\n-A Z -j DROP'],
    // X's first rule deleted: X is made after b
    ['the first rule deleted', logEnd, xFirst + '-A X -j LOG'.length, ''],
    // X's first rule moved to another chain: likewise
    ['the first rule moved to another chain', xFirst + 3, xFirst + 4, 'Y'],
  ];
  for (const [what, start, end, insert] of cases) {
    const doc = new FirewallDocument(text0, { dialect: 'save' });
    doc.diagnostics();
    const next = text0.slice(0, start) + insert + text0.slice(end);
    doc.update(next, [{ start, end, text: insert }]);
    const fresh = new FirewallDocument(next, { dialect: 'save' });
    assert.deepEqual(order(doc), order(fresh), what);
    assert.deepEqual(snapshot(doc), snapshot(fresh), what);
  }
});

test('a jump edited to one with no name (`-j "` as a quote is typed) could go anywhere: the facts are gathered again', () => {
  const text0 = '*filter\n:INPUT DROP [0:0]\n:svc - [0:0]\n:other - [0:0]\n-A INPUT -p tcp --dport 22 -j svc\n-A INPUT -p tcp --dport 23 -j FOO\n-A svc -j ACCEPT\n-A other -j ACCEPT\nCOMMIT\n';
  for (const name of ['svc', 'FOO']) {
    const doc = new FirewallDocument(text0, { dialect: 'save' });
    doc.diagnostics();
    const start = text0.indexOf(`-j ${name}\n`) + 3;
    const next = text0.slice(0, start) + '"' + text0.slice(start + name.length);
    doc.update(next, [{ start, end: start + name.length, text: '"' }]);
    assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(next, { dialect: 'save' })), name);
  }
});
