import { getTarget } from '../../knowledge/index.ts';
import type { TargetUse } from '../../model/types.ts';
import type { Fix, FixEdit, LintRule } from '../types.ts';

/** ULOG's options and NFLOG's for the same thing (ulogd reads NFLOG through its NFLOG input plugin). */
const ULOG_TO_NFLOG: Record<string, string> = {
  '--ulog-nlgroup': '--nflog-group',
  '--ulog-prefix': '--nflog-prefix',
  '--ulog-cprange': '--nflog-size',
  '--ulog-qthreshold': '--nflog-threshold',
};

/**
 * `-j ULOG …` as `-j NFLOG …`: each option renamed; `--ulog-cprange 0` (copy the whole packet)
 * dropped, as NFLOG copies the whole packet unless given a size. Undefined when an option has
 * no counterpart or a value is unknown (a shell expansion).
 */
function ulogToNflog(t: TargetUse, text: string): Fix | undefined {
  const edits: FixEdit[] = [{ span: t.span, text: 'NFLOG' }];
  for (const o of t.options) {
    const to = ULOG_TO_NFLOG[o.name];
    if (!to || o.values.some((w) => w.dynamic)) return undefined;
    const { start, end } = o.item.span;
    // with the blank before it, so that no double blank is left
    if (o.name === '--ulog-cprange' && o.values[0]?.value === '0') edits.push({ span: { start: text[start - 1] === ' ' ? start - 1 : start, end }, text: '' });
    else edits.push({ span: o.item.nameSpan, text: to });
  }
  return { title: 'Log with NFLOG instead (ulogd reads it with its NFLOG input)', edits };
}

/** The replacement as it is written in a rule: `-j NFLOG`, `-m cluster`. */
function written(replacement: string): string {
  return `${getTarget(replacement.split(' ')[0]) ? '-j' : '-m'} ${replacement}`;
}

export const obsoleteExtension: LintRule = {
  code: 'obsolete-extension',
  severity: 'warning',
  summary: 'A target current kernels no longer have (`ULOG`, `CLUSTERIP`), or the old spelling of one (`NOTRACK` for `CT --notrack`).',
  docs: {
    description: 'Reports a target the kernel dropped: `ULOG` (gone since Linux 3.17; `NFLOG` replaces it) and `CLUSTERIP` (gone since 6.3; `-m cluster` replaces it). On those kernels iptables answers that the kernel module is missing and the rule, or the whole restore file, is refused. `NOTRACK` still works and is reported as information: it is the old spelling of `-j CT --notrack`, the same in the kernel. Quick fixes: `NOTRACK` becomes `CT --notrack` (it keeps what the rule does, so `iptables-lint --fix` makes it); `ULOG` becomes `NFLOG` with its options renamed. The `state` match has its own code, `deprecated-state-match`.',
    rationale: 'Scripts written for old kernels keep working until the machine is upgraded, then fail at boot: a firewall that does not load leaves the host open, or a restore file that is refused leaves the old rules in place.',
    bad: { dialect: 'script', text: 'iptables -A INPUT -p tcp --dport 22 -j ULOG --ulog-prefix "ssh: "\niptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\n' },
    good: { dialect: 'script', text: 'iptables -A INPUT -p tcp --dport 22 -j NFLOG --nflog-prefix "ssh: "\niptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack\n' },
  },
  lineLocal: true,
  checkCommand(cmd, ctx) {
    const t = cmd.rule?.target;
    const spec = t?.spec;
    if (!t || !spec?.deprecatedBy || t.goto) return;
    if (spec.removedFromKernel) {
      const fix = spec.name === 'ULOG' ? ulogToNflog(t, ctx.text) : undefined;
      ctx.report({
        span: t.span,
        message: `${spec.name} was removed from the kernel in Linux ${spec.removedFromKernel}: there the rule fails to load (a missing kernel module). Use ${written(spec.deprecatedBy)} instead.`,
        fixes: fix ? [fix] : undefined,
      });
      return;
    }
    // the same target in the kernel: only the spelling is old
    ctx.report({
      span: t.span,
      severity: 'info',
      message: `${spec.name} is the old spelling of ${written(spec.deprecatedBy)}.`,
      fixes: [{ title: `Use -j ${spec.deprecatedBy}`, edits: [{ span: t.span, text: spec.deprecatedBy }], safe: t.options.length === 0 || undefined }],
    });
  },
};
