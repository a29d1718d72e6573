import { matches } from '../../knowledge/index.ts';
import type { ExtensionSpec } from '../../knowledge/types.ts';
import { isHostname } from '../../knowledge/values/addresses.ts';
import type { Condition } from '../../model/types.ts';
import type { LintRule, RuleContext } from '../types.ts';

/** The matches with an option that takes an address (conntrack's --ctorigsrc and the like). */
const ADDRESS_MATCHES: ReadonlySet<ExtensionSpec> = new Set(matches.filter((m) => m.options.some((o) => o.args[0]?.type === 'address' || o.args[0]?.type === 'address-list')));

/** Names every host resolves from its own hosts file, network or not. */
const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

/** The host names among the addresses of a value (`a.example.org,10.0.0.0/8`), masks left out. */
function hostNames(value: string): string[] {
  // most addresses are numbers: a name has a letter past f, a dash or an underscore (see isHostname)
  if (!/[g-zG-Z_-]/.test(value)) return [];
  const out: string[] = [];
  for (const part of value.split(',')) {
    const slash = part.indexOf('/');
    const host = slash === -1 ? part : part.slice(0, slash);
    if (isHostname(host) && !LOCAL_NAMES.has(host.toLowerCase())) out.push(host);
  }
  return out;
}

function message(names: string[]): string {
  const which = names.length === 1 ? `'${names[0]}' is` : `${names.map((n) => `'${n}'`).join(', ')} are`;
  return `${which} looked up once, when iptables adds the rule: the rule keeps the addresses found then (one rule for each) and does not follow later DNS changes, and where the name cannot be resolved (at boot, before the network is up) iptables refuses the command; in a restore file, the whole file. Write the address instead.`;
}

/** `-s` or `-d`: the value first, as a save line's condition makes its word only when asked (see LineOption). */
function condition(c: Condition, ctx: RuleContext): void {
  const names = hostNames(c.value);
  if (names.length && !c.word.dynamic) ctx.report({ span: c.word.span, message: message(names) });
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
    const rule = cmd.rule;
    if (!rule) return;
    if (rule.source) condition(rule.source, ctx);
    if (rule.destination) condition(rule.destination, ctx);
    for (const m of rule.matches) {
      // most matches have no address option: their options are not read (a dump has 300k of them)
      if (!m.spec || !ADDRESS_MATCHES.has(m.spec)) continue;
      for (const o of m.options) {
        const type = o.spec?.args[0]?.type;
        if (type !== 'address' && type !== 'address-list') continue;
        const value = o.keptValue ?? (o.values.length === 1 && !o.values[0].dynamic ? o.values[0].value : undefined);
        if (value === undefined) continue;
        const names = hostNames(value);
        if (names.length) ctx.report({ span: o.values[0].span, message: message(names) });
      }
    }
  },
};
