/**
 * File access for notebooks: reading with clear errors, and atomic writes (temporary file in the same folder,
 * flushed, then renamed over the target), so an interrupted write leaves the original file untouched.
 */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  fsync,
  openSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FledgeError } from "../errors.js";

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Read a file as UTF-8 text; missing, unreadable, directory or non-UTF-8 files become FledgeError E_INPUT. */
export async function readTextFile(path: string): Promise<string> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    throw fileError(err, path);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    const bad = firstInvalidUtf8(data);
    throw new FledgeError("E_INPUT", `the file is not valid UTF-8 text (first bad byte at offset ${bad})`, {
      location: { file: path },
      hint: "Notebooks are UTF-8 JSON files. Re-save it from Jupyter or convert its encoding.",
    });
  }
}

function firstInvalidUtf8(data: Buffer): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lo = 0;
  let hi = data.length;
  // Binary search for the shortest invalid prefix (a truncated sequence at the end is also invalid).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(data.subarray(0, mid + 1));
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

/** Turn a Node file-system error into a clear FledgeError naming the file. */
export function fileError(err: unknown, path: string): FledgeError {
  const code = errno(err);
  const location = { file: path };
  switch (code) {
    case "ENOENT":
      return new FledgeError("E_INPUT", "no such file", {
        location,
        hint: "Check the path (and the current folder).",
      });
    case "EISDIR":
      return new FledgeError("E_INPUT", "is a directory, not a notebook file", {
        location,
        hint: "Pass a notebook file such as analysis.ipynb.",
      });
    case "EACCES":
    case "EPERM":
      return new FledgeError("E_INPUT", "permission denied: cannot read the file", {
        location,
        hint: "Check the file's permissions.",
      });
    case "ENOTDIR":
      return new FledgeError("E_INPUT", "a part of the path is not a directory", { location });
    default:
      return new FledgeError("E_INPUT", `cannot read the file: ${(err as Error).message}`, {
        location,
        cause: err,
      });
  }
}

/** Test hook: called after the temporary file is written and before it is renamed over the target. */
export interface AtomicWriteHooks {
  beforeRename?: (tempPath: string) => void | Promise<void>;
}

/**
 * Write `data` to `path` atomically: a temporary file in the same folder is written, flushed to disk and renamed
 * over the target (keeping the original's permission bits). If anything fails, the original is left as it was
 * and the temporary file is removed.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  hooks: AtomicWriteHooks = {},
): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.fledge-${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  // The quick steps are synchronous system calls (cheaper than a round trip through the thread pool); only the
  // flush to disk, which waits on the device, runs in the pool, so several writes can flush at once.
  let st: Stats | undefined;
  try {
    st = statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    throw writeError(err, path);
  }
  if (st?.isDirectory()) {
    throw new FledgeError("E_INPUT", "is a directory; cannot write a file there", {
      location: { file: path },
    });
  }
  const mode = st === undefined ? undefined : st.mode & 0o7777;
  let created = false;
  try {
    const fd = openSync(temp, "wx", mode ?? 0o666);
    created = true;
    try {
      writeFileSync(fd, data);
      await new Promise<void>((done, fail) => fsync(fd, (err) => (err ? fail(err) : done())));
    } finally {
      closeSync(fd);
    }
    if (mode !== undefined) chmodSync(temp, mode);
    await hooks.beforeRename?.(temp);
    await renameWithRetry(temp, path);
    created = false;
  } catch (err) {
    if (created) {
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
    }
    if (err instanceof FledgeError) throw err;
    throw writeError(err, path);
  }
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  // On Windows a rename over a file another program has open can fail briefly (EPERM/EBUSY/EACCES).
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(from, to);
      return;
    } catch (err) {
      const code = errno(err);
      if (
        process.platform !== "win32" ||
        attempt >= 10 ||
        !(code === "EPERM" || code === "EBUSY" || code === "EACCES")
      ) {
        throw err;
      }
      await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
    }
  }
}

function writeError(err: unknown, path: string): FledgeError {
  const code = errno(err);
  const location = { file: path };
  if (code === "ENOENT")
    return new FledgeError("E_INPUT", "cannot write: the folder does not exist", { location });
  if (code === "EACCES" || code === "EPERM") {
    return new FledgeError("E_INPUT", "cannot write: permission denied", {
      location,
      hint: "Check the folder's permissions.",
    });
  }
  if (code === "ENOSPC") return new FledgeError("E_INPUT", "cannot write: the disk is full", { location });
  return new FledgeError("E_INPUT", `cannot write the file: ${(err as Error)?.message ?? String(err)}`, {
    location,
    cause: err,
  });
}
