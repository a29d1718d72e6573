import type { AnalysisSettings } from '../core/analysis/types.ts';
import { ipv4NatBeside, ipv6RulesBeside } from './ipv6RulesBeside.ts';
import { workspaceSysctl } from './sysctlFiles.ts';
import { workspaceIpsets } from './ipsetFiles.ts';

/**
 * What the save-file checks need from the files around a rules file (sysctl settings, the
 * IPv6 rules beside IPv4 ones and the IPv4 NAT beside IPv6 ones, the ipsets restored before
 * them): the language server, the CLI and the apply flow all read it here.
 */
export function workspaceSettings(filePath: string): Partial<AnalysisSettings> {
  const { ipv6DisabledBy, ...sysctl } = workspaceSysctl(filePath);
  return { ...sysctl, ...workspaceIpsets(filePath), ...ipv4NatBeside(filePath), workspaceIpv6: { ...ipv6RulesBeside(filePath), ...(ipv6DisabledBy ? { disabledBy: ipv6DisabledBy } : {}) } };
}
