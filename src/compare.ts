/**
 * Locale-independent string orderings for everything fledge sorts (findings, folder walks, generated files).
 *
 * `String.prototype.localeCompare` is avoided on purpose: its order depends on the machine's locale and ICU
 * data (generated files and reports must be byte-identical everywhere), and its first call loads ICU's
 * collation tables, about 10 ms of CPU that every `fledge check` run paid on its first notebook.
 */

/** Code-unit order (what `Array.prototype.sort()` does without a comparator). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Case-insensitive order for names a person reads in a list (file names, package names): `Data.ipynb` sorts
 * beside `data.ipynb`, not before every lowercase name. Ties (names equal but for case) fall back to code-unit
 * order, so the order is total and stable across machines.
 */
export function compareNames(a: string, b: string): number {
  return compareText(a.toLowerCase(), b.toLowerCase()) || compareText(a, b);
}
