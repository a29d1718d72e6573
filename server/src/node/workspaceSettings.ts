import type { AnalysisSettings } from '../core/analysis/types.ts';
import { companionFacts, type OpenModel } from './ipv6RulesBeside.ts';
import { workspaceSysctl } from './sysctlFiles.ts';
import { workspaceIpsets } from './ipsetFiles.ts';

/**
 * What the save-file checks need from the files around a rules file (sysctl settings, the
 * IPv6 rules beside IPv4 ones and the IPv4 NAT beside IPv6 ones, the ipsets restored before
 * them, the files ufw loads with one of its own): the language server, the CLI and the apply
 * flow all read it here. The language server passes the documents it has open (`open`): a
 * rules file's other half, or ufw's other rules files, are then read as the editor holds them.
 */
export function workspaceSettings(filePath: string, open?: OpenModel): Partial<AnalysisSettings> {
  const { ipv6DisabledBy, ...sysctl } = workspaceSysctl(filePath);
  const { workspaceIpv4Nat, workspaceIpv6, workspaceUfw } = companionFacts(filePath, open);
  return { ...sysctl, ...workspaceIpsets(filePath), ...(workspaceUfw ? { workspaceUfw } : {}), ...(workspaceIpv4Nat ? { workspaceIpv4Nat } : {}), workspaceIpv6: { ...workspaceIpv6, ...(ipv6DisabledBy ? { disabledBy: ipv6DisabledBy } : {}) } };
}

/** What a wg-quick configuration's checks read around it: the sysctl files (missing-ip-forward), as for a rules file. */
export function hookSettings(filePath: string): Partial<AnalysisSettings> {
  const { ipv6DisabledBy: _, ...sysctl } = workspaceSysctl(filePath);
  return sysctl;
}
