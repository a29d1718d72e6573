import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AnalysisSettings } from '../core/analysis/types.ts';
import type { FirewallDocument } from '../core/facade.ts';
import { ufwDefaults, ufwLoad, ufwRulesFile, type UfwLoad, type UfwRole, type UfwSurroundings } from '../core/model/ufwLoad.ts';
import type { OpenModel } from './ipv6RulesBeside.ts';

/** A rules file bigger than this is not read: ufw's are a few KB; the load is then not judged. */
const MAX_READ = 1 << 20;

/**
 * ufw's defaults file for a rules file: /etc/default/ufw beside /etc/ufw (also in a
 * repository that mirrors a host's /etc).
 */
function defaultsPath(filePath: string): string {
  return join(dirname(dirname(filePath)), 'default', 'ufw');
}

/** The rules files ufw loads with one of its own (before.rules: after.rules and user.rules), of the same family. */
function otherRulesFiles(filePath: string): string[] {
  const r = ufwRulesFile(basename(filePath));
  if (!r) return [];
  const t = r.family === 'ipv6' ? '6' : '';
  const roles: UfwRole[] = ['before', 'after', 'user'];
  return roles.filter((role) => role !== r.role).map((role) => join(dirname(filePath), `${role}${t}.rules`));
}

/** The files a ufw rules file's findings read (see workspaceUfw): the other rules files and the defaults file. */
export function ufwCompanionPaths(filePath: string): string[] {
  return ufwRulesFile(basename(filePath)) ? [...otherRulesFiles(filePath), defaultsPath(filePath)] : [];
}

/** A file's text as the editor holds it, else as on disk; `missing`, or `unread` when too big or unreadable. */
function textOf(path: string, open?: OpenModel): string | 'missing' | 'unread' {
  const doc = open?.(path);
  if (doc) return doc.text.length > MAX_READ ? 'unread' : doc.text;
  try {
    if (statSync(path).size > MAX_READ) return 'unread';
    return readFileSync(path, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unread';
  }
}

/**
 * What a ufw rules file's checks read around it (see UfwSurroundings): none where the name
 * is not one of ufw's, where /etc/default/ufw is not found (the forward policy is then
 * unknown), or where it turns IPv6 off and the file is an IPv6 one (ufw does not load it).
 * The other rules files are read as the editor holds them where it has them open; one that
 * cannot be read (too big) leaves the load unjudged, as does a missing defaults file.
 */
export function workspaceUfw(filePath: string, open?: OpenModel): Pick<AnalysisSettings, 'workspaceUfw'> {
  const r = ufwRulesFile(basename(filePath));
  if (!r) return {};
  const defaultsFile = defaultsPath(filePath);
  const defaultsText = textOf(defaultsFile, open);
  if (defaultsText === 'missing' || defaultsText === 'unread') return {};
  const defaults = ufwDefaults(defaultsText);
  if (r.family === 'ipv6' && !defaults.ipv6) return {};
  const files: UfwSurroundings['files'] = [];
  for (const path of otherRulesFiles(filePath)) {
    const text = textOf(path, open);
    // ufw loads the others without a missing one; one not read leaves the load unknown
    if (text === 'unread') return {};
    if (text !== 'missing') files.push({ role: ufwRulesFile(basename(path))!.role, file: path, text });
  }
  return { workspaceUfw: { role: r.role, defaults: { file: defaultsFile, forwardPolicy: defaults.forwardPolicy, inputPolicy: defaults.inputPolicy, ...(defaults.sysctl ? { sysctl: defaults.sysctl } : {}), ...(defaults.manageBuiltins ? { manageBuiltins: true as const } : {}) }, files } };
}

/** A ufw rules file's tables as ufw loads them with the files around it on disk; undefined where those are not found (see workspaceUfw). */
export function ufwLoadOf(doc: FirewallDocument, filePath: string): UfwLoad | undefined {
  const s = workspaceUfw(filePath).workspaceUfw;
  return s && ufwLoad(doc.text, doc.family, s);
}
