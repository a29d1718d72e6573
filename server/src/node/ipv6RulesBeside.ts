import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inputClosing } from '../core/analysis/inputClosing.ts';
import { natRouters } from '../core/analysis/natRouters.ts';
import type { AnalysisSettings } from '../core/analysis/types.ts';
import { detectDialect } from '../core/dialect.ts';
import { FirewallDocument } from '../core/facade.ts';
import { ufwCompanionPaths, workspaceUfw } from './ufwFiles.ts';

/** An IPv6 rules file bigger than this is not read: it is taken as closed (no finding on a guess). */
const MAX_READ = 1 << 20;

/**
 * The editor's model of a file it has open, if any: the language server judges a rules file
 * with the text of its other half as the editor holds it, saved or not, so that an edit of
 * rules.v4 counts for the rules.v6 beside it at once. The CLI and the apply read the disk.
 */
export type OpenModel = (path: string) => FirewallDocument | undefined;

/** A model's text is bigger than what is read of a file on disk (judged alike either way). */
function tooBig(doc: FirewallDocument): boolean {
  const text = doc.text;
  return text.length > MAX_READ || (text.length > MAX_READ / 4 && Buffer.byteLength(text, 'utf8') > MAX_READ);
}

/** An open half read again in the other family, kept while its text stays (asked at each keystroke in the file beside it). */
const reread = new WeakMap<FirewallDocument, FirewallDocument>();

/** A save file's model in the family of its half: the editor's own where it reads the file so, else its text read again. */
function inFamily(doc: FirewallDocument, path: string, family: 'ipv4' | 'ipv6'): FirewallDocument | undefined {
  if (doc.dialect !== 'save') return undefined;
  if (doc.family === family) return doc;
  const kept = reread.get(doc);
  if (kept && kept.text === doc.text && kept.family === family) return kept;
  const again = new FirewallDocument(doc.text, { fileName: path, dialect: 'save', family });
  reread.set(doc, again);
  return again;
}

/** Whether the IPv6 half closes INPUT: a file too big, or a script, is taken as closing it (see closedAsSaved). */
function closesInput(doc: FirewallDocument | undefined): boolean {
  const filter = doc?.ruleSet.tables.get('ipv6:filter');
  return !doc || !!inputClosing(filter?.chains.get('INPUT'), filter);
}

/** What lan-reachable-from-wan reads of the IPv4 half: its first router's outside and inside. */
function natOf(doc: FirewallDocument | undefined, name: string): AnalysisSettings['workspaceIpv4Nat'] {
  const router = doc && natRouters(doc.ruleSet)[0];
  return router && { file: name, wan: router.wan, ...(router.lanIface ? { lanIface: router.lanIface } : {}) };
}

/**
 * The name of the IPv6 half of an IPv4 rules file, by the conventions of the tools that keep
 * both (iptables-persistent's rules.v4 and rules.v6, Arch's iptables.rules and
 * ip6tables.rules, Red Hat's sysconfig iptables and ip6tables, iptables-save output), and
 * whether the name alone says the file is one half of a pair.
 */
export function ipv6Companion(name: string): { name: string; paired: boolean } | undefined {
  if (/\.v4$/i.test(name)) return { name: name.replace(/4$/, '6'), paired: true };
  if (name === 'iptables' || name === 'iptables.rules') return { name: name.replace('iptables', 'ip6tables'), paired: true };
  if (/^iptables[-_.]/.test(name)) return { name: name.replace('iptables', 'ip6tables'), paired: false };
  return undefined;
}

/**
 * What ipv6-left-open needs of an IPv4 save file's IPv6 half, found beside it in its folder:
 * its name when the file's own name calls for one, and whether the one there closes INPUT.
 */
export function ipv6RulesBeside(filePath: string, open?: OpenModel): NonNullable<AnalysisSettings['workspaceIpv6']> {
  const companion = ipv6Companion(basename(filePath));
  if (!companion) return {};
  const out: NonNullable<AnalysisSettings['workspaceIpv6']> = companion.paired ? { expected: companion.name } : {};
  const path = join(dirname(filePath), companion.name);
  const model = open?.(path);
  if (model) return { ...out, found: { name: companion.name, inputClosed: tooBig(model) || closesInput(inFamily(model, path, 'ipv6')) } };
  let inputClosed: boolean;
  try {
    const st = statSync(path);
    if (!st.isFile()) return out;
    inputClosed = closedAsSaved(path, st.mtimeMs, st.size);
  } catch {
    return out;
  }
  return { ...out, found: { name: companion.name, inputClosed } };
}

/**
 * Whether the IPv6 file closes INPUT, kept per file while its time and size stay: the language
 * server asks after each keystroke in the rules.v4 beside it. At most 64 files are kept.
 */
const judged = new Map<string, { mtimeMs: number; size: number; inputClosed: boolean }>();

function closedAsSaved(path: string, mtimeMs: number, size: number): boolean {
  const kept = judged.get(path);
  if (kept && kept.mtimeMs === mtimeMs && kept.size === size) return kept.inputClosed;
  let inputClosed = true;
  if (size <= MAX_READ) {
    const text = readFileSync(path, 'utf8');
    // a script beside it (rules written as ip6tables commands) is not judged here
    if (detectDialect(text, path) === 'save') inputClosed = closesInput(new FirewallDocument(text, { fileName: path, dialect: 'save', family: 'ipv6' }));
  }
  if (judged.size >= 64) judged.clear();
  judged.set(path, { mtimeMs, size, inputClosed });
  return inputClosed;
}

/** The name of the IPv4 half of an IPv6 rules file (rules.v6 → rules.v4), by the same conventions. */
export function ipv4Companion(name: string): string | undefined {
  if (/\.v6$/i.test(name)) return name.replace(/6$/, '4');
  if (name === 'ip6tables' || name === 'ip6tables.rules' || /^ip6tables[-_.]/.test(name)) return name.replace('ip6tables', 'iptables');
  return undefined;
}

/**
 * What lan-reachable-from-wan needs of an IPv6 save file's IPv4 half, found beside it: the
 * interface its source NAT sends out of (the router's outside) and the one its rules put the
 * private network behind. Nothing when there is no such file or it masquerades nothing.
 */
export function ipv4NatBeside(filePath: string, open?: OpenModel): Partial<Pick<AnalysisSettings, 'workspaceIpv4Nat'>> {
  const name = ipv4Companion(basename(filePath));
  if (!name) return {};
  const path = join(dirname(filePath), name);
  const model = open?.(path);
  if (model) {
    const found = tooBig(model) ? undefined : natOf(inFamily(model, path, 'ipv4'), name);
    return found ? { workspaceIpv4Nat: found } : {};
  }
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_READ) return {};
    const kept = natJudged.get(path);
    if (kept && kept.mtimeMs === st.mtimeMs && kept.size === st.size) return kept.found ? { workspaceIpv4Nat: kept.found } : {};
    const text = readFileSync(path, 'utf8');
    const found = detectDialect(text, path) === 'save' ? natOf(new FirewallDocument(text, { fileName: path, dialect: 'save', family: 'ipv4' }), name) : undefined;
    if (natJudged.size >= 64) natJudged.clear();
    natJudged.set(path, { mtimeMs: st.mtimeMs, size: st.size, found });
    return found ? { workspaceIpv4Nat: found } : {};
  } catch {
    return {};
  }
}

/** The IPv4 halves read, per file while its time and size stay (the server asks after each keystroke). */
const natJudged = new Map<string, { mtimeMs: number; size: number; found: AnalysisSettings['workspaceIpv4Nat'] }>();

/**
 * The files beside `filePath` whose content its findings depend on (its other half, either
 * way; the files ufw loads with one of its own): the language server judges an open file
 * again when one of them changes.
 */
export function companionPaths(filePath: string): string[] {
  const name = basename(filePath);
  const out: string[] = [];
  const v6 = ipv6Companion(name);
  if (v6) out.push(join(dirname(filePath), v6.name));
  const v4 = ipv4Companion(name);
  if (v4) out.push(join(dirname(filePath), v4));
  out.push(...ufwCompanionPaths(filePath));
  return out;
}

/**
 * What the save-file checks read of a rules file's other half, or of the files ufw loads with
 * one of its own (see workspaceSettings, which adds the sysctl files' say on IPv6).
 */
export function companionFacts(filePath: string, open?: OpenModel): Pick<AnalysisSettings, 'workspaceIpv4Nat' | 'workspaceIpv6' | 'workspaceUfw'> {
  return { ...ipv4NatBeside(filePath, open), workspaceIpv6: ipv6RulesBeside(filePath, open), ...workspaceUfw(filePath, open) };
}

/** What a file's findings read of the files beside it, as one string to compare (see companionPaths). */
export function companionKey(settings: Partial<Pick<AnalysisSettings, 'workspaceIpv4Nat' | 'workspaceIpv6' | 'workspaceUfw'>>): string {
  const w = settings.workspaceIpv6;
  return JSON.stringify([settings.workspaceIpv4Nat ?? null, w?.expected ?? null, w?.found ?? null, settings.workspaceUfw ?? null]);
}
