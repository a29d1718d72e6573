import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DEFAULT_MAX_BYTES } from '../core/limits.ts';

/**
 * The files under a folder that may hold iptables rules, for `iptables-lint DIR`: every file
 * below it up to the size the analysis takes, each folder's entries in name order; hidden
 * folders, node_modules and links to folders are left out. Which of them are iptables files
 * is decided once each is read (see holdsIptablesRules), so that each is read once.
 */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      if (leftOut(name)) continue;
      const p = join(d, name);
      const kind = entryKind(p);
      if (kind === 'folder') walk(p);
      else if (kind === 'file') out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Hidden folders and files, and node_modules, are not looked into. */
function leftOut(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/** A folder to walk, a file to list, or neither (a link to a folder, which may lead back up; a file over the size the analysis takes; gone). */
function entryKind(path: string): 'folder' | 'file' | undefined {
  try {
    let st = lstatSync(path);
    // a link to a file is read; one to a folder is not followed
    if (st.isSymbolicLink()) {
      st = statSync(path);
      if (st.isDirectory()) return undefined;
    }
    if (st.isDirectory()) return 'folder';
    return st.isFile() && st.size <= DEFAULT_MAX_BYTES ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The files `filesUnder(dir)` lists that `path`, made under `dir` after it was walked, adds:
 * the file itself, or those under a folder; none where it is outside `dir`, or where the walk
 * leaves it out.
 */
export function filesAdded(dir: string, path: string): string[] {
  const rel = relative(dir, path);
  if (!rel || rel.startsWith('..') || rel.split(sep).some(leftOut)) return [];
  const kind = entryKind(path);
  return kind === 'folder' ? filesUnder(path) : kind === 'file' ? [path] : [];
}

/** Whether a path given on the command line is a folder. */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
