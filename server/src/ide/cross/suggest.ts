/**
 * "Did you mean ...?" for closed sets of names (cpu types, kernels, ABIs,
 * RISC-V extensions, example names).
 *
 * Names in these sets are short (3–12 characters) and the typical slip is a
 * swapped pair (`riscv46`), a missing or doubled letter (`aarch46`, `lp64dd`)
 * or the wrong case (`RISCV64`), so an optimal-string-alignment distance
 * (Levenshtein plus adjacent transpositions) over lower-cased names is enough.
 */

/**
 * Edit distance between `a` and `b` where inserting, deleting or replacing a
 * character, or swapping two adjacent characters, each cost 1.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows are enough for the transposition rule.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, before[j - 2] + 1);
      }
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length];
}

/**
 * The candidate closest to `word`, if it is close enough to be a plausible
 * typo: at most one edit for short words, about a third of the length for
 * longer ones. Case is ignored (`RISCV64` suggests `riscv64`). On a tie the
 * candidate listed first wins, so callers list preferred names first.
 * `maxDistance` tightens the limit where the set is open-ended and a
 * near-miss may well be a legitimate name the list lacks.
 */
export function closestMatch(
  word: string,
  candidates: Iterable<string>,
  maxDistance = Infinity,
): string | undefined {
  const lower = word.toLowerCase();
  if (lower.length === 0) return undefined;
  const limit = Math.min(maxDistance, Math.max(1, Math.floor(lower.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
