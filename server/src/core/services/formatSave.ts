/**
 * Canonical layout for an iptables-save file: words separated by one space, no trailing
 * blanks, comments and blank lines kept, a final newline. Quoted values are copied as they
 * are, so the meaning never changes (a test re-parses the output to the same model).
 */
export function formatSave(text: string): string {
  const bom = text.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const lines = body.split('\n').map((raw) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // an indented comment is an error iptables-restore refuses (and the linter reports): it
    // is kept as written, not turned into a comment that loads
    if (line.startsWith('#') || /^[ \t]+#/.test(line)) return line.replace(/[ \t]+$/, '');
    return words(line).join(' ');
  });
  while (lines.length > 1 && lines[lines.length - 1] === '' && lines[lines.length - 2] === '') lines.pop();
  const out = lines.join('\n');
  return bom + (out.endsWith('\n') || out === '' ? out : out + '\n');
}

/** Splits like iptables-restore: blanks separate words except inside "…" (where \ escapes). */
function words(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= line.length) break;
    const start = i;
    let quoted = false;
    while (i < line.length) {
      const c = line[i];
      if (quoted) {
        if (c === '\\') i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === ' ' || c === '\t') break;
      i++;
    }
    out.push(line.slice(start, Math.min(i, line.length)));
  }
  return out;
}
