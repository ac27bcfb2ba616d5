/**
 * Loading the Python grammar (web-tree-sitter + tree-sitter-python's bundled .wasm) once, and turning a
 * tree-sitter tree into a light, plain-JS syntax tree (`SNode`) in a single cursor walk.
 *
 * Why a plain tree: every property access on a web-tree-sitter node crosses into WebAssembly and allocates;
 * the scope analysis visits each node several times, so one cursor pass that copies type, field, positions
 * and identifier text is both faster and easier to test.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";

export interface SNode {
  type: string;
  /** Field name under the parent (`left`, `right`, `body`, …), or "" when the child has none. */
  field: string;
  named: boolean;
  /** 0-based start row/column and end row/column (columns in UTF-16 code units). */
  readonly sr: number;
  readonly sc: number;
  readonly er: number;
  readonly ec: number;
  /** UTF-16 offsets into the (masked) source. */
  start: number;
  end: number;
  children: SNode[];
  /** tree-sitter error flags. */
  missing: boolean;
  /** On the root: the tree has ERROR or MISSING nodes somewhere. */
  hasError?: boolean;
  /**
   * On the root, when the copy knows it: the tree has a Python 2 `print`/`exec` statement (left undefined by the
   * portable copy).
   */
  hasPy2Statement?: boolean;
  /** Memoised named children without comments (see `namedChildren`). */
  kids?: SNode[];
}

/** The row of a UTF-16 offset, given the offsets where the rows start (ascending, first 0): a binary search. */
export function rowOf(starts: readonly number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Offsets of the first character of each line: rows and columns are computed from offsets on demand. */
class LineIndex {
  readonly starts: number[] = [0];
  constructor(source: string) {
    for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  rowOf(index: number): number {
    return rowOf(this.starts, index);
  }
}

/** Leaves share this array until a child is added (most copied nodes are leaves). */
const NO_CHILDREN: SNode[] = [];

/**
 * A node of the fast copy. Rows and columns are only needed for the few nodes that end up in a span, so they
 * are computed from the offsets when read instead of for every node.
 */
class TreeNode implements SNode {
  children: SNode[] = NO_CHILDREN;
  // Set on the root only: declared, not initialised, so the other nodes (nearly all) are two fields smaller.
  declare hasError?: boolean;
  declare hasPy2Statement?: boolean;
  kids?: SNode[];
  constructor(
    readonly lines: LineIndex,
    public type: string,
    public field: string,
    public named: boolean,
    public start: number,
    public end: number,
    public missing: boolean,
  ) {}

  get sr(): number {
    return this.lines.rowOf(this.start);
  }
  get sc(): number {
    return this.start - this.lines.starts[this.sr]!;
  }
  get er(): number {
    return this.end === this.start ? this.sr : this.lines.rowOf(this.end);
  }
  get ec(): number {
    return this.end - this.lines.starts[this.er]!;
  }
}

/**
 * A node's 1-based span (line, column, end line, end column). For the fast copy's nodes, each row is searched once
 * (the `sc`/`ec` getters search the row again).
 */
export function nodeSpan(n: SNode): { line: number; column: number; endLine: number; endColumn: number } {
  if (n instanceof TreeNode) {
    const starts = n.lines.starts;
    const sr = rowOf(starts, n.start);
    const er = n.end === n.start ? sr : rowOf(starts, n.end);
    return {
      line: sr + 1,
      column: n.start - starts[sr]! + 1,
      endLine: er + 1,
      endColumn: n.end - starts[er]! + 1,
    };
  }
  return { line: n.sr + 1, column: n.sc + 1, endLine: n.er + 1, endColumn: n.ec + 1 };
}

let parser: Parser | undefined;
let language: Language | undefined;
let loading: Promise<void> | undefined;

/**
 * The Emscripten module object passed to `Parser.init` becomes web-tree-sitter's module, which exposes the raw
 * `_ts_tree_cursor_*_wasm` exports. Driving the cursor through them directly — its state stays in
 * web-tree-sitter's transfer buffer between calls — avoids the per-call marshalling of the public TreeCursor,
 * which dominated the analysis time. Used only when this object is verifiably the live module (another caller
 * may have initialised web-tree-sitter first); otherwise the public API is used.
 */
interface RawCursorApi {
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_delete_wasm(tree: number): void;
  currentParseCallback?: unknown;
}

const moduleObject: Partial<RawCursorApi> & { wasmBinary?: Uint8Array } = {};
let typeNames: string[] = [];
let typeNamed: boolean[] = [];
let fieldNames: (string | null)[] = [];
/** Node types that never have children: the copy does not try to descend into them. */
const LEAF_TYPES = new Set([
  "identifier",
  "integer",
  "float",
  "comment",
  "true",
  "false",
  "none",
  "ellipsis",
  "string_start",
  "string_end",
]);
let typeLeaf: boolean[] = [];
/** Node type ids of Python 2 `print`/`exec` statements. */
let typePy2: boolean[] = [];
/** Node type ids of string literals (a grammar may give one name several ids). */
let typeString: boolean[] = [];
/** Node type ids of the anonymous `;` token (kept by the copy: it suppresses Jupyter's display). */
let typeSemicolon: boolean[] = [];

let wasmPaths: { grammar: string; runtime: string } | undefined;

/**
 * The two WebAssembly files the parser loads (the grammar and web-tree-sitter's runtime), resolved once. Also
 * what the check cache's salt stats, so both agree on which files the analysis depends on.
 */
export function pythonWasmFiles(): { grammar: string; runtime: string } {
  if (!wasmPaths) {
    const require = createRequire(import.meta.url);
    wasmPaths = {
      grammar: require.resolve("tree-sitter-python/tree-sitter-python.wasm"),
      runtime: require.resolve("web-tree-sitter/tree-sitter.wasm"),
    };
  }
  return wasmPaths;
}

/** Load web-tree-sitter and the Python grammar. Idempotent; concurrent callers share one load. */
export function initPython(): Promise<void> {
  if (parser) return Promise.resolve();
  if (!loading) {
    loading = (async () => {
      const paths = pythonWasmFiles();
      moduleObject.wasmBinary = readFileSync(paths.runtime);
      await Parser.init(moduleObject as object);
      const lang = await Language.load(readFileSync(paths.grammar));
      const p = new Parser();
      p.setLanguage(lang);
      typeNames = [];
      typeNamed = [];
      typeLeaf = [];
      for (let id = 0; id < lang.nodeTypeCount; id++) {
        typeNames.push(internalized(lang.nodeTypeForId(id) ?? "ERROR"));
        typeNamed.push(lang.nodeTypeIsNamed(id));
        typeLeaf.push(LEAF_TYPES.has(typeNames[id]!));
      }
      fieldNames = lang.fields.map((f) => (f === null ? null : internalized(f)));
      typePy2 = typeNames.map(
        (name, id) => (name === "print_statement" || name === "exec_statement") && typeNamed[id] === true,
      );
      typeString = typeNames.map((name, id) => name === "string" && typeNamed[id] === true);
      typeSemicolon = typeNames.map((name, id) => name === ";" && typeNamed[id] !== true);
      language = lang;
      parser = p;
    })();
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

/**
 * The engine's shared (internalised) copy of a string. Names decoded from the grammar are fresh heap strings;
 * every `n.type === "call"` and `c.field === "body"` of the analysis compares one with a literal, which for two
 * internalised strings is a pointer comparison instead of a character-by-character one. (A property key is
 * always internalised.)
 */
function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0] ?? s;
}

export function isPythonReady(): boolean {
  return parser !== undefined;
}

function requireParser(): Parser {
  if (!parser) {
    throw new Error("The Python parser is not loaded: call `await initPython()` first.");
  }
  return parser;
}

/** Parse `source` (positions are UTF-16 code units, as web-tree-sitter reports them) and copy the tree. */
export function parsePython(source: string): SNode {
  const raw = moduleObject as RawCursorApi;
  const sentinel = {};
  raw.currentParseCallback = sentinel;
  const tree = requireParser().parse(source);
  if (!tree) throw new Error("tree-sitter returned no tree");
  // web-tree-sitter resets `currentParseCallback` to null on ITS module after parsing.
  const live =
    raw.currentParseCallback === null && typeof raw._ts_tree_cursor_goto_first_child_wasm === "function";
  try {
    if (live) {
      const root = tree.rootNode;
      const hasError = root.hasError;
      root.walk(); // leaves the new cursor's state in the transfer buffer
      const copy = copyTreeRaw(raw, (tree as unknown as { 0: number })[0], source, hasError);
      copy.hasError = hasError;
      return copy;
    }
    const hasError = tree.rootNode.hasError;
    const cursor = tree.walk();
    try {
      const copy = copyTree(cursor);
      copy.hasError = hasError;
      return copy;
    } finally {
      cursor.delete();
    }
  } finally {
    tree.delete();
  }
}

export function parserLanguage(): Language | undefined {
  return language;
}

type Cursor = ReturnType<NonNullable<ReturnType<Parser["parse"]>>["walk"]>;

function copyNode(c: Cursor): SNode {
  const sp = c.startPosition;
  const ep = c.endPosition;
  return {
    type: c.nodeType,
    field: c.currentFieldName ?? "",
    named: c.nodeIsNamed,
    sr: sp.row,
    sc: sp.column,
    er: ep.row,
    ec: ep.column,
    start: c.startIndex,
    end: c.endIndex,
    children: [],
    missing: c.nodeIsMissing,
  };
}

/** The portable copy through the public TreeCursor API (every node, anonymous ones included). */
function copyTree(c: Cursor): SNode {
  const root = copyNode(c);
  const stack: SNode[] = [root];
  if (!c.gotoFirstChild()) return root;
  for (;;) {
    const node = copyNode(c);
    stack[stack.length - 1]!.children.push(node);
    if (c.gotoFirstChild()) {
      stack.push(node);
      continue;
    }
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent() || stack.length === 1) return root;
      stack.pop();
    }
  }
}

/**
 * The fast copy: raw cursor calls, rows/columns computed from offsets in JS, and anonymous tokens skipped
 * except `;` (it suppresses Jupyter's display) and MISSING tokens (diagnostics).
 */
function copyTreeRaw(raw: RawCursorApi, tree: number, source: string, hasError: boolean): SNode {
  const lines = new LineIndex(source);
  const root = new TreeNode(
    lines,
    typeNames[raw._ts_tree_cursor_current_node_type_id_wasm(tree)] ?? "ERROR",
    "",
    true,
    raw._ts_tree_cursor_start_index_wasm(tree),
    raw._ts_tree_cursor_end_index_wasm(tree),
    false,
  );
  root.hasPy2Statement = false;
  const stack: TreeNode[] = [root];
  let parent = root;
  try {
    if (!raw._ts_tree_cursor_goto_first_child_wasm(tree)) return root;
    for (;;) {
      const typeId = raw._ts_tree_cursor_current_node_type_id_wasm(tree);
      let node: TreeNode | undefined;
      if (typeNamed[typeId] === true || typeId === 65535) {
        const fieldId = raw._ts_tree_cursor_current_field_id_wasm(tree);
        const start = raw._ts_tree_cursor_start_index_wasm(tree);
        const end = raw._ts_tree_cursor_end_index_wasm(tree);
        node = new TreeNode(
          lines,
          typeNames[typeId] ?? "ERROR",
          fieldId ? (fieldNames[fieldId] ?? "") : "",
          true,
          start,
          end,
          hasError && start === end && raw._ts_tree_cursor_current_node_is_missing_wasm(tree) !== 0,
        );
        if (typePy2[typeId] === true) root.hasPy2Statement = true;
      } else if (typeSemicolon[typeId] === true) {
        node = new TreeNode(
          lines,
          ";",
          "",
          false,
          raw._ts_tree_cursor_start_index_wasm(tree),
          raw._ts_tree_cursor_end_index_wasm(tree),
          false,
        );
      } else if (hasError) {
        const start = raw._ts_tree_cursor_start_index_wasm(tree);
        const end = raw._ts_tree_cursor_end_index_wasm(tree);
        if (start === end && raw._ts_tree_cursor_current_node_is_missing_wasm(tree)) {
          node = new TreeNode(lines, typeNames[typeId] ?? "ERROR", "", false, start, end, true);
        }
      }
      if (node !== undefined) {
        if (parent.children === NO_CHILDREN) parent.children = [node];
        else parent.children.push(node);
        if (
          typeLeaf[typeId] !== true &&
          !(typeString[typeId] === true && !hasError && isPlainString(source, node.start)) &&
          raw._ts_tree_cursor_goto_first_child_wasm(tree)
        ) {
          stack.push(node);
          parent = node;
          continue;
        }
      }
      while (!raw._ts_tree_cursor_goto_next_sibling_wasm(tree)) {
        if (stack.length === 1 || !raw._ts_tree_cursor_goto_parent_wasm(tree)) return root;
        stack.pop();
        parent = stack[stack.length - 1]!;
      }
    }
  } finally {
    raw._ts_tree_cursor_delete_wasm(tree);
  }
}

/**
 * A string literal without an `f`/`t` prefix has no interpolations, the only part of a string the analysis
 * reads: the copy does not descend into it (in a tree without syntax errors, whose diagnostics need no detail).
 */
function isPlainString(source: string, start: number): boolean {
  for (let i = start; i < start + 4; i++) {
    const ch = source.charCodeAt(i);
    if (ch === 0x22 || ch === 0x27) return true; // " or ': the prefix ended
    if (ch === 0x66 || ch === 0x46 || ch === 0x74 || ch === 0x54) return false; // f F t T
    if (Number.isNaN(ch)) return false;
  }
  return false;
}

/**
 * Named children, without comments. (The array builtins, not hand-written loops: in the single pass of
 * `fledge check` these run before the JIT has optimised them, where a builtin is much faster than an interpreted
 * loop — fresh-process A/B on the corpus order: the loop versions cost the 12th notebook, the largest, +19%.)
 */
export function namedChildren(n: SNode): SNode[] {
  if (n.kids === undefined) n.kids = n.children.filter((c) => c.named && c.type !== "comment");
  return n.kids;
}

export function childByField(n: SNode, f: string): SNode | undefined {
  return n.children.find((c) => c.field === f);
}

export function childrenByField(n: SNode, f: string): SNode[] {
  return n.children.filter((c) => c.field === f);
}
