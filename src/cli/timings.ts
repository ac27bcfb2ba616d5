/**
 * `fledge check --timings FILE`: how long each notebook took, by phase, written as JSON — to find the notebooks
 * that are slow to check, and what `npm run bench:check-cli` measures (the CLI as users run it, bundle and
 * code cache included, rather than a copy of its loop).
 *
 * Phases of one notebook: `read` (the file, its configuration and environment), `analysis` (the per-cell cache
 * and the Python analysis; the first analysis that needs the grammar also loads it, reported apart as
 * `grammar`), `checks` (dataflow graph and rules). Each phase has its wall time and the process's CPU time
 * (`process.cpuUsage`: every thread, so the JIT and the garbage collector's helpers are counted too).
 */
export interface PhaseTime {
  wallMs: number;
  cpuMs: number;
}

export interface NotebookTiming {
  path: string;
  read?: PhaseTime;
  analysis?: PhaseTime;
  checks?: PhaseTime;
}

export interface CheckTimingsReport {
  node: string;
  /** Loading the Python grammar (once per process), and the notebook whose analysis included it. */
  grammar?: PhaseTime & { path: string };
  notebooks: NotebookTiming[];
}

type Phase = "read" | "analysis" | "checks";

function cpuNow(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export class CheckTimings {
  private readonly notebooks: NotebookTiming[] = [];
  private current: NotebookTiming | undefined;
  private wall = 0;
  private cpu = 0;
  private grammar: (PhaseTime & { path: string }) | undefined;

  /** Starts a notebook's clock. */
  begin(path: string): void {
    this.current = { path };
    this.notebooks.push(this.current);
    this.wall = performance.now();
    this.cpu = cpuNow();
  }

  /** Ends a phase of the current notebook and starts the next. */
  lap(phase: Phase): void {
    if (!this.current) return;
    const wall = performance.now();
    const cpu = cpuNow();
    this.current[phase] = { wallMs: round(wall - this.wall), cpuMs: round(cpu - this.cpu) };
    this.wall = wall;
    this.cpu = cpu;
  }

  /** Times loading the grammar, which happens inside the current notebook's analysis. */
  async timeGrammar(load: () => Promise<void>): Promise<void> {
    const wall = performance.now();
    const cpu = cpuNow();
    await load();
    this.grammar = {
      path: this.current?.path ?? "",
      wallMs: round(performance.now() - wall),
      cpuMs: round(cpuNow() - cpu),
    };
  }

  report(): CheckTimingsReport {
    return {
      node: process.version,
      ...(this.grammar ? { grammar: this.grammar } : {}),
      notebooks: this.notebooks,
    };
  }
}
