import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AnalysisSettings } from '../core/analysis/types.ts';
import { setsOfIpsetSave } from '../core/model/ipsetSteps.ts';

/**
 * The file of ipsets a boot loader restores before the rules file beside it: `ipsets` (Debian's
 * ipset-persistent: /etc/iptables/ipsets, `ipset restore -exist` before rules.v4 and rules.v6)
 * or `ipset` (RHEL's ipset-service: /etc/sysconfig/ipset, before /etc/sysconfig/iptables).
 * None when the folder has neither as a file of ipset save output.
 */
export function workspaceIpsets(filePath: string): Pick<AnalysisSettings, 'workspaceSets'> {
  const dir = dirname(filePath);
  for (const name of ['ipsets', 'ipset']) {
    const file = join(dir, name);
    try {
      if (!statSync(file).isFile()) continue;
      const text = readFileSync(file, 'utf8');
      // ipset save output: create and add lines (an empty file creates no set, and says so)
      if (text.trim() && !/^\s*(create|add|-N|-A)\s/m.test(text)) continue;
      return { workspaceSets: { file, sets: setsOfIpsetSave(text) } };
    } catch {
      // not there, or unreadable
    }
  }
  return {};
}
