import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { routerScript } from '../../support/kubeDump.ts';

/**
 * Chains with thousands of rules must not make the analysis quadratic. One chain of N
 * rules (addresses, ports, ACCEPT and DROP verdicts, some repeated so shadowing has work,
 * jumps into user chains): four times the rules may take about four times as long, not
 * sixteen. Best of three runs each; the bound (8×) sits between the two.
 */
function oneLongChain(n: number): string {
  const out = ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ':svc - [0:0]', ':log - [0:0]'];
  for (let i = 0; i < n; i++) {
    const a = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const port = 1024 + (i % 5000);
    if (i % 50 === 0) out.push(`-A INPUT -s ${a}/32 -j svc`);
    else if (i % 97 === 0) out.push(`-A INPUT -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.0/24 -p tcp --dport ${port} -j DROP`);
    else out.push(`-A INPUT -s ${a}/32 -p tcp --dport ${port} -m conntrack --ctstate NEW -j ${i % 3 ? 'ACCEPT' : 'DROP'}`);
  }
  out.push('-A svc -j log', '-A log -j DROP', 'COMMIT', '');
  return out.join('\n');
}

function analysisMs(text: string, dialect: 'save' | 'script' = 'save'): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const doc = new FirewallDocument(text, { dialect });
    void doc.ruleSet;
    const t = performance.now();
    doc.diagnostics();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

test('one chain of 20,000 rules takes at most 8× as long to analyse as one of 5,000', { timeout: 120_000 }, () => {
  analysisMs(oneLongChain(2000)); // warm up the code paths
  const small = analysisMs(oneLongChain(5000));
  const large = analysisMs(oneLongChain(20000));
  console.log(`# one long chain: 5,000 rules ${small.toFixed(0)} ms, 20,000 rules ${large.toFixed(0)} ms (${(large / small).toFixed(1)}×)`);
  assert.ok(large / small < 8, `${(large / small).toFixed(1)}× for 4× the rules`);
});

test('a router script of 10,000 rules (port forwards to 5,000 servers) takes at most 8× as long to analyse as one of 2,500', { timeout: 180_000 }, () => {
  // a router script's port forwards (see routerScript), each a DNAT and a FORWARD accept: the
  // checks that ask, per port forward, which interfaces reach its server read an index of
  // FORWARD, not the whole chain: a scan per port forward was 2.1 s of one check at 10k rules
  analysisMs(routerScript(1000).text, 'script');
  const small = analysisMs(routerScript(2500).text, 'script');
  const large = analysisMs(routerScript(10000).text, 'script');
  console.log(`# router script: 2,500 rules ${small.toFixed(0)} ms, 10,000 rules ${large.toFixed(0)} ms (${(large / small).toFixed(1)}×)`);
  assert.ok(large / small < 8, `${(large / small).toFixed(1)}× for 4× the rules`);
});

/** A host's script: its services' ports accepted one command each in INPUT, SSH and the DROP policy last. */
function hostScript(n: number): string {
  const out = ['#!/bin/sh', 'iptables -F', 'iptables -A INPUT -i lo -j ACCEPT', 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'];
  for (let i = 0; i < n; i++) {
    const port = 1024 + (i % 60000);
    if (i % 100 === 0) out.push(`iptables -A INPUT -s 10.${(i >> 8) & 255}.${i & 255}.0/24 -p tcp --dport ${port} -j ACCEPT`);
    else out.push(`iptables -A INPUT -p ${i % 2 ? 'udp' : 'tcp'} --dport ${port} -j ACCEPT`);
  }
  out.push('iptables -A INPUT -p tcp --dport 22 -j ACCEPT', 'iptables -P INPUT DROP', '');
  return out.join('\n');
}

test('a host script of 8,000 INPUT accepts takes at most 8× as long to analyse as one of 2,000', { timeout: 180_000 }, () => {
  // the SSH lockout check replays the script command by command: evaluating INPUT again after
  // each of them made it quadratic (32 s for 7,500 accepts); an accept that matches none of the
  // packets that reached the chain's end changes nothing, and is not evaluated again (see waysThrough)
  analysisMs(hostScript(500), 'script');
  const small = analysisMs(hostScript(2000), 'script');
  const large = analysisMs(hostScript(8000), 'script');
  console.log(`# host script: 2,000 accepts ${small.toFixed(0)} ms, 8,000 accepts ${large.toFixed(0)} ms (${(large / small).toFixed(1)}×)`);
  assert.ok(large / small < 8, `${(large / small).toFixed(1)}× for 4× the rules`);
});

/** A script run again and again: each rule added unless there (`-C … || -A …`), a second list deleted (`-D`). */
function idempotentScript(n: number): string {
  const out = ['#!/bin/sh'];
  for (let i = 0; i < n; i++) {
    const rule = `INPUT -p tcp --dport ${1024 + i} -j ACCEPT`;
    out.push(`iptables -C ${rule} 2>/dev/null || iptables -A ${rule}`);
  }
  for (let i = 0; i < n; i += 2) out.push(`iptables -D INPUT -p tcp --dport ${1024 + i} -j ACCEPT`);
  out.push('');
  return out.join('\n');
}

test('a script of 4,000 `-C || -A` rules and 2,000 deletions takes at most 8× as long to model and analyse as one a quarter of it', { timeout: 180_000 }, () => {
  // each such command compares its rule with every rule of the chain, by a key made from the
  // rule: made again for each comparison, 4,000 of them took 10 s (see TableState.keyOf)
  const ms = (text: string) => {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      new FirewallDocument(text, { dialect: 'script' }).diagnostics();
      best = Math.min(best, performance.now() - t);
    }
    return best;
  };
  ms(idempotentScript(300));
  const small = ms(idempotentScript(1000));
  const large = ms(idempotentScript(4000));
  console.log(`# -C || -A script: 1,000 rules ${small.toFixed(0)} ms, 4,000 rules ${large.toFixed(0)} ms (${(large / small).toFixed(1)}×)`);
  assert.ok(large / small < 8, `${(large / small).toFixed(1)}× for 4× the rules`);
});

/** A script that gives each service a chain of its own, jumped to from INPUT: one port accepted in each. */
function chainPerService(n: number): string {
  const out = ['#!/bin/sh', 'iptables -F', 'iptables -X'];
  for (let i = 0; i < n; i++) out.push(`iptables -N svc${i}`, `iptables -A svc${i} -p tcp --dport ${1000 + i} -j ACCEPT`, `iptables -A INPUT -j svc${i}`);
  out.push('');
  return out.join('\n');
}

test('a script of 2,000 user chains jumped to from INPUT takes at most 8× as long to analyse as one of 500', { timeout: 180_000 }, () => {
  // the checks that ask whether a family lets anything through at all followed a packet of any
  // protocol through every chain, split at each port: 2,500 chains took 6 s. The first way
  // through that is not refused answers them (see someWayThrough)
  analysisMs(chainPerService(200), 'script');
  const small = analysisMs(chainPerService(500), 'script');
  const large = analysisMs(chainPerService(2000), 'script');
  console.log(`# chain per service: 500 chains ${small.toFixed(0)} ms, 2,000 chains ${large.toFixed(0)} ms (${(large / small).toFixed(1)}×)`);
  assert.ok(large / small < 8, `${(large / small).toFixed(1)}× for 4× the chains`);
});

/** A host script that takes each service's connections under a rate and drops the excess. */
function limitedServices(n: number): string {
  const out = ['#!/bin/sh', 'iptables -P INPUT DROP', 'iptables -A INPUT -i lo -j ACCEPT'];
  for (let i = 0; i < n; i++) out.push(`iptables -A INPUT -p tcp --dport ${1000 + i} -m limit --limit 10/s -j ACCEPT`, `iptables -A INPUT -p tcp --dport ${1000 + i} -j DROP`);
  out.push('iptables -A INPUT -p tcp --dport 22 -j ACCEPT', '');
  return out.join('\n');
}

test('a script of 2,000 rate-limited services takes at most 8× as long to analyse as one of 500', { timeout: 180_000 }, () => {
  // the limit checks follow each limited rule's packets from the chain's head: a walk past every
  // rule above it, 12 s for 2,500 services; the chain's rules are indexed by the port each requires
  analysisMs(limitedServices(200), 'script');
  const small = analysisMs(limitedServices(500), 'script');
  const large = analysisMs(limitedServices(2000), 'script');
  console.log(`# limited services: 500 ${small.toFixed(0)} ms, 2,000 ${large.toFixed(0)} ms (${(large / small).toFixed(1)}×)`);
  assert.ok(large / small < 8, `${(large / small).toFixed(1)}× for 4× the services`);
});
