/**
 * The one error type that crosses stage boundaries. Stages throw it for bad input
 * (never for findings, which are data); only `cli/` turns it into a message and an exit code.
 */
export type ExitCode = 0 | 1 | 2 | 3;

export type ErrorCode =
  | "E_USAGE"
  | "E_INPUT" // unreadable, malformed or unsupported input file
  | "E_NOT_PYTHON" // a notebook whose kernel is not Python, for commands that analyse Python
  | "E_CONFLICT" // sync: both files changed
  | "E_EXISTS" // refusing to overwrite
  | "E_KERNEL" // no usable kernel / environment
  | "E_USER_CODE" // the user's code failed when executed
  | "E_INTERNAL";

const EXIT_BY_CODE: Record<ErrorCode, ExitCode> = {
  E_USAGE: 2,
  E_INPUT: 2,
  E_NOT_PYTHON: 2,
  E_CONFLICT: 1,
  E_EXISTS: 2,
  E_KERNEL: 3,
  E_USER_CODE: 3,
  E_INTERNAL: 2,
};

export interface ErrorLocation {
  file?: string;
  /** 0-based cell index in the notebook. */
  cell?: number;
  /** 1-based line within the cell (or file). */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** JSON path inside a notebook file, e.g. `cells[3].outputs[0].output_type`. */
  jsonPath?: string;
}

export class FledgeError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation | undefined;
  /** What the user can do about it. */
  readonly hint: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { location?: ErrorLocation; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "FledgeError";
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
  }

  get exitCode(): ExitCode {
    return EXIT_BY_CODE[this.code];
  }
}

export function formatLocation(loc: ErrorLocation | undefined): string {
  if (!loc) return "";
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.cell !== undefined) parts.push(`cell ${loc.cell + 1}`);
  if (loc.line !== undefined)
    parts.push(`line ${loc.line}${loc.column !== undefined ? `, column ${loc.column}` : ""}`);
  if (loc.jsonPath) parts.push(`at ${loc.jsonPath}`);
  return parts.join(", ");
}
