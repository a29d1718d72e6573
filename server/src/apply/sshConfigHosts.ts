/**
 * Host aliases from an OpenSSH client config (`~/.ssh/config`) for the host picker: every
 * name on a `Host` line that is not a pattern (`*`, `?`) or a negation (`!`). `Include`d
 * files are read by `node/sshConfigFiles.ts`, which gives this each file's text.
 */
export function sshConfigHosts(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*Host(?:\s*=\s*|\s+)(.+)$/i.exec(raw);
    if (!m) continue;
    const names = m[1].replace(/#.*$/, '').match(/"[^"]*"|\S+/g) ?? [];
    for (const n of names) {
      const name = n.replace(/^"|"$/g, '');
      if (!name || /[*?!]/.test(name) || out.includes(name)) continue;
      out.push(name);
    }
  }
  return out;
}

/** The paths of `Include` lines, in order (each may hold several, and `~` or `*`). */
export function sshConfigIncludes(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*Include(?:\s*=\s*|\s+)(.+)$/i.exec(raw);
    if (!m) continue;
    for (const n of m[1].replace(/#.*$/, '').match(/"[^"]*"|\S+/g) ?? []) out.push(n.replace(/^"|"$/g, ''));
  }
  return out;
}
