import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { holdsIptablesRules } from '../core/dialect.ts';
import { DEFAULT_MAX_BYTES } from '../core/limits.ts';
import { readTextFile } from './readTextFile.ts';

/**
 * The iptables files under a folder, for `iptables-lint DIR`: every file below it that holds
 * rules (see holdsIptablesRules), each folder's entries in name order; hidden folders,
 * node_modules and links to folders are left out. Binary, unreadable and oversized files are
 * passed over: in a folder they are someone else's.
 */
export function rulesFilesUnder(dir: string): string[] {
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
      else if (st.isFile() && st.size <= DEFAULT_MAX_BYTES) {
        const read = readTextFile(p);
        if (read.ok && holdsIptablesRules(read.text, p)) out.push(p);
      }
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
