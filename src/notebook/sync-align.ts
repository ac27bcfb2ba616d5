/**
 * Matching two cell lists: the longest common subsequence of equal cells (unchanged, in order), then equal
 * cells found elsewhere (moved), then, between the same unchanged neighbours, remaining cells paired in order
 * (edited). What is left over was added (in `b`) or deleted (from `a`).
 */

export interface Alignment {
  /** [index in a, index in b] of equal cells kept in order. */
  pairs: [number, number][];
  /** Equal cells at another place. */
  moves: [number, number][];
  /** A cell of `a` replaced by an edited one in `b`. */
  edits: [number, number][];
}

function lcs(a: string[], b: string[]): [number, number][] {
  // Common prefix and suffix first: most syncs change a few cells.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: [number, number][] = [];
  for (let k = 0; k < start; k++) out.push([k, k]);
  const n = endA - start;
  const m = endB - start;
  if (n > 0 && m > 0) {
    const width = m + 1;
    const table = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * width + j] =
          a[start + i] === b[start + j]
            ? table[(i + 1) * width + j + 1]! + 1
            : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[start + i] === b[start + j]) {
        out.push([start + i, start + j]);
        i++;
        j++;
      } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) i++;
      else j++;
    }
  }
  for (let k = 0; k < a.length - endA; k++) out.push([endA + k, endB + k]);
  return out;
}

export function alignCells(a: string[], b: string[], pairable: (i: number, j: number) => boolean): Alignment {
  const pairs = lcs(a, b);
  const usedA = new Set(pairs.map(([i]) => i));
  const usedB = new Set(pairs.map(([, j]) => j));
  const moves: [number, number][] = [];
  const freeA = new Map<string, number[]>();
  a.forEach((key, i) => {
    if (usedA.has(i)) return;
    const list = freeA.get(key);
    if (list) list.push(i);
    else freeA.set(key, [i]);
  });
  b.forEach((key, j) => {
    if (usedB.has(j)) return;
    const i = freeA.get(key)?.shift();
    if (i === undefined) return;
    moves.push([i, j]);
    usedA.add(i);
    usedB.add(j);
  });
  // Anchors: for each b index, the a index of the nearest unchanged cell before and after it.
  const anchorA = new Array<number>(b.length).fill(-1);
  for (const [i, j] of pairs) anchorA[j] = i;
  const prevA = new Array<number>(b.length);
  const nextA = new Array<number>(b.length);
  let last = -1;
  for (let j = 0; j < b.length; j++) {
    prevA[j] = last;
    if (anchorA[j]! >= 0) last = anchorA[j]!;
  }
  last = a.length;
  for (let j = b.length - 1; j >= 0; j--) {
    nextA[j] = last;
    if (anchorA[j]! >= 0) last = anchorA[j]!;
  }
  const edits: [number, number][] = [];
  for (let j = 0; j < b.length; j++) {
    if (usedB.has(j)) continue;
    for (let i = prevA[j]! + 1; i < nextA[j]!; i++) {
      if (usedA.has(i) || !pairable(i, j)) continue;
      edits.push([i, j]);
      usedA.add(i);
      usedB.add(j);
      break;
    }
  }
  return { pairs, moves, edits };
}
