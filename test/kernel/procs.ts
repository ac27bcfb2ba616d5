/** Process checks by pid for the no-orphan tests (Linux /proc; elsewhere `kill(pid, 0)`). */
import { readdirSync, readFileSync } from "node:fs";

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return process.platform !== "linux";
  }
}

/** Waits up to `ms` for every pid to be gone. */
export async function isGone(pids: number | number[], ms = 5000): Promise<boolean> {
  const list = Array.isArray(pids) ? pids : [pids];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (list.every((p) => !isAlive(p))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return list.every((p) => !isAlive(p));
}

/** Every live process whose process group is `pgid` (Linux only; empty elsewhere). */
export function groupMembers(pgid: number): number[] {
  if (process.platform !== "linux") return [];
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z" && Number(fields[2]) === pgid) out.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** Live fledge watchdog processes (`/bin/sh -c … fledge-watchdog <parent> <kernel>`) matching `pid` (Linux only). */
export function watchdogs(pid: number): number[] {
  if (process.platform !== "linux") return [];
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (cmd.includes("fledge-watchdog") && cmd.includes(String(pid)) && isAlive(Number(entry))) {
        out.push(Number(entry));
      }
    } catch {
      // exited while we looked
    }
  }
  return out;
}
