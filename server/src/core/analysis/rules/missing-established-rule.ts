import { acceptsEstablished } from '../acceptsEstablished.ts';
import type { LintRule } from '../types.ts';

export const missingEstablishedRule: LintRule = {
  code: 'missing-established-rule',
  severity: 'warning',
  summary: 'A DROP policy on INPUT or FORWARD with no rule accepting ESTABLISHED,RELATED traffic.',
  docs: {
    description: 'Reports the policy of filter INPUT or FORWARD when it is DROP and no rule of the chain (or of a chain it jumps to) accepts packets in state ESTABLISHED.',
    rationale: 'Without it, replies to connections the host or the network opened are dropped: DNS answers, downloads and forwarded sessions hang, and each service needs rules for both directions.',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    for (const t of rs.tables.values()) {
      if (t.name !== 'filter') continue;
      for (const name of ['INPUT', 'FORWARD']) {
        const chain = t.chains.get(name);
        if (!chain || chain.policy !== 'DROP' || !chain.policySpan) continue;
        if (acceptsEstablished(rs, chain)) continue;
        ctx.report({ span: chain.policySpan, message: `${name} drops by default but no rule accepts ESTABLISHED,RELATED packets: replies to ${name === 'INPUT' ? 'the host\'s own' : 'forwarded'} connections are dropped. Add -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT first.` });
      }
    }
  },
};
