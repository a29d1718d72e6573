import { ruleHostNames } from '../hostNames.ts';
import type { Span } from '../../text/span.ts';
import type { LintRule, RuleContext } from '../types.ts';

function message(names: string[]): string {
  const which = names.length === 1 ? `'${names[0]}' is` : `${names.map((n) => `'${n}'`).join(', ')} are`;
  return `${which} looked up once, when iptables adds the rule: the rule keeps the addresses found then (one rule for each) and does not follow later DNS changes, and where the name cannot be resolved (at boot, before the network is up) iptables refuses the command; in a restore file, the whole file. Write the address instead.`;
}

function report(names: string[], span: Span, ctx: RuleContext): void {
  ctx.report({ span, message: message(names) });
}

export const hostnameResolvedOnce: LintRule = {
  code: 'hostname-resolved-once',
  severity: 'warning',
  summary: 'A host name in `-s`, `-d` or a match\'s address option: resolved once when the rule is added, and without DNS (at boot) the command, or the whole restore file, fails.',
  docs: {
    description: 'Reports host names where iptables takes an address: `-s`, `-d` and the address options of matches (conntrack\'s `--ctorigsrc` and the like). iptables resolves the name while it parses the command and stores the addresses it gets, one rule for each address; the rules never see the name again. Names every host resolves from its hosts file (`localhost`, `ip6-localhost`) are left alone.',
    rationale: 'Rules are loaded early at boot, often before the network and DNS are up: a name that cannot be resolved then makes iptables refuse the command ("host/network not found"), and iptables-restore refuses the whole file, so the machine comes up with no rules at all, or with a script stopped halfway. When it does resolve, the rule holds the addresses of that moment: a dynamic-DNS address that changes later is not followed, and a name with several addresses adds several rules (measured with iptables 1.8.9: two addresses, two rules; an unresolvable name in a restore file, nothing loaded).',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dport 22 -s admin.example.org -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dport 22 -s 198.51.100.7 -j ACCEPT\nCOMMIT\n' },
  },
  lineLocal: true,
  // no closures per command: a dump has 100k of them
  checkCommand(cmd, ctx) {
    if (cmd.rule) ruleHostNames(cmd.rule, report, ctx);
  },
};
