/**
 * tests/fixtures/README.md of a generated project: where the recorded samples come from (real rows of the
 * notebook's data, or rows generated from the recorded schema with `--fixtures synthetic`, with the seed),
 * and for every step whether it has a sample test and, if not, why. Also the note that marks a step's test
 * module as running on synthetic fixtures.
 */
import type { ProjectModel } from "../generate/model.js";
import type { StepFixture } from "./tests-emitter.js";

/** How the fixtures were made: real samples, or synthetic rows with their seed. */
export interface FixtureMode {
  synthetic: boolean;
  seed: number;
}

export const FIXTURES_README = "tests/fixtures/README.md";

function inputsOf(model: ProjectModel, fx: StepFixture): string {
  const step = model.steps.find((s) => s.name === fx.step);
  const names = (step?.args ?? [])
    .filter((a) => a.source.kind === "input" && fx.arguments.includes(a.name))
    .map((a) => `\`${a.name}\``);
  return names.length > 0 ? names.join(", ") : "its inputs";
}

export function renderFixturesReadme(model: ProjectModel, steps: StepFixture[], mode: FixtureMode): string {
  const nb = model.notebookName;
  const lines = ["# Test fixtures", ""];
  lines.push(
    `fledge wrote these folders when it extracted this project from \`${nb}\`. Each \`<step>/\` holds the`,
    "inputs a step's recorded test calls it with (`in_*`), what the step returned for them (`out_*`) and a",
    '`manifest.json`; `tests/conftest.py` loads them (`recorded("<step>", "inputs/<name>")`).',
    "",
  );
  if (mode.synthetic) {
    lines.push(
      `**These fixtures are synthetic: no row of the notebook's data is in them.** They were generated with seed`,
      `${mode.seed} from the schema recorded when \`${nb}\` ran (\`fledge extract --fixtures synthetic\`): the same`,
      "columns, dtypes and index type; categories and low-cardinality values drawn from those observed; numbers,",
      "dates and times within the observed ranges, with the observed share of missing values; free text and",
      "identifiers replaced by placeholder strings of the same shape that are never an observed value.",
      "Parameters (scalars, short lists and dicts) are code, not data, and are written as they are; so are fitted",
      "objects a step receives (a trained model holds no rows, but it was fitted on the real data). The expected",
      "outputs are what each step returned on the synthetic inputs, so the tests check that the code still behaves",
      "as it did, not the notebook's numbers (tests/test_pipeline.py does that on the real data, when present).",
    );
  } else {
    lines.push(
      `**These fixtures are samples of the real data \`${nb}\` ran on** (up to a few dozen rows per table, chosen`,
      "to include missing values and every category; values matching a secret pattern are written as",
      "`<redacted>`). If this data must not be committed, extract again with `--fixtures synthetic`: rows are then",
      "generated from the recorded schema instead.",
    );
  }
  lines.push("", "| step | sample test |", "|---|---|");
  for (const fx of steps) {
    const what = fx.skipped
      ? `none: ${fx.skipped}`
      : `${fx.synthetic ? "synthetic" : "real"} inputs ${inputsOf(model, fx)} (${fx.rows} rows per table)`;
    lines.push(`| \`${fx.step}\` | ${what.replace(/\|/g, "\\|").replace(/\r?\n/g, " ")} |`);
  }
  const notes = steps.flatMap((s) => s.schemaNotes ?? []);
  if (notes.length > 0) {
    lines.push("", "What the synthetic rows could not follow:", "");
    for (const n of notes) lines.push(`- ${n}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The note added to the module docstring of tests/test_<step>.py when its recorded test runs on synthetic
 * fixtures; undefined when the step has no sample test or real fixtures.
 */
export function syntheticNote(fx: StepFixture, nb: string): string | undefined {
  if (fx.skipped || !fx.synthetic) return undefined;
  return [
    `The recorded test below runs on SYNTHETIC fixtures (tests/fixtures/${fx.step}/):`,
    `rows fledge generated with seed ${fx.seed ?? 0} from the schema recorded when ${nb} ran,`,
    "not real data (see tests/fixtures/README.md).",
  ].join("\n");
}

/** Add a paragraph to a Python module's leading docstring (a one-line `"""…"""` becomes multi-line). */
export function addToModuleDocstring(source: string, paragraph: string): string {
  const m = /^"""([\s\S]*?)"""/.exec(source);
  if (!m) return `"""${paragraph}\n"""\n\n${source}`;
  const body = (m[1] as string).replace(/\s+$/, "");
  return `"""${body}\n\n${paragraph}\n"""${source.slice(m[0].length)}`;
}
