"""CPython as the oracle for which names a notebook cell defines and reads.

Reads JSON lines on stdin: {"id": ..., "source": "<cell text with IPython syntax already masked>"}.
Writes one JSON line per request: {"id", "ok": true, "defines": [...], "reads": [...]} or
{"id", "ok": false, "error": "..."} when CPython cannot parse the cell.

Definitions (the same as fledge's src/python/analyze.ts):
- defines: names bound in the module namespace by code that runs when the cell runs, in first-binding order:
  module-level assignment targets (annotated only with a value), augmented assignment, for/with/except/match
  targets, imports (not star imports), def, class, walrus (also inside comprehensions, which binds in the
  enclosing scope), and names a class body declares `global` and binds. `del x` and `x: int` bind nothing.
- reads: names evaluated when the cell runs — module level, class bodies, comprehensions, decorators, default
  values, annotations (unless `from __future__ import annotations`) — that resolve to the module namespace
  and that the cell has not bound earlier in evaluation order (flow-insensitive: a binding anywhere earlier
  counts, e.g. in an `if` branch). Function and lambda bodies are not evaluated. Builtins are NOT removed here
  (the caller filters builtins and IPython names with its own list), so `reads` may contain `print`, `len`, …

Scope facts come from `symtable` (is a comprehension's name local, is a class's name declared global), the
order from walking `ast` in evaluation order. Python 3.12+ inlines comprehensions (PEP 709) and its symtable
no longer exposes their scopes; there the comprehension's locals are its `for` targets (the language rule).
IPython's `leading_indent` clean-up is applied first, as IPython does before compiling.
One process serves many cells.
"""

import ast
import json
import symtable
import sys

COMP_NAMES = {
    ast.ListComp: "listcomp",
    ast.SetComp: "setcomp",
    ast.DictComp: "dictcomp",
    ast.GeneratorExp: "genexpr",
}


class Ctx:
    def __init__(self, kind, table, parent):
        self.kind = kind  # "module", "class", "comprehension", "annotation"
        self.table = table
        self.parent = parent
        self.bound = set()  # class bodies: names bound so far
        self.targets = None  # comprehensions without a symtable (3.12+ inlines them): their target names
        self.pending = list(table.get_children()) if table is not None else []

    def child_table(self, name, lineno):
        for i, t in enumerate(self.pending):
            if t.get_name() == name and t.get_lineno() == lineno:
                return self.pending.pop(i)
        for i, t in enumerate(self.pending):
            if t.get_name() == name:
                return self.pending.pop(i)
        return None

    def sym(self, name):
        try:
            return self.table.lookup(name) if self.table is not None else None
        except KeyError:
            return None


def ipython_cleanup(source):
    """IPython's own clean-up before compiling a cell: drop leading blank lines' indentation rule
    (`leading_indent`): when the first line is indented, that indentation is removed from every line
    starting with it."""
    lines = source.split("\n")
    while lines and lines[0].strip() == "":
        lines.pop(0)
    if not lines:
        return source
    first = lines[0]
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    if not indent:
        return source
    return "\n".join(line[len(indent) :] if line.startswith(indent) else line for line in lines)


class Oracle:
    def __init__(self, source):
        source = ipython_cleanup(source)
        self.tree = ast.parse(source)
        self.module = Ctx("module", symtable.symtable(source, "<cell>", "exec"), None)
        self.bound = set()
        self.defines = []
        self.reads = []
        self.read_set = set()
        self.future_annotations = any(
            isinstance(s, ast.ImportFrom) and s.module == "__future__" and any(a.name == "annotations" for a in s.names)
            for s in self.tree.body
        )

    def run(self):
        for s in self.tree.body:
            self.stmt(s, self.module)
        return {"defines": self.defines, "reads": self.reads}

    # -- names ------------------------------------------------------------------------------------------

    def resolves_to_module(self, name, ctx):
        while ctx is not None:
            if ctx.kind == "module":
                return True
            if ctx.targets is not None and name in ctx.targets:
                return False
            sym = ctx.sym(name)
            if ctx.kind == "class":
                if sym is not None and sym.is_declared_global():
                    return True
                return name not in ctx.bound
            if sym is not None:
                if sym.is_global():
                    return True
                if sym.is_local() or sym.is_free():
                    return False
            ctx = ctx.parent
            while ctx is not None and ctx.kind == "class" and ctx is not None:
                ctx = ctx.parent  # class names are invisible to nested comprehensions
        return True

    def load(self, name, ctx):
        if self.resolves_to_module(name, ctx) and name not in self.bound and name not in self.read_set:
            self.read_set.add(name)
            self.reads.append(name)

    def store(self, name, ctx):
        if ctx.kind == "class":
            sym = ctx.sym(name)
            if not (sym is not None and sym.is_declared_global()):
                ctx.bound.add(name)
                return
        elif ctx.kind != "module":
            return
        self.bound.add(name)
        if name not in self.defines:
            self.defines.append(name)

    # -- statements -------------------------------------------------------------------------------------

    def body(self, stmts, ctx):
        for s in stmts:
            self.stmt(s, ctx)

    def stmt(self, s, ctx):
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.exprs(s.decorator_list, ctx)
            a = s.args
            self.exprs(a.defaults, ctx)
            self.exprs([d for d in a.kw_defaults if d is not None], ctx)
            inner = self.type_param_ctx(s, ctx)
            if not self.future_annotations:
                for arg in a.posonlyargs + a.args + [a.vararg] + a.kwonlyargs + [a.kwarg]:
                    if arg is not None and arg.annotation is not None:
                        self.expr(arg.annotation, inner)
                if s.returns is not None:
                    self.expr(s.returns, inner)
            self.store(s.name, ctx)
        elif isinstance(s, ast.ClassDef):
            self.exprs(s.decorator_list, ctx)
            inner = self.type_param_ctx(s, ctx)
            self.exprs(s.bases, inner)
            self.exprs([k.value for k in s.keywords], inner)
            cls = Ctx("class", inner.child_table(s.name, s.lineno), inner)
            self.body(s.body, cls)
            self.store(s.name, ctx)
        elif isinstance(s, ast.Assign):
            self.expr(s.value, ctx)
            for t in s.targets:
                self.target(t, ctx)
        elif isinstance(s, ast.AugAssign):
            self.load_target(s.target, ctx)
            self.expr(s.value, ctx)
            if isinstance(s.target, ast.Name):
                self.store(s.target.id, ctx)
        elif isinstance(s, ast.AnnAssign):
            if s.value is not None:
                self.expr(s.value, ctx)
                self.target(s.target, ctx)
            elif not isinstance(s.target, ast.Name):
                self.load_target(s.target, ctx, object_only=True)
            if not self.future_annotations:
                self.expr(s.annotation, ctx)
        elif isinstance(s, (ast.For, ast.AsyncFor)):
            self.expr(s.iter, ctx)
            self.target(s.target, ctx)
            self.body(s.body, ctx)
            self.body(s.orelse, ctx)
        elif isinstance(s, (ast.While, ast.If)):
            self.expr(s.test, ctx)
            self.body(s.body, ctx)
            self.body(s.orelse, ctx)
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            for item in s.items:
                self.expr(item.context_expr, ctx)
                if item.optional_vars is not None:
                    self.target(item.optional_vars, ctx)
            self.body(s.body, ctx)
        elif isinstance(s, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            self.body(s.body, ctx)
            for h in s.handlers:
                if h.type is not None:
                    self.expr(h.type, ctx)
                if h.name is not None:
                    self.store(h.name, ctx)
                self.body(h.body, ctx)
            self.body(s.orelse, ctx)
            self.body(s.finalbody, ctx)
        elif isinstance(s, ast.Import):
            for a in s.names:
                self.store(a.asname or a.name.split(".")[0], ctx)
        elif isinstance(s, ast.ImportFrom):
            for a in s.names:
                if a.name != "*":
                    self.store(a.asname or a.name, ctx)
        elif isinstance(s, ast.Delete):
            for t in s.targets:
                self.delete_target(t, ctx)
        elif hasattr(ast, "Match") and isinstance(s, ast.Match):
            self.expr(s.subject, ctx)
            for case in s.cases:
                self.pattern(case.pattern, ctx)
                if case.guard is not None:
                    self.expr(case.guard, ctx)
                self.body(case.body, ctx)
        elif hasattr(ast, "TypeAlias") and isinstance(s, ast.TypeAlias):
            self.store(s.name.id, ctx)  # the value is evaluated lazily
        elif isinstance(s, (ast.Global, ast.Nonlocal, ast.Pass, ast.Break, ast.Continue)):
            pass
        else:  # Expr, Return, Raise, Assert
            for child in ast.iter_child_nodes(s):
                self.expr(child, ctx)

    def type_param_ctx(self, s, ctx):
        params = getattr(s, "type_params", None)
        if not params:
            return ctx
        # 3.12.0/3.12.1 name the table after the function; later versions "<generic parameters of f>".
        table = ctx.child_table(f"<generic parameters of {s.name}>", s.lineno) or ctx.child_table(s.name, s.lineno)
        return Ctx("annotation", table, ctx)

    def target(self, t, ctx):
        if isinstance(t, ast.Name):
            self.store(t.id, ctx)
        elif isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                self.target(e, ctx)
        elif isinstance(t, ast.Starred):
            self.target(t.value, ctx)
        else:
            self.load_target(t, ctx, object_only=True)

    def load_target(self, t, ctx, object_only=False):
        if isinstance(t, ast.Name):
            if not object_only:
                self.load(t.id, ctx)
        elif isinstance(t, ast.Attribute):
            self.expr(t.value, ctx)
        elif isinstance(t, ast.Subscript):
            self.expr(t.value, ctx)
            self.expr(t.slice, ctx)

    def delete_target(self, t, ctx):
        if isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                self.delete_target(e, ctx)
        elif not isinstance(t, ast.Name):
            self.load_target(t, ctx, object_only=True)

    def pattern(self, p, ctx):
        if isinstance(p, ast.MatchAs):
            if p.pattern is not None:
                self.pattern(p.pattern, ctx)
            if p.name is not None:
                self.store(p.name, ctx)
        elif isinstance(p, ast.MatchStar):
            if p.name is not None:
                self.store(p.name, ctx)
        elif isinstance(p, ast.MatchMapping):
            for k in p.keys:
                self.expr(k, ctx)
            for v in p.patterns:
                self.pattern(v, ctx)
            if p.rest is not None:
                self.store(p.rest, ctx)
        elif isinstance(p, ast.MatchClass):
            self.expr(p.cls, ctx)
            for v in p.patterns + p.kwd_patterns:
                self.pattern(v, ctx)
        elif isinstance(p, ast.MatchValue):
            self.expr(p.value, ctx)
        elif isinstance(p, (ast.MatchSequence, ast.MatchOr)):
            for v in p.patterns:
                self.pattern(v, ctx)

    # -- expressions ------------------------------------------------------------------------------------

    def exprs(self, es, ctx):
        for e in es:
            self.expr(e, ctx)

    def expr(self, e, ctx):
        if isinstance(e, ast.Name):
            if isinstance(e.ctx, ast.Load):
                self.load(e.id, ctx)
            else:
                self.store(e.id, ctx)
        elif isinstance(e, ast.NamedExpr):
            self.expr(e.value, ctx)
            target = ctx
            while target.kind == "comprehension":
                target = target.parent
            self.store(e.target.id, target)
        elif isinstance(e, ast.Lambda):
            self.exprs(e.args.defaults, ctx)
            self.exprs([d for d in e.args.kw_defaults if d is not None], ctx)
        elif type(e) in COMP_NAMES:
            gens = e.generators
            self.expr(gens[0].iter, ctx)
            comp = Ctx("comprehension", ctx.child_table(COMP_NAMES[type(e)], e.lineno), ctx)
            if comp.table is None:
                # Python 3.12+ inlines comprehensions (PEP 709) and symtable no longer shows their scope:
                # the language rule then gives the comprehension's locals, its `for` targets.
                comp.targets = {
                    n.id for g in gens for n in ast.walk(g.target) if isinstance(n, ast.Name)
                }
            for i, g in enumerate(gens):
                if i > 0:
                    self.expr(g.iter, comp)
                self.target(g.target, comp)
                self.exprs(g.ifs, comp)
            if isinstance(e, ast.DictComp):
                self.expr(e.key, comp)
                self.expr(e.value, comp)
            else:
                self.expr(e.elt, comp)
        elif isinstance(e, ast.IfExp):
            self.expr(e.test, ctx)
            self.expr(e.body, ctx)
            self.expr(e.orelse, ctx)
        elif isinstance(e, ast.Dict):
            for k, v in zip(e.keys, e.values):
                if k is not None:
                    self.expr(k, ctx)
                self.expr(v, ctx)
        elif isinstance(e, ast.Call):
            self.expr(e.func, ctx)
            self.exprs(e.args, ctx)
            self.exprs([k.value for k in e.keywords], ctx)
        elif isinstance(e, ast.AST):
            for child in ast.iter_child_nodes(e):
                # Also ast.Index/ast.Slice/ast.ExtSlice, which are not expressions before 3.9.
                if not isinstance(child, (ast.comprehension, ast.expr_context)):
                    self.expr(child, ctx)


def main():
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        try:
            result = Oracle(req["source"]).run()
            resp = {"id": req.get("id"), "ok": True, **result}
        except SyntaxError as err:
            resp = {"id": req.get("id"), "ok": False, "error": f"{err.msg} (line {err.lineno})"}
        except Exception as err:  # noqa: BLE001 - report, never die mid-stream
            resp = {"id": req.get("id"), "ok": False, "error": f"oracle failure: {type(err).__name__}: {err}"}
        out.write(json.dumps(resp) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
