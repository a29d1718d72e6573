/**
 * "Did you mean …?" for option, match, target and value names. Pure functions, no data.
 *
 * The distance is the optimal string alignment variant of Damerau–Levenshtein: insertions,
 * deletions, substitutions and transpositions of two neighbouring letters each cost one
 * (`ESTABLISED` → `ESTABLISHED` is 1, `--dprot` → `--dport` is 1).
 */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[n];
}

export interface DidYouMeanOptions {
  /** Compare without regard to case (a case-only difference then scores 0 and wins). Default true. */
  ignoreCase?: boolean;
  /** Largest distance still offered; by default 1 for words up to 4 letters, 2 up to 9, else 3. */
  maxDistance?: number;
}

function limitFor(word: string): number {
  return word.length <= 4 ? 1 : word.length <= 9 ? 2 : 3;
}

/**
 * Candidates close to `word`, best first (ties keep the candidates' order). A candidate equal
 * to `word` is never offered: the caller only asks when `word` is not valid.
 */
export function closestNames(word: string, candidates: Iterable<string>, options: DidYouMeanOptions = {}): string[] {
  const ignoreCase = options.ignoreCase ?? true;
  const limit = options.maxDistance ?? limitFor(word);
  const w = ignoreCase ? word.toLowerCase() : word;
  const scored: { name: string; score: number; index: number }[] = [];
  let index = 0;
  for (const c of candidates) {
    index++;
    if (c === word) continue;
    const cc = ignoreCase ? c.toLowerCase() : c;
    // a case-only difference is the most likely slip of all
    const score = cc === w ? 0 : word.toLowerCase() === c.toLowerCase() ? 0.5 : editDistance(w, cc);
    if (score <= limit) scored.push({ name: c, score, index });
  }
  scored.sort((a, b) => a.score - b.score || a.index - b.index);
  const out: string[] = [];
  for (const s of scored) if (!out.includes(s.name)) out.push(s.name);
  return out;
}

/** The single most likely intended name, or undefined when nothing is close enough. */
export function didYouMean(word: string, candidates: Iterable<string>, options: DidYouMeanOptions = {}): string | undefined {
  return closestNames(word, candidates, options)[0];
}

/** ` Did you mean 'X'?` or an empty string, for appending to a message. */
export function didYouMeanSuffix(word: string, candidates: Iterable<string>, options: DidYouMeanOptions = {}): string {
  const near = didYouMean(word, candidates, options);
  return near === undefined ? '' : ` Did you mean '${near}'?`;
}
