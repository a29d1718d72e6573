import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AnalysisSettings } from '../core/analysis/types.ts';
import { setsOfIpsetSave } from '../core/model/ipsetSteps.ts';
import { parseIpsetSave, scriptSetMembers, type IpsetMembers } from '../core/simulate/ipsetMembers.ts';
import type { FirewallDocument } from '../core/facade.ts';

/**
 * The file of ipsets a boot loader restores before the rules file beside it: `ipsets` (Debian's
 * ipset-persistent: /etc/iptables/ipsets, `ipset restore -exist` before rules.v4 and rules.v6)
 * or `ipset` (RHEL's ipset-service: /etc/sysconfig/ipset, before /etc/sysconfig/iptables).
 * None when the folder has neither as a file of ipset save output.
 */
export function workspaceIpsets(filePath: string): Pick<AnalysisSettings, 'workspaceSets'> {
  const found = ipsetFileBeside(filePath);
  return found ? { workspaceSets: { file: found.file, sets: found.sets } } : {};
}

/**
 * The members of the sets that file restores, for the packet trace of the rules file beside it
 * (a set match is then decided by them); undefined where there is no such file.
 */
export function ipsetMembersBeside(filePath: string): ReadonlyMap<string, IpsetMembers> | undefined {
  const found = ipsetFileBeside(filePath);
  if (!found) return undefined;
  const known = members.get(found.file);
  if (known && known.mtimeMs === found.mtimeMs && known.size === found.size) return known.sets;
  // the sets it creates are read already (see setsOf): only its adds are read here
  const sets = parseIpsetSave(readFileSync(found.file, 'utf8'), found.sets);
  members.set(found.file, { mtimeMs: found.mtimeMs, size: found.size, sets });
  return sets;
}

const members = new Map<string, { mtimeMs: number; size: number; sets: ReadonlyMap<string, IpsetMembers> }>();

/**
 * The sets a packet trace of a document decides its set matches by: a save file's, the ipsets
 * file beside it on disk (`path`); a script's, those it makes and fills itself.
 */
export function traceSets(doc: FirewallDocument, path: string | undefined): ReadonlyMap<string, IpsetMembers> | undefined {
  if (doc.dialect === 'script') return scriptSetMembers(doc.ruleSet);
  return path === undefined ? undefined : ipsetMembersBeside(path);
}

/** Where the file of ipsets restored before a rules file is looked for, in order (see workspaceIpsets). */
export function ipsetPlaces(filePath: string): string[] {
  return ['ipsets', 'ipset'].map((name) => join(dirname(filePath), name));
}

function ipsetFileBeside(filePath: string): { file: string; mtimeMs: number; size: number; sets: NonNullable<ReturnType<typeof setsOf>> } | undefined {
  for (const file of ipsetPlaces(filePath)) {
    try {
      const st = statSync(file);
      if (!st.isFile()) continue;
      const sets = setsOf(file, st.mtimeMs, st.size);
      if (sets) return { file, mtimeMs: st.mtimeMs, size: st.size, sets };
    } catch {
      // not there, or unreadable
    }
  }
  return undefined;
}

/**
 * What each ipset file read so far creates, as of its modification time and size: the language
 * server asks on every edit of the rules file beside it, and a saved country list is megabytes
 * (5.2 MB, 200k adds: 70-180 ms to read and split).
 */
const read = new Map<string, { mtimeMs: number; size: number; sets: ReturnType<typeof setsOfIpsetSave> | undefined }>();

/** The sets of an ipset file, or undefined where it is not ipset save output. */
function setsOf(file: string, mtimeMs: number, size: number): ReturnType<typeof setsOfIpsetSave> | undefined {
  const known = read.get(file);
  if (known && known.mtimeMs === mtimeMs && known.size === size) return known.sets;
  const text = readFileSync(file, 'utf8');
  // ipset save output: create and add lines (an empty file creates no set, and says so)
  const sets = text.trim() && !/^\s*(create|add|-N|-A)\s/m.test(text) ? undefined : setsOfIpsetSave(text);
  read.set(file, { mtimeMs, size, sets });
  return sets;
}
