/**
 * Names that are never "reads from another cell": Python's builtins (by version, 3.8–3.13, taken from
 * `dir(builtins)` of each CPython release) and the names IPython puts in the user namespace.
 */

/** `dir(builtins)` of CPython 3.8 (identical in 3.9). */
const BUILTINS_38 =
  `ArithmeticError AssertionError AttributeError BaseException BlockingIOError BrokenPipeError BufferError
BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError
ConnectionResetError DeprecationWarning EOFError Ellipsis EnvironmentError Exception False
FileExistsError FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError ImportError
ImportWarning IndentationError IndexError InterruptedError IsADirectoryError KeyError KeyboardInterrupt
LookupError MemoryError ModuleNotFoundError NameError None NotADirectoryError NotImplemented
NotImplementedError OSError OverflowError PendingDeprecationWarning PermissionError ProcessLookupError
RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration
StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError
UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError
UnicodeWarning UserWarning ValueError Warning ZeroDivisionError __build_class__ __debug__ __doc__
__import__ __loader__ __name__ __package__ __spec__ abs all any ascii bin bool breakpoint bytearray
bytes callable chr classmethod compile complex copyright credits delattr dict dir divmod enumerate eval
exec exit filter float format frozenset getattr globals hasattr hash help hex id input int isinstance
issubclass iter len license list locals map max memoryview min next object oct open ord pow print
property quit range repr reversed round set setattr slice sorted staticmethod str sum super tuple type
vars zip`.split(/\s+/);

/** Additions by minor version (nothing was removed between 3.8 and 3.13). */
const ADDED: [minor: number, names: string[]][] = [
  [10, ["EncodingWarning", "aiter", "anext"]],
  [11, ["BaseExceptionGroup", "ExceptionGroup"]],
  [13, ["PythonFinalizationError", "_IncompleteInputError"]],
];

export const SUPPORTED_PYTHON_VERSIONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"] as const;
export const NEWEST_PYTHON_VERSION = "3.13";

/**
 * Names IPython defines in every kernel's user namespace (`In`, `Out`, `_`, `get_ipython`, …) or as builtins
 * (`display`, `__IPYTHON__`), plus module globals every notebook has (`__builtins__`).
 */
const IPYTHON_NAMES = [
  "In",
  "Out",
  "_",
  "__",
  "___",
  "_i",
  "_ii",
  "_iii",
  "_ih",
  "_oh",
  "_dh",
  "__builtin__",
  "__builtins__",
  "__IPYTHON__",
  "get_ipython",
  "display",
  "exit",
  "quit",
];

/** `_i3` (input history) and `_3` (output history). */
const HISTORY = /^_i?\d+$/;

const cache = new Map<string, ReadonlySet<string>>();

/** Normalise "3.11.7" / "3.11" / undefined to a supported "3.x" (unknown or newer → newest, older → 3.8). */
export function normalizePythonVersion(version: string | undefined): string {
  const m = /^(\d+)\.(\d+)/.exec(version ?? "");
  if (m?.[1] !== "3") return NEWEST_PYTHON_VERSION;
  const minor = Number(m[2]);
  if (minor < 8) return "3.8";
  if (minor > 13) return NEWEST_PYTHON_VERSION;
  return `3.${minor}`;
}

/** The builtins of a Python version (normalised as above). */
export function builtinNames(version?: string): ReadonlySet<string> {
  const key = version ?? "";
  const known = cache.get(key);
  if (known) return known;
  const v = normalizePythonVersion(version);
  let set = cache.get(v);
  if (!set) {
    const minor = Number(v.split(".")[1]);
    const names = new Set(BUILTINS_38);
    for (const [since, added] of ADDED) if (minor >= since) for (const n of added) names.add(n);
    set = names;
    cache.set(v, set);
  }
  cache.set(key, set);
  return set;
}

const IPYTHON_SET: ReadonlySet<string> = new Set(IPYTHON_NAMES);

/** True for names a cell can read without any cell defining them. */
export function isAmbientName(name: string, builtins: ReadonlySet<string>): boolean {
  return builtins.has(name) || IPYTHON_SET.has(name) || (name.charCodeAt(0) === 0x5f && HISTORY.test(name));
}

export function isIPythonName(name: string): boolean {
  return IPYTHON_SET.has(name) || HISTORY.test(name);
}
