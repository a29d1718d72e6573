/**
 * iptables-restore's reading of one argument: `"` toggles quoting, and only inside quotes a
 * backslash takes the next character literally. Single quotes are ordinary characters.
 */
export function unquoteRestore(image: string): { value: string; unterminated: boolean } {
  if (image.indexOf('"') === -1) return { value: image, unterminated: false };
  // without a backslash every `"` only toggles quoting: dropping them is the whole job, and
  // gives one flat string instead of a chain built a character at a time
  if (image.indexOf('\\') === -1) {
    let quotes = 0;
    for (let i = image.indexOf('"'); i !== -1; i = image.indexOf('"', i + 1)) quotes++;
    return { value: image.replaceAll('"', ''), unterminated: quotes % 2 === 1 };
  }
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
