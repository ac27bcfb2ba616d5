/**
 * Shared by the MLOps tests: the bundled churn example extracted with MLOps options into a temporary
 * folder (the example and its data are copied first, so runs never write into the repository).
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Extraction } from "../../src/generate/index.js";
import { extractProject, initExtract } from "../../src/generate/index.js";
import type { MlopsOptions } from "../../src/generate/mlops/index.js";
import { readNotebookFile } from "../../src/notebook/index.js";
import { sh, writeExtraction } from "../generate/project-run.js";
import { ROOT } from "../helpers/env.js";

export interface ExtractedExample {
  root: string;
  project: string;
  extraction: Extraction;
}

/** Copy examples/churn to <tmp>/nb and extract it to <tmp>/proj (a git repository with one commit). */
export async function extractChurn(mlops: MlopsOptions): Promise<ExtractedExample> {
  await initExtract();
  const root = mkdtempSync(join(tmpdir(), "fledge-mlops-"));
  const nbDir = join(root, "nb");
  cpSync(join(ROOT, "examples", "churn"), nbDir, {
    recursive: true,
    filter: (src) => !/[\\/]outputs$/.test(src),
  });
  const notebookPath = join(nbDir, "churn.ipynb");
  const project = join(root, "proj");
  const nb = (await readNotebookFile(notebookPath)).notebook;
  const extraction = extractProject(nb, { notebookPath, outDir: project, mlops });
  await writeExtraction(extraction, project, nbDir);
  const id = ["-c", "user.name=t", "-c", "user.email=t@localhost"];
  for (const args of [
    ["init", "-q"],
    ["add", "-A"],
    [...id, "commit", "-q", "-m", "extracted"],
  ]) {
    const r = sh("git", args, project);
    if (r.status !== 0) throw new Error(r.output);
  }
  return { root, project, extraction };
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === "object" && addr ? resolvePort(addr.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Start a server process in its own process group; `stop` ends the group (workers included). */
export function startServer(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): { stop: () => void; log: () => string } {
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout?.on("data", (d) => (log += String(d)));
  child.stderr?.on("data", (d) => (log += String(d)));
  return {
    log: () => log,
    stop: () => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    },
  };
}

/** Poll a URL until it answers 200 (or the time runs out). */
export async function waitForHttp(url: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}
