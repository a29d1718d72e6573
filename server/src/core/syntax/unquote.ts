/**
 * iptables-restore's reading of one argument: `"` toggles quoting, and only inside quotes a
 * backslash takes the next character literally. Single quotes are ordinary characters.
 */
export function unquoteRestore(image: string): { value: string; unterminated: boolean } {
  if (image.indexOf('"') === -1) return { value: image, unterminated: false };
  let out = '';
  let inQuote = false;
  for (let i = 0; i < image.length; i++) {
    const ch = image[i];
    if (inQuote) {
      if (ch === '\\' && i + 1 < image.length) {
        out += image[++i];
      } else if (ch === '"') {
        inQuote = false;
      } else {
        out += ch;
      }
    } else if (ch === '"') {
      inQuote = true;
    } else {
      out += ch;
    }
  }
  return { value: out, unterminated: inQuote };
}
