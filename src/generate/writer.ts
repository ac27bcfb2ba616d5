/**
 * Writing the generated project safely: `.fledge/manifest.json` records the hash of every file fledge
 * wrote. A re-extract updates the files still as generated, never overwrites one the user edited (it
 * writes `<file>.new` beside it), and refuses a non-empty folder fledge did not create unless forced.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { FledgeError } from "../errors.js";
import { writeFileAtomic } from "../notebook/fs.js";
import type { CopyData, GeneratedFile } from "./project.js";

export const MANIFEST_PATH = ".fledge/manifest.json";

export interface Manifest {
  tool: "fledge";
  /** Manifest format version. */
  format: 1;
  fledgeVersion: string;
  package: string;
  /** The notebook, relative to the project (/ separators). */
  notebook: string;
  /** The data location used (params.yaml `data_dir` default), relative to the project. */
  dataDir: string;
  outputsDir: string;
  /** Generated file → sha256 of the content fledge wrote. */
  files: Record<string, string>;
}

export type WriteAction =
  | "create" // new file
  | "update" // fledge's previous version, unedited: replaced
  | "unchanged" // same content already there
  | "kept-edited"; // the user edited it (or it was not fledge's): left alone, new version in <file>.new

export interface PlannedWrite {
  path: string;
  action: WriteAction;
  content: string;
}

export interface WritePlan {
  outDir: string;
  writes: PlannedWrite[];
  /** Files of the previous extraction that are no longer generated (left in place). */
  obsolete: string[];
  copies: (CopyData & { action: "copy" | "exists" })[];
  manifest: Manifest;
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new FledgeError("E_INPUT", `cannot read ${path}: ${(err as Error).message}`);
  }
}

export async function readManifest(outDir: string): Promise<Manifest | undefined> {
  const text = await readIfExists(join(outDir, MANIFEST_PATH));
  if (text === undefined) return undefined;
  try {
    const m = JSON.parse(text) as Manifest;
    if (m.tool !== "fledge" || typeof m.files !== "object") throw new Error("not a fledge manifest");
    return m;
  } catch (err) {
    throw new FledgeError("E_INPUT", `${MANIFEST_PATH} is not valid: ${(err as Error).message}`, {
      location: { file: join(outDir, MANIFEST_PATH) },
      hint: "Restore it from version control, or delete it and re-extract with --force.",
    });
  }
}

/** Decide what happens to each file; reads the folder, writes nothing. */
export async function planWrites(
  outDir: string,
  files: GeneratedFile[],
  copies: CopyData[],
  info: Omit<Manifest, "tool" | "format" | "files">,
  options: { force?: boolean; notebookDir: string },
): Promise<WritePlan> {
  const previous = await readManifest(outDir);
  if (!previous && !options.force) {
    let entries: string[] = [];
    try {
      entries = (await readdir(outDir)).filter((e) => e !== ".git");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    if (entries.length > 0) {
      throw new FledgeError(
        "E_EXISTS",
        `${outDir} is not empty and was not created by fledge (no ${MANIFEST_PATH})`,
        {
          hint: "Choose an empty or new folder, or add --force (files already there are never overwritten: new versions go to <file>.new).",
        },
      );
    }
  }
  const writes: PlannedWrite[] = [];
  const manifestFiles: Record<string, string> = {};
  for (const f of files) {
    const target = join(outDir, ...f.path.split("/"));
    const current = await readIfExists(target);
    const hash = sha256(f.content);
    // Line endings may have been converted by git on Windows: compare with \n.
    const normalized = current?.replace(/\r\n/g, "\n");
    let action: WriteAction;
    if (normalized === undefined) action = "create";
    else if (normalized === f.content) action = "unchanged";
    else if (previous?.files[f.path] !== undefined && previous.files[f.path] === sha256(normalized))
      action = "update";
    else action = "kept-edited";
    writes.push({ path: f.path, action, content: f.content });
    manifestFiles[f.path] = action === "kept-edited" ? (previous?.files[f.path] ?? hash) : hash;
  }
  const generated = new Set(files.map((f) => f.path));
  const obsolete = Object.keys(previous?.files ?? {}).filter((p) => !generated.has(p));
  const plannedCopies: WritePlan["copies"] = [];
  for (const c of copies) {
    let exists = false;
    try {
      await stat(join(outDir, ...c.to.split("/")));
      exists = true;
    } catch {
      exists = false;
    }
    plannedCopies.push({ ...c, action: exists ? "exists" : "copy" });
  }
  return {
    outDir,
    writes,
    obsolete,
    copies: plannedCopies,
    manifest: { tool: "fledge", format: 1, ...info, files: manifestFiles },
  };
}

/** Carry out a plan: atomic writes, `<file>.new` for edited files, data copies, then the manifest. */
export async function applyWrites(plan: WritePlan, notebookDir: string): Promise<void> {
  for (const w of plan.writes) {
    if (w.action === "unchanged") continue;
    const target = join(plan.outDir, ...w.path.split("/"));
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(w.action === "kept-edited" ? `${target}.new` : target, w.content);
  }
  for (const c of plan.copies) {
    if (c.action !== "copy") continue;
    const target = join(plan.outDir, ...c.to.split("/"));
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(notebookDir, ...c.from.split("/")), target);
  }
  const manifestPath = join(plan.outDir, ...MANIFEST_PATH.split("/"));
  await mkdir(dirname(manifestPath), { recursive: true });
  await writeFileAtomic(manifestPath, `${JSON.stringify(plan.manifest, null, 2)}\n`);
}
