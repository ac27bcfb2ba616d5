import { readFileSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { FledgeError } from "../../errors.js";
import { fileError, readTextFile, writeFileAtomic } from "../../notebook/fs.js";
import { parsePercent, replaceSyncState, writePercent } from "../../notebook/percent.js";
import { parseNotebook } from "../../notebook/read.js";
import {
  cellViews,
  decideSync,
  inputsHash,
  type SyncDecision,
  type SyncFile,
  type SyncPy,
} from "../../notebook/sync.js";
import type { Cell, Notebook } from "../../notebook/types.js";
import { serializeNotebook } from "../../notebook/write.js";
import type { CliContext, Command, ParsedArgs } from "../command.js";

interface PairPaths {
  /** As shown in messages (relative to where the user is, as typed). */
  ipynb: string;
  py: string;
}

function pairOf(arg: string): PairPaths {
  const ext = extname(arg);
  const lower = ext.toLowerCase();
  if (lower !== ".ipynb" && lower !== ".py") {
    throw new FledgeError(
      "E_USAGE",
      `'${arg}' is neither a notebook (.ipynb) nor a percent-format script (.py)`,
      {
        hint: "Give the notebook or its paired .py, e.g. `fledge sync analysis.ipynb`.",
      },
    );
  }
  const base = arg.slice(0, arg.length - ext.length);
  return { ipynb: `${base}.ipynb`, py: `${base}.py` };
}

function mtimeOf(path: string): number | undefined {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st === undefined) return undefined;
    if (st.isDirectory())
      throw fileError(Object.assign(new Error("is a directory"), { code: "EISDIR" }), path);
    return st.mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if (err instanceof FledgeError) throw err;
    throw fileError(err, path);
  }
}

function sameViews(a: Notebook, b: Notebook): number[] {
  const va = cellViews(a);
  const vb = cellViews(b);
  const bad: number[] = [];
  for (let i = 0; i < Math.max(va.length, vb.length); i++) {
    if (va[i]?.key !== vb[i]?.key || va[i]?.metadataJson !== vb[i]?.metadataJson) bad.push(i);
  }
  return bad;
}

const CELL_TYPES = new Set(["code", "markdown", "raw"]);

/**
 * The notebook's inputs only (types, sources, metadata), read with the native JSON parser: enough to decide and
 * to write the .py, about twice as fast as the exact reader. Anything unusual (not nbformat 4, a repair needed,
 * invalid UTF-8) returns undefined and goes through `parseNotebook`; a notebook that will be written is always
 * read again with it (exact numbers, layout memos).
 */
function readInputsFast(text: string): Notebook | undefined {
  if (text.includes("\uFFFD") || text.charCodeAt(0) === 0xfeff) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const nb = raw as Record<string, unknown>;
  if (!nb || typeof nb !== "object" || nb.nbformat !== 4 || typeof nb.nbformat_minor !== "number")
    return undefined;
  if (!Array.isArray(nb.cells) || !nb.metadata || typeof nb.metadata !== "object") return undefined;
  const cells: Cell[] = [];
  for (const c of nb.cells as Record<string, unknown>[]) {
    if (!c || typeof c !== "object" || !CELL_TYPES.has(c.cell_type as string)) return undefined;
    const src = c.source;
    const source =
      typeof src === "string"
        ? src
        : Array.isArray(src) && src.every((l) => typeof l === "string")
          ? src.join("")
          : undefined;
    if (source === undefined || !c.metadata || typeof c.metadata !== "object" || Array.isArray(c.metadata))
      return undefined;
    cells.push({ ...c, source } as Cell);
  }
  return { ...(nb as unknown as Notebook), cells };
}

interface PlannedWrite {
  path: string;
  text: string;
  what: string;
}

/** Turn a decision into file texts, checking that each written file reads back as intended. */
function plannedWrites(
  decision: SyncDecision,
  paths: PairPaths,
  abs: PairPaths,
  pyText: string | undefined,
): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  const state = decision.state!;
  if (decision.notebook) {
    const text = serializeNotebook(decision.notebook);
    const back = parseNotebook(text, abs.ipynb).notebook;
    if (inputsHash(back) !== state.inputs) {
      throw new FledgeError(
        "E_INTERNAL",
        "the merged notebook does not read back as expected; nothing was written",
        {
          location: { file: paths.ipynb },
        },
      );
    }
    writes.push({ path: abs.ipynb, text, what: paths.ipynb });
  }
  if (decision.pyFrom) {
    const eol = pyText !== undefined && /\r\n/.test(pyText) && !/(^|[^\r])\n/.test(pyText) ? "\r\n" : "\n";
    const text = writePercent(decision.pyFrom, { state, eol });
    const bad = sameViews(parsePercent(text).notebook, decision.pyFrom);
    if (bad.length > 0) {
      throw new FledgeError(
        "E_INPUT",
        `cell ${bad[0]! + 1} cannot be written to the percent format so that it reads back the same ` +
          "(typically a code cell that ends inside an unterminated string); nothing was written",
        {
          location: { file: paths.ipynb, cell: bad[0]! },
          hint: "Close the string in that cell (or make it a raw cell), then run `fledge sync` again.",
        },
      );
    }
    writes.push({ path: abs.py, text, what: paths.py });
  } else if (decision.recordOnly && pyText !== undefined) {
    const text = replaceSyncState(pyText, state);
    if (inputsHash(parsePercent(text).notebook) !== state.inputs) {
      throw new FledgeError("E_INTERNAL", "the .py header could not be updated safely; nothing was written", {
        location: { file: paths.py },
      });
    }
    writes.push({ path: abs.py, text, what: `${paths.py} (sync record)` });
  }
  return writes;
}

interface PairResult {
  conflict?: string;
  lines: string[];
  /** The pair's files, written one after the other (settled before `lines` are printed). */
  written?: Promise<void>;
}

async function syncOne(arg: string, args: ParsedArgs, ctx: CliContext): Promise<PairResult> {
  const paths = pairOf(arg);
  const abs: PairPaths = { ipynb: resolve(ctx.cwd, paths.ipynb), py: resolve(ctx.cwd, paths.py) };
  const nbTime = mtimeOf(abs.ipynb);
  const pyTime = mtimeOf(abs.py);
  const given = arg === paths.py || extname(arg).toLowerCase() === ".py" ? "py" : "ipynb";
  if ((given === "py" ? pyTime : nbTime) === undefined) {
    throw fileError(
      Object.assign(new Error("not found"), { code: "ENOENT" }),
      given === "py" ? paths.py : paths.ipynb,
    );
  }
  let ipynb: SyncFile | undefined;
  let py: SyncPy | undefined;
  let pyText: string | undefined;
  const lines: string[] = [];
  let nbText: string | undefined;
  if (nbTime !== undefined) {
    try {
      nbText = readFileSync(abs.ipynb, "utf8");
    } catch (err) {
      throw fileError(err, paths.ipynb);
    }
    const fast = readInputsFast(nbText);
    if (fast) ipynb = { path: paths.ipynb, notebook: fast, mtimeMs: nbTime };
  }
  if (nbTime !== undefined && !ipynb) {
    const parsed = parseNotebook(await readTextFile(abs.ipynb), paths.ipynb);
    const bad = parsed.notebook.cells.findIndex((c) => !["code", "markdown", "raw"].includes(c.cell_type));
    if (bad >= 0) {
      throw new FledgeError(
        "E_INPUT",
        `cell_type '${String(parsed.notebook.cells[bad]!.cell_type)}' is not an nbformat 4 cell type; the .py cannot hold it`,
        {
          location: { file: paths.ipynb, cell: bad, jsonPath: `cells[${bad}].cell_type` },
          hint: "Open the notebook in Jupyter and save it again (it converts old cell types), then sync.",
        },
      );
    }
    ipynb = { path: paths.ipynb, notebook: parsed.notebook, mtimeMs: nbTime };
  }
  if (pyTime !== undefined) {
    pyText = await readTextFile(abs.py);
    const parsed = parsePercent(pyText, paths.py);
    for (const w of parsed.warnings) lines.push(`warning: ${paths.py}: ${w.message}`);
    py = { path: paths.py, notebook: parsed.notebook, mtimeMs: pyTime };
    if (parsed.pairing?.state) py.state = parsed.pairing.state;
  }
  const prefer = args.values.prefer as "py" | "ipynb" | undefined;
  let decision = decideSync({
    ipynbPath: paths.ipynb,
    pyPath: paths.py,
    ...(ipynb ? { ipynb } : {}),
    ...(py ? { py } : {}),
    ...(prefer ? { prefer } : {}),
  });
  if (decision.action === "update-ipynb" && ipynb && nbText !== undefined) {
    // The notebook will be written: read it exactly (numbers as written, line layout) and decide again.
    ipynb = { ...ipynb, notebook: parseNotebook(await readTextFile(abs.ipynb), paths.ipynb).notebook };
    decision = decideSync({
      ipynbPath: paths.ipynb,
      pyPath: paths.py,
      ipynb,
      ...(py ? { py } : {}),
      ...(prefer ? { prefer } : {}),
    });
  }
  if (decision.action === "conflict") return { conflict: decision.reason, lines };
  if (decision.action === "none") {
    lines.push(`${paths.py} ⇄ ${paths.ipynb}: ${decision.reason}`);
    return { lines };
  }
  const writes = plannedWrites(decision, paths, abs, pyText);
  const dry = args.values["dry-run"] === true;
  lines.push(`${paths.py} ⇄ ${paths.ipynb}: ${decision.reason}`);
  for (const c of decision.changes) lines.push(`  ${c}`);
  for (const w of writes) {
    if (dry) lines.push(`  would write ${w.what} (${Buffer.byteLength(w.text)} bytes)`);
    else lines.push(`  wrote ${w.what}`);
  }
  if (dry || writes.length === 0) return { lines };
  const written = (async () => {
    for (const w of writes) await writeFileAtomic(w.path, w.text);
  })();
  written.catch(() => undefined); // awaited by the caller, in order
  return { lines, written };
}

/** Pairs whose files may be flushing to disk while the next pairs are read and converted. */
const IN_FLIGHT = 4;

export const command: Command = {
  name: "sync",
  summary: "pair a notebook with a percent-format .py and keep them in sync",
  usage: "sync <nb.ipynb or nb.py>… [--prefer py|ipynb] [--dry-run] [--quiet]",
  help: [
    ["--prefer py|ipynb", "when both files changed since the last sync, keep this one's inputs"],
    ["--dry-run", "say what would be written, write nothing"],
    ["-q, --quiet", "print only warnings and conflicts"],
  ],
  examples: [
    "fledge sync analysis.ipynb        # first time: writes analysis.py (percent format, Jupytext-compatible)",
    "fledge sync analysis.py           # later: carries the edits of whichever file changed into the other",
    "fledge sync analysis.py --prefer py   # both were edited: keep the .py's code",
  ],
  options: {
    prefer: { type: "string" },
    "dry-run": { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
  },
  async run(args, ctx) {
    const prefer = args.values.prefer;
    if (prefer !== undefined && prefer !== "py" && prefer !== "ipynb") {
      throw new FledgeError("E_USAGE", `--prefer takes 'py' or 'ipynb', not '${String(prefer)}'`);
    }
    if (args.positionals.length === 0) {
      throw new FledgeError("E_USAGE", "give a notebook (.ipynb) or its paired .py", {
        hint: "Example: `fledge sync analysis.ipynb`.",
      });
    }
    const quiet = args.values.quiet === true;
    const conflicts: string[] = [];
    // Each pair is reported once its files are on disk, in the order given; a pair whose files are still
    // being written is waited for before the same files are read again (`fledge sync a.ipynb a.py`). The first
    // error in that order is the one reported, and no pair is started after it.
    const pending: { result: PairResult; files: string[] }[] = [];
    let failure: { error: unknown } | undefined;
    const settle = async (): Promise<void> => {
      const { result } = pending.shift()!;
      try {
        await result.written;
      } catch (error) {
        failure ??= { error };
        return;
      }
      for (const line of result.lines) {
        if (line.startsWith("warning:")) ctx.stderr.write(`fledge: ${line}\n`);
        else if (!quiet) ctx.stdout.write(`${line}\n`);
      }
      if (result.conflict) conflicts.push(result.conflict);
    };
    for (const arg of args.positionals) {
      try {
        const pair = pairOf(arg);
        const files = [resolve(ctx.cwd, pair.ipynb), resolve(ctx.cwd, pair.py)];
        if (pending.some((p) => p.files.some((f) => files.includes(f)))) {
          while (pending.length > 0) await settle();
        }
        if (pending.length >= IN_FLIGHT) await settle();
        if (failure) break;
        pending.push({ result: await syncOne(arg, args, ctx), files });
      } catch (error) {
        while (pending.length > 0) await settle();
        failure ??= { error };
        break;
      }
    }
    while (pending.length > 0) await settle();
    if (failure) throw failure.error;
    if (conflicts.length === 0) return 0;
    const hint =
      "Nothing was written for these files. Look at both, then re-run with --prefer py (keep the .py's inputs) " +
      "or --prefer ipynb (keep the notebook's).";
    if (conflicts.length === 1 && args.positionals.length === 1) {
      throw new FledgeError("E_CONFLICT", `sync conflict: ${conflicts[0]}`, { hint });
    }
    for (const c of conflicts) ctx.stderr.write(`fledge: sync conflict: ${c}\n`);
    throw new FledgeError(
      "E_CONFLICT",
      `${conflicts.length} of ${args.positionals.length} pairs have conflicts`,
      {
        hint,
      },
    );
  },
};
