import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { sshConfigHosts, sshConfigIncludes } from '../apply/sshConfigHosts.ts';

/** OpenSSH stops following `Include` at this depth. */
const MAX_DEPTH = 16;

/** `*` and `?` in the last part of a path, the way ssh's glob reads them for `Include config.d/*`. */
function expand(pattern: string): string[] {
  const name = basename(pattern);
  if (!/[*?]/.test(name)) return [pattern];
  const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return readdirSync(dirname(pattern))
      .filter((f) => re.test(f) && !f.startsWith('.'))
      .sort()
      .map((f) => join(dirname(pattern), f));
  } catch {
    return [];
  }
}

/**
 * Host aliases of the user's ssh client config, following `Include` as ssh does: a relative
 * path is taken from `~/.ssh`, `~` is the home folder, and the last part may be a glob.
 * Files that cannot be read are skipped; the picker then offers what it could find.
 */
export function sshConfigHostsFrom(home: string, file = join(home, '.ssh', 'config')): string[] {
  const hosts: string[] = [];
  const seen = new Set<string>();
  const visit = (path: string, depth: number) => {
    if (depth > MAX_DEPTH || seen.has(path)) return;
    seen.add(path);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return;
    }
    for (const h of sshConfigHosts(text)) if (!hosts.includes(h)) hosts.push(h);
    for (const inc of sshConfigIncludes(text)) {
      const abs = inc.startsWith('~/') ? join(home, inc.slice(2)) : isAbsolute(inc) ? inc : join(home, '.ssh', inc);
      for (const f of expand(abs)) visit(f, depth + 1);
    }
  };
  visit(file, 0);
  return hosts;
}
