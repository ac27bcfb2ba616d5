import { readFile } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import { FledgeError } from "../../errors.js";
import { buildDataflow } from "../../graph/dataflow.js";
import { buildWorkflowMap } from "../../graph/steps.js";
import { parseStepsFile } from "../../graph/stepsfile.js";
import { readNotebookFile, requirePythonKernel, writeFileAtomic } from "../../notebook/index.js";
import { analyzeNotebook, initPython } from "../../python/index.js";
import { type CellFinding, MAP_FORMATS, type MapFormat, renderMap } from "../../render/index.js";
import type { Command } from "../command.js";

const BY_EXTENSION: Record<string, MapFormat> = {
  ".txt": "text",
  ".mmd": "mermaid",
  ".mermaid": "mermaid",
  ".dot": "dot",
  ".gv": "dot",
  ".svg": "svg",
  ".json": "json",
  ".html": "html",
  ".htm": "html",
};

async function checkFindings(nb: unknown, options: Record<string, unknown>): Promise<CellFinding[]> {
  try {
    // Imported on first use (only the HTML map shows findings); a literal path, so the CLI bundle includes it.
    const mod = (await import("../../analysis/index.js")) as {
      checkNotebook?: (nb: unknown, options?: unknown) => unknown;
    };
    if (typeof mod.checkNotebook !== "function") return [];
    const raw = await mod.checkNotebook(nb, options);
    const list = Array.isArray(raw) ? raw : ((raw as { findings?: unknown[] })?.findings ?? []);
    return list.flatMap((f) => {
      const x = f as Record<string, unknown>;
      const loc = (x.location ?? x) as Record<string, unknown>;
      const span = (x.span ?? loc.span ?? {}) as Record<string, unknown>;
      const cell = typeof loc.cell === "number" ? loc.cell : typeof x.cell === "number" ? x.cell : undefined;
      if (cell === undefined) return [];
      const line =
        typeof loc.line === "number" ? loc.line : typeof span.line === "number" ? span.line : undefined;
      const finding: CellFinding = {
        code: typeof x.name === "string" ? `${String(x.code)} ${x.name}` : String(x.code ?? "finding"),
        severity: String(x.severity ?? "warning"),
        message: String(x.message ?? ""),
        cell,
      };
      if (line !== undefined) finding.line = line;
      return [finding];
    });
  } catch {
    return [];
  }
}

export const command: Command = {
  name: "map",
  summary: "the notebook's workflow as steps (text, mermaid, dot, svg, json, html)",
  usage:
    "map <notebook> [--format text|mermaid|dot|svg|json|html] [-o FILE] [--level steps|cells] [--steps steps.yaml]",
  help: [
    ["--format FORMAT", `one of ${MAP_FORMATS.join(", ")} (default text, or from the -o file's extension)`],
    ["-o, --output FILE", "write to FILE (atomically) instead of standard output"],
    ["--level steps|cells", "draw the steps (default) or the dataflow graph of code cells"],
    ["--steps FILE", "a steps.yaml giving the steps' boundaries and names:"],
    ["", "  steps:                    # in order; a step runs until the next starts"],
    ["", "    - {name: load_data, start: 2}      # start = cell number as printed"],
    ["", '    - {name: train_model, start: "9:4"} # cell 9 from line 4'],
    ["", "  rename: {process_data: build_features}  # or only rename detected steps"],
    ["", "Names: snake_case identifiers. Code above the first start joins the first step;"],
    ["", "exploration (displays, plots) is still found automatically and left out of the steps."],
  ],
  examples: [
    "fledge map analysis.ipynb",
    "fledge map analysis.ipynb --format mermaid >> README.md",
    "fledge map analysis.ipynb -o map.html",
    "fledge map analysis.ipynb --level cells --format svg -o cells.svg",
    "fledge map analysis.ipynb --steps steps.yaml",
  ],
  options: {
    format: { type: "string" },
    output: { type: "string", short: "o" },
    level: { type: "string" },
    steps: { type: "string" },
  },
  async run(args, ctx) {
    if (args.positionals.length !== 1)
      throw new FledgeError("E_USAGE", "expected exactly one notebook", {
        hint: "fledge map analysis.ipynb",
      });
    const file = args.positionals[0]!;
    const output = args.values.output as string | undefined;
    let format = args.values.format as string | undefined;
    if (format === undefined)
      format = output ? (BY_EXTENSION[extname(output).toLowerCase()] ?? "text") : "text";
    if (!(MAP_FORMATS as readonly string[]).includes(format))
      throw new FledgeError(
        "E_USAGE",
        `unknown format '${format}'. Choose one of: ${MAP_FORMATS.join(", ")}.`,
      );
    const level = (args.values.level as string | undefined) ?? "steps";
    if (level !== "steps" && level !== "cells")
      throw new FledgeError("E_USAGE", `unknown level '${level}'. Choose one of: steps, cells.`);

    const loaded = await readNotebookFile(resolve(ctx.cwd, file));
    const nb = loaded.notebook;
    requirePythonKernel(nb, file);
    let user: ReturnType<typeof parseStepsFile> | undefined;
    const stepsFile = args.values.steps as string | undefined;
    if (stepsFile !== undefined) {
      let text: string;
      try {
        text = await readFile(resolve(ctx.cwd, stepsFile), "utf8");
      } catch (err) {
        throw new FledgeError("E_INPUT", `cannot read the steps file: ${(err as Error).message}`, {
          location: { file: stepsFile },
        });
      }
      user = parseStepsFile(text, stepsFile, nb);
    }
    await initPython();
    const analysis = analyzeNotebook(nb, { shapes: true });
    const graph = buildDataflow(analysis);
    let map: ReturnType<typeof buildWorkflowMap>;
    try {
      map = buildWorkflowMap(nb, analysis, graph, user ? { user } : {});
    } catch (err) {
      // A rename the notebook's steps do not have: point at the steps file.
      if (err instanceof FledgeError && stepsFile !== undefined)
        throw new FledgeError(err.code, err.message, { location: { file: stepsFile }, hint: err.hint ?? "" });
      throw err;
    }
    const findings = format === "html" ? await checkFindings(nb, { analysis, graph }) : [];
    const rendered = await renderMap(
      { title: basename(file), nb, analysis, map, level, findings },
      format as MapFormat,
    );
    if (output) await writeFileAtomic(resolve(ctx.cwd, output), rendered);
    else ctx.stdout.write(rendered);
    if (format !== "text" || output) {
      for (const f of map.findings ?? [])
        ctx.stderr.write(
          `fledge: warning: ${file}, cell ${f.cell + 1}, line ${f.span.line}: ${f.step ? `${f.step}: ` : ""}${f.message}\n`,
        );
    }
    return 0;
  },
};
