/**
 * Host aliases from an OpenSSH client config (`~/.ssh/config`) for the host picker: every
 * name on a `Host` line that is not a pattern (`*`, `?`) or a negation (`!`). `Include`d
 * files are read by `node/sshConfigFiles.ts`, which gives this each file's text.
 */
export function sshConfigHosts(text: string): string[] {
  const out: string[] = [];
  for (const name of keywordWords(text, 'Host')) {
    if (!name || /[*?!]/.test(name) || out.includes(name)) continue;
    out.push(name);
  }
  return out;
}

/** The words after every `KEYWORD` (or `KEYWORD=`) line, in order, unquoted, comments dropped. */
function keywordWords(text: string, keyword: string): string[] {
  const line = new RegExp(`^\\s*${keyword}(?:\\s*=\\s*|\\s+)(.+)$`, 'i');
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = line.exec(raw);
    if (!m) continue;
    for (const w of m[1].replace(/#.*$/, '').match(/"[^"]*"|\S+/g) ?? []) out.push(w.replace(/^"|"$/g, ''));
  }
  return out;
}

/** The paths of `Include` lines, in order (each may hold several, and `~` or `*`). */
export function sshConfigIncludes(text: string): string[] {
  return keywordWords(text, 'Include');
}
