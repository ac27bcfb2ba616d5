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
  sr: number;
  sc: number;
  er: number;
  ec: number;
  /** UTF-16 offsets into the (masked) source. */
  start: number;
  end: number;
  children: SNode[];
  /** tree-sitter error flags. */
  missing: boolean;
}

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

function resolveWasm(): { grammar: string; runtime: string } {
  const require = createRequire(import.meta.url);
  return {
    grammar: require.resolve("tree-sitter-python/tree-sitter-python.wasm"),
    runtime: require.resolve("web-tree-sitter/tree-sitter.wasm"),
  };
}

/** Load web-tree-sitter and the Python grammar. Idempotent; concurrent callers share one load. */
export function initPython(): Promise<void> {
  if (parser) return Promise.resolve();
  if (!loading) {
    loading = (async () => {
      const paths = resolveWasm();
      await Parser.init({ wasmBinary: readFileSync(paths.runtime) } as object);
      const language = await Language.load(readFileSync(paths.grammar));
      const p = new Parser();
      p.setLanguage(language);
      parser = p;
    })();
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
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

/**
 * Parse `source` and return the plain tree. Columns: web-tree-sitter reports byte offsets of the UTF-16
 * encoding it parses, so rows/columns and offsets are halved back to code units.
 */
export function parsePython(source: string): SNode {
  const tree = requireParser().parse(source);
  if (!tree) throw new Error("tree-sitter returned no tree");
  try {
    const cursor = tree.walk();
    try {
      return copyTree(cursor);
    } finally {
      cursor.delete();
    }
  } finally {
    tree.delete();
  }
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
