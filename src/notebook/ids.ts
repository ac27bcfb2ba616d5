/**
 * Cell ids on request. Reading never adds ids (a notebook older than 4.5 keeps having none); a command that
 * needs them (or a user who asks) calls `addCellIds`, which does what nbformat's upgrade to 4.5 does.
 */
import { randomBytes } from "node:crypto";
import type { Notebook } from "./types.js";

const VALID_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Give every cell a valid, unique id (keeping the ids that already are), and mark the notebook nbformat 4.5.
 * Returns how many ids were added or replaced. `newId` defaults to 8 random hex digits, as Jupyter's.
 */
export function addCellIds(nb: Notebook, newId: () => string = () => randomBytes(4).toString("hex")): number {
  const seen = new Set<string>();
  let changed = 0;
  for (const cell of nb.cells) {
    const id = cell.id;
    if (typeof id === "string" && VALID_ID.test(id) && !seen.has(id)) {
      seen.add(id);
      continue;
    }
    let fresh = newId();
    while (seen.has(fresh)) fresh = newId();
    cell.id = fresh;
    seen.add(fresh);
    changed++;
  }
  if (nb.nbformat === 4 && Number(nb.nbformat_minor) < 5) nb.nbformat_minor = 5;
  return changed;
}
