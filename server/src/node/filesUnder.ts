import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(d, name);
      let st;
      try {
        st = lstatSync(p);
        // a link to a file is read; one to a folder is not followed (it may lead back up)
        if (st.isSymbolicLink()) {
          st = statSync(p);
          if (st.isDirectory()) continue;
        }
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && st.size <= DEFAULT_MAX_BYTES) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Whether a path given on the command line is a folder. */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
