/**
 * Turning IOPub messages into nbformat 4 outputs, as Jupyter front ends do: consecutive stream
 * messages of the same name are merged, `clear_output` (with `wait`) is honoured, and
 * `update_display_data` rewrites earlier outputs that share a display id — even in earlier cells.
 */
import type { Output } from "../notebook/types.js";
import type { Message } from "./messages.js";

export interface StreamOutput extends Output {
  output_type: "stream";
  name: "stdout" | "stderr" | string;
  text: string;
}

export interface DataOutput extends Output {
  output_type: "display_data" | "execute_result";
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  execution_count?: number | null;
}

export interface ErrorOutput extends Output {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Outputs that carry a display id, by id, so later `update_display_data` messages find them. */
export type DisplayRegistry = Map<string, DataOutput[]>;

function displayId(content: Record<string, unknown>): string | undefined {
  const transient = content.transient as { display_id?: unknown } | undefined;
  return typeof transient?.display_id === "string" ? transient.display_id : undefined;
}

/** Collects the outputs of one execution. */
export class OutputCollector {
  readonly outputs: Output[] = [];
  private clearOnNext = false;
  private readonly displays: DisplayRegistry;

  constructor(displays: DisplayRegistry) {
    this.displays = displays;
  }

  private push(out: Output): void {
    if (this.clearOnNext) {
      this.outputs.length = 0;
      this.clearOnNext = false;
    }
    this.outputs.push(out);
  }

  /** Handles one IOPub message; returns false for message types that carry no output. */
  handle(msg: Message): boolean {
    const c = msg.content;
    switch (msg.header.msg_type) {
      case "stream": {
        const name = String(c.name ?? "stdout");
        const text = String(c.text ?? "");
        const last = this.clearOnNext ? undefined : this.outputs[this.outputs.length - 1];
        if (last && last.output_type === "stream" && (last as StreamOutput).name === name) {
          (last as StreamOutput).text += text;
        } else {
          this.push({ output_type: "stream", name, text } satisfies StreamOutput);
        }
        return true;
      }
      case "display_data":
      case "execute_result": {
        const out: DataOutput = {
          output_type: msg.header.msg_type,
          data: (c.data as Record<string, unknown>) ?? {},
          metadata: (c.metadata as Record<string, unknown>) ?? {},
        };
        if (msg.header.msg_type === "execute_result") {
          out.execution_count = (c.execution_count as number | null | undefined) ?? null;
        }
        this.push(out);
        const id = displayId(c);
        if (id !== undefined) {
          const list = this.displays.get(id) ?? [];
          list.push(out);
          this.displays.set(id, list);
        }
        return true;
      }
      case "update_display_data": {
        const id = displayId(c);
        for (const out of id === undefined ? [] : (this.displays.get(id) ?? [])) {
          out.data = (c.data as Record<string, unknown>) ?? {};
          out.metadata = (c.metadata as Record<string, unknown>) ?? {};
        }
        return true;
      }
      case "error": {
        this.push({
          output_type: "error",
          ename: String(c.ename ?? ""),
          evalue: String(c.evalue ?? ""),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        } satisfies ErrorOutput);
        return true;
      }
      case "clear_output": {
        if (c.wait) this.clearOnNext = true;
        else {
          this.outputs.length = 0;
          this.clearOnNext = false;
        }
        return true;
      }
      default:
        return false;
    }
  }
}

/** Removes ANSI escape sequences (tracebacks are coloured by IPython). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g, "");
}
