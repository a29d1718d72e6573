import type { AnalysisSettings, SeveritySetting } from '../core/analysis/types.ts';
import { compileScript } from '../core/compile/toRestore.ts';
import { FirewallDocument } from '../core/facade.ts';
import type { Family } from '../core/knowledge/types.ts';
import { ruleHostNames } from '../core/analysis/hostNames.ts';
import type { RuleSet } from '../core/model/types.ts';
import { ufwRulesFile } from '../core/model/ufwLoad.ts';
import { isWgQuickConfig } from '../core/model/wgQuick.ts';
import { isIfupdownConfig } from '../core/model/ifupdown.ts';
import type { SourcedTexts } from '../core/model/shellVariables.ts';

/** A finding as the front ends show it: 1-based line and column. */
export interface Finding {
  line: number;
  column: number;
  code: string;
  severity: string;
  message: string;
}

export interface PreparedRules {
  /**
   * iptables-restore text per family, exactly what is sent to the host, and the host names its
   * addresses hold (iptables resolves them as it loads the rules; see namespaceLoadScript).
   */
  outputs: { family: Family; text: string; hostNames?: string[] }[];
  /** `save`: the file as it is; `compiled`: a script turned into restore text. */
  source: 'save' | 'compiled';
  /** Findings below error level, for the summary. */
  findings: Finding[];
  /** Forwarding sysctls a compiled script sets: apply does not change them, so they are compared with the host. */
  forwarding: { family: Family; value?: string }[];
  /** route_localnet settings a compiled script makes, per interface, for the same comparison. */
  routeLocalnet: { iface: string; value: string }[];
}

export type Preparation = { ok: true; rules: PreparedRules } | { ok: false; reason: string; findings: Finding[]; line?: number };

/**
 * What would be applied, or why nothing can be: any error-level finding refuses; a save file
 * goes as it is; a script is compiled to restore text when it holds only what the compiler
 * understands, otherwise it is refused at the line that stops it. A script never runs. ufw's
 * rules files are refused (ufw loads them, with its own), and so are WireGuard and ifupdown
 * configurations (wg-quick and ifup run their hooks).
 */
export function prepareRules(text: string, options: { fileName?: string; severities?: Record<string, SeveritySetting>; settings?: Partial<AnalysisSettings>; sourced?: SourcedTexts } = {}): Preparation {
  // ufw builds its tables from this file, its other rules files and chains of its own, each
  // added with --noflush: restored alone, the file would replace all of them
  const ufw = options.fileName ? ufwRulesFile(options.fileName) : undefined;
  if (ufw) return { ok: false, reason: `ufw loads ${ufw.role}${ufw.family === 'ipv6' ? '6' : ''}.rules together with its other rules files and chains of its own (ufw-init adds each with iptables-restore --noflush), and restoring it alone would replace the tables ufw built: copy it to /etc/ufw on the host and run \`ufw reload\` there`, findings: [] };
  // a WireGuard configuration's hooks add to the host's tables when the interface comes up, and take away when it goes down
  if (isWgQuickConfig(text, options.fileName)) {
    const name = (options.fileName ?? 'wg0.conf').replace(/^.*\//, '').replace(/\.conf$/, '');
    return { ok: false, reason: `wg-quick runs this configuration's PreUp and PostUp lines itself when the interface comes up, adding to the host's tables, and its PreDown and PostDown lines when it goes down: copy it to /etc/wireguard on the host and run \`wg-quick down ${name}; wg-quick up ${name}\` there (or restart wg-quick@${name})`, findings: [] };
  }
  // so do ifupdown's: its hook lines run when ifup and ifdown bring each interface up and down
  if (isIfupdownConfig(text, options.fileName)) {
    return { ok: false, reason: 'ifupdown runs this file\'s pre-up, up and post-up lines itself when ifup brings an interface up, adding to the host\'s tables, and its down and post-down lines when ifdown takes it down: copy it to /etc/network on the host and run `ifdown IFACE; ifup IFACE` there for each interface whose lines changed (`ifreload -a` with ifupdown2)', findings: [] };
  }
  const doc = new FirewallDocument(text, { fileName: options.fileName, sourced: options.sourced });
  const findings: Finding[] = doc.diagnostics({ severities: options.severities, settings: options.settings }).map((d) => {
    const p = doc.lines.positionAt(d.span.start);
    return { line: p.line + 1, column: p.character + 1, code: d.code, severity: d.severity, message: d.message };
  });
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length) return { ok: false, reason: `the file has ${errors.length} error-level finding${errors.length === 1 ? '' : 's'}: fix ${errors.length === 1 ? 'it' : 'them'} before applying`, findings: errors, line: errors[0].line };
  if (doc.dialect === 'save') {
    if (!doc.ruleSet.tables.size && !/^\*/m.test(text)) return { ok: false, reason: 'the file holds no table', findings: [] };
    return { ok: true, rules: { outputs: withHostNames([{ family: doc.family, text }], doc.ruleSet), source: 'save', findings, forwarding: [], routeLocalnet: [] } };
  }
  const compiled = compileScript(text, { sourced: options.sourced });
  if (compiled.refusal) {
    const line = doc.lines.lineOf(compiled.refusal.span.start) + 1;
    return { ok: false, reason: `line ${line}: the script cannot be turned into iptables-restore rules: ${compiled.refusal.reason} (scripts are never run on the host)`, findings: [], line };
  }
  if (!compiled.outputs.length) return { ok: false, reason: 'the script holds no iptables commands', findings: [] };
  const forwarding = doc.ruleSet.forwarding.map((f) => ({ family: f.family, ...(f.value !== undefined ? { value: f.value } : {}) }));
  const routeLocalnet = doc.ruleSet.routeLocalnet.flatMap((f) => (f.iface !== undefined && f.value !== undefined ? [{ iface: f.iface, value: f.value }] : []));
  return { ok: true, rules: { outputs: withHostNames(compiled.outputs, doc.ruleSet), source: 'compiled', findings, forwarding, routeLocalnet } };
}

function collect(names: string[], _span: unknown, into: Set<string>): void {
  for (const n of names) into.add(n);
}

/** Each output with the host names of its family's rules (a compiled script's rules are the script's). */
function withHostNames(outputs: { family: Family; text: string }[], rs: RuleSet): PreparedRules['outputs'] {
  const byFamily = new Map<Family, Set<string>>();
  for (const cmd of rs.commands) {
    if (!cmd.rule || cmd.kind === 'delete' || cmd.kind === 'check') continue;
    let names = byFamily.get(cmd.family);
    if (!names) byFamily.set(cmd.family, (names = new Set()));
    ruleHostNames(cmd.rule, collect, names);
  }
  return outputs.map((o) => {
    const names = byFamily.get(o.family);
    return names?.size ? { ...o, hostNames: [...names] } : o;
  });
}
