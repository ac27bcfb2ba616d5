/**
 * The `--steps steps.yaml` file: the user's boundaries and names for the steps (issue 5).
 *
 *   steps:                 # the steps in order; each runs from its start to the next step's start
 *     - name: load_data
 *       start: 2           # cell number as `fledge map` prints it (1-based)
 *     - name: clean_data
 *       start: 5
 *     - name: train_model
 *       start: "9:4"       # cell 9 from line 4: splits a cell between two steps
 *   rename:                # or keep fledge's boundaries and only rename detected steps
 *     process_data: build_features
 *
 * Statements before the first start belong to the first step. Exploration is still found automatically.
 */
import { parse } from "yaml";
import { FledgeError } from "../errors.js";
import type { Notebook } from "../notebook/types.js";
import { PYTHON_KEYWORDS } from "../python/shape.js";
import type { UserSteps } from "./steps.js";

const IDENT = /^[a-z_][a-z0-9_]*$/;

export const STEPS_FILE_HELP = [
  "steps.yaml: `steps:` a list of {name, start} in order (start = cell number as printed, or",
  '"cell:line" to split a cell); and/or `rename:` {detected_name: new_name}. Names: snake_case identifiers.',
];

function fail(file: string, message: string): never {
  throw new FledgeError("E_INPUT", message, {
    location: { file },
    hint: "Expected `steps: [{name: load_data, start: 2}, …]` and/or `rename: {old_name: new_name}`; see `fledge map --help`.",
  });
}

function checkName(file: string, name: unknown, where: string): string {
  if (typeof name !== "string" || !IDENT.test(name) || PYTHON_KEYWORDS.has(name))
    fail(file, `${where}: name ${JSON.stringify(name)} is not a snake_case Python identifier`);
  return name;
}

/** Parse and validate a steps file against the notebook. Cell numbers in the file are 1-based. */
export function parseStepsFile(text: string, file: string, nb: Notebook): UserSteps {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    fail(file, `not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (doc === null || doc === undefined) fail(file, "the file is empty");
  if (typeof doc !== "object" || Array.isArray(doc))
    fail(file, "expected a mapping with `steps:` and/or `rename:`");
  const obj = doc as Record<string, unknown>;
  for (const key of Object.keys(obj))
    if (key !== "steps" && key !== "rename") fail(file, `unknown key '${key}' (expected steps or rename)`);
  const out: UserSteps = {};
  if (obj.steps !== undefined) {
    if (!Array.isArray(obj.steps) || obj.steps.length === 0) fail(file, "`steps` must be a non-empty list");
    const steps: NonNullable<UserSteps["steps"]> = [];
    obj.steps.forEach((raw, i) => {
      const where = `steps[${i}]`;
      if (typeof raw !== "object" || raw === null || Array.isArray(raw))
        fail(file, `${where}: expected {name, start}`);
      const s = raw as Record<string, unknown>;
      const name = checkName(file, s.name, where);
      const start = String(s.start ?? "");
      const m = /^(\d+)(?::(\d+))?$/.exec(start.trim());
      if (!m)
        fail(
          file,
          `${where} (${name}): start ${JSON.stringify(s.start)} is not a cell number or "cell:line"`,
        );
      const cell = Number(m[1]) - 1;
      const c = nb.cells[cell];
      if (!c)
        fail(file, `${where} (${name}): the notebook has no cell ${cell + 1} (it has ${nb.cells.length})`);
      if (c.cell_type !== "code")
        fail(file, `${where} (${name}): cell ${cell + 1} is a ${c.cell_type} cell, not code`);
      const step: { name: string; cell: number; line?: number } = { name, cell };
      if (m[2] !== undefined) step.line = Number(m[2]);
      const prev = steps[steps.length - 1];
      if (prev && (prev.cell > cell || (prev.cell === cell && (prev.line ?? 0) >= (step.line ?? 0))))
        fail(
          file,
          `${where} (${name}): starts before or at the previous step '${prev.name}'; list steps in notebook order`,
        );
      if (steps.some((p) => p.name === name)) fail(file, `${where}: the name '${name}' is used twice`);
      steps.push(step);
    });
    out.steps = steps;
  }
  if (obj.rename !== undefined) {
    if (typeof obj.rename !== "object" || obj.rename === null || Array.isArray(obj.rename))
      fail(file, "`rename` must be a mapping {detected_name: new_name}");
    const rename: Record<string, string> = {};
    for (const [from, to] of Object.entries(obj.rename as Record<string, unknown>))
      rename[from] = checkName(file, to, `rename.${from}`);
    out.rename = rename;
  }
  return out;
}
