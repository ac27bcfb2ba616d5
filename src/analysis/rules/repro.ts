/**
 * Reproducibility: randomness without a seed, machine-specific paths, data from URLs, unpinned installs,
 * undeclared dependencies and missing kernel metadata.
 */
import type { ImportRecord } from "../../python/types.js";
import type { CheckContext, CodeCellInfo } from "../context.js";
import { listText } from "../context.js";
import { callArguments, spanOf } from "../source.js";
import { distributionNames, normalizeDistribution, STDLIB_MODULES } from "./dependencies.js";

/** scikit-learn callables that take `random_state` and are random by default. */
const SKLEARN_RANDOM = new Set([
  "train_test_split",
  "ShuffleSplit",
  "StratifiedShuffleSplit",
  "GroupShuffleSplit",
  "RepeatedKFold",
  "RepeatedStratifiedKFold",
  "RandomForestClassifier",
  "RandomForestRegressor",
  "ExtraTreesClassifier",
  "ExtraTreesRegressor",
  "GradientBoostingClassifier",
  "GradientBoostingRegressor",
  "HistGradientBoostingClassifier",
  "HistGradientBoostingRegressor",
  "AdaBoostClassifier",
  "AdaBoostRegressor",
  "BaggingClassifier",
  "BaggingRegressor",
  "IsolationForest",
  "DecisionTreeClassifier",
  "DecisionTreeRegressor",
  "ExtraTreeClassifier",
  "ExtraTreeRegressor",
  "SGDClassifier",
  "SGDRegressor",
  "Perceptron",
  "MLPClassifier",
  "MLPRegressor",
  "KMeans",
  "MiniBatchKMeans",
  "GaussianMixture",
  "TSNE",
  "RandomizedSearchCV",
  "NMF",
  "LatentDirichletAllocation",
  "RandomTreesEmbedding",
  "make_classification",
  "make_regression",
  "make_blobs",
  "make_moons",
  "make_circles",
  "permutation_importance",
  "resample",
  "shuffle",
]);
/** Splitters that are random only with shuffle=True. */
const SKLEARN_SHUFFLE_ONLY = new Set(["KFold", "StratifiedKFold"]);

const NUMPY_RANDOM_FUNCS =
  "rand|randn|randint|random|random_sample|ranf|sample|choice|shuffle|permutation|normal|uniform|binomial|" +
  "poisson|exponential|beta|gamma|multivariate_normal|standard_normal|lognormal|laplace|logistic|multinomial|" +
  "dirichlet|geometric|triangular|rayleigh|weibull|chisquare|standard_t|random_integers";
const STDLIB_RANDOM_FUNCS =
  "random|randint|randrange|choice|choices|shuffle|sample|uniform|gauss|normalvariate|triangular|betavariate|" +
  "expovariate|getrandbits";

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Aliases {
  numpy: string[];
  numpyRandom: string[];
  fromNumpyRandom: string[];
  stdRandom: string[];
  fromStdRandom: string[];
  sklearnNames: string[];
  sklearnModules: string[];
  torch?: { cell: number; imp: ImportRecord };
  tensorflow?: { cell: number; imp: ImportRecord };
}

function collectAliases(ctx: CheckContext): Aliases {
  const a: Aliases = {
    numpy: [],
    numpyRandom: [],
    fromNumpyRandom: [],
    stdRandom: [],
    fromStdRandom: [],
    sklearnNames: [],
    sklearnModules: [],
  };
  for (const c of ctx.code) {
    for (const imp of c.analysis?.imports ?? []) {
      const m = imp.module;
      const root = m.split(".")[0]!;
      if (imp.names.length === 0) {
        const bound = imp.alias ?? root;
        if (m === "numpy") a.numpy.push(bound);
        else if (m === "numpy.random") (imp.alias ? a.numpyRandom : a.numpy).push(bound);
        else if (m === "random") a.stdRandom.push(bound);
        if (root === "sklearn") a.sklearnModules.push(bound);
      } else {
        for (const n of imp.names) {
          const bound = n.alias ?? n.name;
          if (m === "numpy" && n.name === "random") a.numpyRandom.push(bound);
          else if (m === "numpy.random") a.fromNumpyRandom.push(bound);
          else if (m === "random") a.fromStdRandom.push(bound);
          else if (root === "sklearn") {
            if (SKLEARN_RANDOM.has(n.name) || SKLEARN_SHUFFLE_ONLY.has(n.name)) a.sklearnNames.push(bound);
            else a.sklearnModules.push(bound);
          }
        }
      }
      if ((root === "torch" || root === "lightning" || root === "pytorch_lightning") && !a.torch)
        a.torch = { cell: c.index, imp };
      if ((root === "tensorflow" || root === "keras") && !a.tensorflow) a.tensorflow = { cell: c.index, imp };
    }
  }
  return a;
}

type SeedKind = "numpy" | "random" | "torch" | "tensorflow";

function findSeeds(ctx: CheckContext, a: Aliases): { cell: number; offset: number; kind: SeedKind }[] {
  const pats: [SeedKind, RegExp][] = [
    ["torch", /\b(?:manual_seed|seed_everything)\s*\(/g],
    ["tensorflow", /\b(?:set_seed|set_random_seed)\s*\(/g],
  ];
  const npMods = [...a.numpy.map((n) => `${esc(n)}\\.random`), ...a.numpyRandom.map(esc)];
  if (npMods.length > 0) pats.push(["numpy", new RegExp(`\\b(?:${npMods.join("|")})\\.seed\\s*\\(`, "g")]);
  if (a.fromNumpyRandom.includes("seed")) pats.push(["numpy", /(?<![\w.])seed\s*\(/g]);
  if (a.stdRandom.length > 0)
    pats.push(["random", new RegExp(`(?<![\\w.])(?:${a.stdRandom.map(esc).join("|")})\\.seed\\s*\\(`, "g")]);
  const out: { cell: number; offset: number; kind: SeedKind }[] = [];
  for (const c of ctx.code) {
    if (!c.scanned.code.includes("seed")) continue;
    for (const [kind, re] of pats) {
      for (const m of c.scanned.code.matchAll(re)) out.push({ cell: c.index, offset: m.index, kind });
    }
  }
  return out;
}

/** JavaScript's `\s` (what a regex skips between a called name and its parenthesis), by UTF-16 code unit. */
function isRegexSpace(ch: number): boolean {
  return (
    (ch >= 0x09 && ch <= 0x0d) ||
    ch === 0x20 ||
    ch === 0xa0 ||
    ch === 0x1680 ||
    (ch >= 0x2000 && ch <= 0x200a) ||
    ch === 0x2028 ||
    ch === 0x2029 ||
    ch === 0x202f ||
    ch === 0x205f ||
    ch === 0x3000 ||
    ch === 0xfeff
  );
}

/** `[\w.]` without the `u` flag: an ASCII letter, digit, `_` or `.`. */
function isWordOrDot(ch: number): boolean {
  return (
    (ch >= 0x61 && ch <= 0x7a) ||
    (ch >= 0x41 && ch <= 0x5a) ||
    (ch >= 0x30 && ch <= 0x39) ||
    ch === 0x5f ||
    ch === 0x2e
  );
}

/**
 * A finder of the matches of `re` — a pattern that starts after a non-word, non-dot character (`(?<![\w.])`), runs
 * over a dotted chain of ASCII words and ends with `NAME\s*\(` for a NAME in `names` — that does not try `re` at
 * every position of the code: such a match can only start where a called chain ending in NAME starts (a longest
 * run of `[\w.]` followed by `\s*\(`), and `re` is tried there once (sticky). The chains are found from their
 * parentheses, walking back over the spaces and the chain (one pass over the `(` of the code, no regex). The same
 * matches, in the same order, as `code.matchAll(re)`. Built once per notebook.
 */
export function callSiteMatcher(re: RegExp, names: ReadonlySet<string>): (code: string) => RegExpExecArray[] {
  const sticky = new RegExp(re.source, "y");
  return (code) => {
    const out: RegExpExecArray[] = [];
    for (let open = code.indexOf("("); open !== -1; open = code.indexOf("(", open + 1)) {
      let end = open;
      while (end > 0 && isRegexSpace(code.charCodeAt(end - 1))) end--;
      let start = end;
      /** Where the chain's last dotted part starts. */
      let last = -1;
      while (start > 0 && isWordOrDot(code.charCodeAt(start - 1))) {
        start--;
        if (last < 0 && code.charCodeAt(start) === 0x2e) last = start + 1;
      }
      if (start === end || !names.has(code.slice(last < 0 ? start : last, end))) continue;
      sticky.lastIndex = start;
      const m = sticky.exec(code);
      if (m) out.push(m);
    }
    return out;
  };
}

export function checkRandomness(ctx: CheckContext): void {
  const a = collectAliases(ctx);
  const seeds = findSeeds(ctx, a);
  const seededBefore = (kind: SeedKind, cell: number, offset: number) =>
    seeds.some((s) => s.kind === kind && (s.cell < cell || (s.cell === cell && s.offset < offset)));
  const report = (c: CodeCellInfo, start: number, end: number, message: string, suggestion: string) =>
    ctx.report("FL201", { cell: c.index, span: spanOf(c.scanned, start, end) }, message, {
      fix: { kind: "suggestion", safe: false, description: suggestion },
    });

  const npMods = [...a.numpy.map((n) => `${esc(n)}\\.random`), ...a.numpyRandom.map(esc)];
  const npCall =
    npMods.length > 0
      ? new RegExp(`(?<![\\w.])(?:${npMods.join("|")})\\.(${NUMPY_RANDOM_FUNCS})\\s*\\(`, "g")
      : null;
  const npFrom = a.fromNumpyRandom.filter((n) => new RegExp(`^(?:${NUMPY_RANDOM_FUNCS})$`).test(n));
  const npBare =
    npFrom.length > 0 ? new RegExp(`(?<![\\w.])(${npFrom.map(esc).join("|")})\\s*\\(`, "g") : null;
  const genCall = new RegExp(
    `(?<![\\w])(?:(?:${[...npMods, ...a.numpy.map(esc)].join("|") || "numpy\\.random"})\\.)?(default_rng|RandomState)\\s*\\(`,
    "g",
  );
  const stdCall =
    a.stdRandom.length > 0
      ? new RegExp(`(?<![\\w.])(?:${a.stdRandom.map(esc).join("|")})\\.(${STDLIB_RANDOM_FUNCS})\\s*\\(`, "g")
      : null;
  const stdFrom = a.fromStdRandom.filter((n) => new RegExp(`^(?:${STDLIB_RANDOM_FUNCS})$`).test(n));
  const stdBare =
    stdFrom.length > 0 ? new RegExp(`(?<![\\w.])(${stdFrom.map(esc).join("|")})\\s*\\(`, "g") : null;
  const skNames = [...a.sklearnNames];
  const skQualified = [...SKLEARN_RANDOM, ...SKLEARN_SHUFFLE_ONLY];
  const skCall =
    skNames.length + a.sklearnModules.length > 0
      ? new RegExp(
          `(?<![\\w.])(?:(?:${a.sklearnModules.map(esc).join("|") || "sklearn"})(?:\\.\\w+)*\\.(${skQualified.join("|")})` +
            `${skNames.length > 0 ? `|(${skNames.map(esc).join("|")})` : ""})\\s*\\(`,
          "g",
        )
      : null;

  const skWordList = [...a.sklearnNames, ...skQualified];
  const skWords = new RegExp(skWordList.map(esc).join("|"));
  // scikit-learn calls are looked for only where the code calls one of the names (see callSiteMatcher), which
  // finds the same matches as scanning the whole cell when every name and module alias is an ASCII word.
  const skAtCallSites =
    skCall && [...a.sklearnNames, ...a.sklearnModules].every((n) => /^\w+$/.test(n))
      ? callSiteMatcher(skCall, new Set(skWordList))
      : undefined;
  // Module aliases too: `import numpy.random as npr` then `npr.rand(3)` has no "random" in the calling cell.
  const randomWords = new RegExp(
    ["random", ...npFrom, ...stdFrom, ...a.numpyRandom, ...a.stdRandom].map(esc).join("|"),
  );
  for (const c of ctx.code) {
    const code = c.scanned.code;
    // Cheap pre-checks: most cells draw no random numbers at all.
    if (!code.includes("(")) continue;
    const mayRandom = randomWords.test(code);
    const skMatches = skCall === null ? [] : skAtCallSites ? skAtCallSites(code) : undefined;
    const maySk = skMatches === undefined ? skWords.test(code) : skMatches.length > 0;
    const mayGenerator = code.includes("default_rng") || code.includes("RandomState");
    if (!mayRandom && !maySk && !mayGenerator) continue;
    for (const re of mayRandom ? [npCall, npBare] : []) {
      if (!re) continue;
      for (const m of code.matchAll(re)) {
        if (seededBefore("numpy", c.index, m.index)) continue;
        report(
          c,
          m.index,
          m.index + m[0].length - 1,
          `\`${m[0].replace(/\s*\($/, "")}()\` draws random numbers and no \`np.random.seed(…)\` runs before it`,
          "call np.random.seed(<n>) once at the top, or use np.random.default_rng(<n>)",
        );
      }
    }
    for (const m of mayGenerator ? code.matchAll(genCall) : []) {
      const args = callArguments(code, m.index + m[0].length - 1);
      if (args?.text.trim() !== "") continue;
      report(
        c,
        m.index,
        m.index + m[0].length - 1,
        `\`${m[1]}()\` without a seed gives different numbers on every run`,
        `pass a seed: ${m[1]}(42)`,
      );
    }
    for (const re of mayRandom ? [stdCall, stdBare] : []) {
      if (!re) continue;
      for (const m of code.matchAll(re)) {
        if (seededBefore("random", c.index, m.index)) continue;
        report(
          c,
          m.index,
          m.index + m[0].length - 1,
          `\`${m[0].replace(/\s*\($/, "")}()\` draws random numbers and no \`random.seed(…)\` runs before it`,
          "call random.seed(<n>) once at the top",
        );
      }
    }
    if (skCall && maySk) {
      for (const m of skMatches ?? code.matchAll(skCall)) {
        const name = (m[1] ?? m[2])!;
        const args = callArguments(code, m.index + m[0].length - 1);
        if (!args || /\brandom_state\s*=/.test(args.text)) continue;
        const shuffleOnly =
          SKLEARN_SHUFFLE_ONLY.has(name) || (a.sklearnNames.includes(name) && SKLEARN_SHUFFLE_ONLY.has(name));
        if (shuffleOnly && !/\bshuffle\s*=\s*True\b/.test(args.text)) continue;
        if (name === "train_test_split" && /\bshuffle\s*=\s*False\b/.test(args.text)) continue;
        if (seededBefore("numpy", c.index, m.index)) continue;
        report(
          c,
          m.index,
          m.index + m[0].length - 1,
          `\`${name}(…)\` without \`random_state\` gives different results on every run`,
          `pass random_state=42 (or a parameter) to ${name}`,
        );
      }
    }
  }
  const frameworks: [SeedKind, Aliases["torch"], string, string][] = [
    ["torch", a.torch, "PyTorch", "torch.manual_seed(<n>) (or lightning's seed_everything)"],
    [
      "tensorflow",
      a.tensorflow,
      "TensorFlow/Keras",
      "tf.random.set_seed(<n>) or keras.utils.set_random_seed(<n>)",
    ],
  ];
  for (const [kind, found, label, how] of frameworks) {
    if (!found || seeds.some((s) => s.kind === kind)) continue;
    ctx.report(
      "FL201",
      { cell: found.cell, span: found.imp.span },
      `${label} is imported but no seed is ever set: weight initialisation and shuffling change on every run`,
      { fix: { kind: "suggestion", safe: false, description: `call ${how} after the imports` } },
    );
  }
}

const URL_RE = /^(?:https?|ftp|s3|gs|abfss?|az):\/\/\S+$/i;
const HOME_RE =
  /^(?:~(?:[\\/]|$)|\/(?:home|Users)\/[^/\s]+|[A-Za-z]:[\\/]+(?:Users|Documents and Settings)[\\/])/;
const WIN_ABS_RE = /^(?:[A-Za-z]:[\\/]|\\\\[^\\\s]+\\)/;
const POSIX_ABS_RE = /^\/(?:[\w.\-+@ ~]+\/)*[\w.\-+@ ~]*$/;
const OUTSIDE_RE = /^\.\.(?:[\\/]|$)/;
const READ_CALL_RE =
  /(?:read_\w+|load\w*|open|urlopen|urlretrieve|get|fetch\w*|download\w*|Request|get_file|from_url|imread|read)\s*\(\s*$/i;
const URL_NAME_RE = /(?:url|uri|path|root|link|source|endpoint|data|file)\w*\s*=\s*$/i;

/** Paths and URLs in string literals. */
export function checkPaths(ctx: CheckContext): void {
  for (const c of ctx.code) {
    const { code } = c.scanned;
    for (const s of c.scanned.strings) {
      const v = s.value;
      if (v.length < 2 || v.length > 400) continue;
      // Cheap first-character filter: only these can start a path or a URL.
      const c0 = v[0]!;
      const isUrl = v.includes("://");
      if (!isUrl && c0 !== "/" && c0 !== "~" && c0 !== "." && c0 !== "\\" && v[1] !== ":") continue;
      if (!isUrl && /[\n{}]/.test(v)) continue;
      const where = { cell: c.index, span: spanOf(c.scanned, s.start, s.end) };
      const before = code.slice(Math.max(0, s.start - 80), s.start);
      if (URL_RE.test(v)) {
        if (!READ_CALL_RE.test(before) && !URL_NAME_RE.test(before)) continue;
        ctx.report("FL205", where, `data read from a URL (${shorten(v)}): it can change or disappear`, {
          fix: {
            kind: "suggestion",
            safe: false,
            description: "download it once, record its checksum, and read the local copy",
          },
        });
        continue;
      }
      if (v.includes("://")) continue;
      if (HOME_RE.test(v)) {
        ctx.report(
          "FL203",
          where,
          `\`${shorten(v)}\` is in someone's home directory: it exists only for them`,
          {
            fix: { kind: "suggestion", safe: false, description: "use a path relative to the notebook" },
          },
        );
      } else if (WIN_ABS_RE.test(v) || (POSIX_ABS_RE.test(v) && looksLikeFilePath(v))) {
        ctx.report("FL202", where, `\`${shorten(v)}\` is an absolute path: it exists only on this machine`, {
          fix: {
            kind: "suggestion",
            safe: false,
            description: "use a path relative to the notebook, or a parameter",
          },
        });
      } else if (OUTSIDE_RE.test(v)) {
        ctx.report("FL204", where, `\`${shorten(v)}\` leaves the notebook's folder`, {
          fix: {
            kind: "suggestion",
            safe: false,
            description: "keep the data beside the notebook, or make it a parameter",
          },
        });
      }
    }
    for (const m of c.scanned.magicLines) {
      const url = /^!\s*(?:wget|curl)\b.*?((?:https?|ftp):\/\/\S+)/.exec(m.text);
      if (!url) continue;
      const at = m.start + m.text.indexOf(url[1]!);
      ctx.report(
        "FL205",
        { cell: c.index, span: spanOf(c.scanned, at, at + url[1]!.length) },
        `data downloaded from a URL (${shorten(url[1]!)}): it can change or disappear`,
      );
    }
  }
}

function looksLikeFilePath(v: string): boolean {
  if (v.startsWith("/dev/") || v === "/") return false;
  const segments = v.split("/").filter(Boolean);
  return segments.length >= 2 || /\.\w{1,6}$/.test(v);
}

function shorten(v: string): string {
  return v.length > 60 ? `${v.slice(0, 57)}…` : v;
}

const INSTALL_RE =
  /^(?:[\w, ]*=\s*)?[!%]\s*(?:(?:python[\d.]*|py)\s+-m\s+)?(pip3?|conda|mamba|uv\s+pip)\s+install\s+(.*)$/;

/** Packages named by `!pip install` / `%pip install` / `%conda install` lines, pinned or not. */
export function installLines(
  c: CodeCellInfo,
): { name: string; pinned: boolean; start: number; end: number }[] {
  const out: { name: string; pinned: boolean; start: number; end: number }[] = [];
  for (const m of c.scanned.magicLines) {
    const hit = INSTALL_RE.exec(m.text);
    if (!hit) continue;
    const argsStart = m.start + m.text.length - hit[2]!.length;
    let skipNext = false;
    for (const tok of hit[2]!.matchAll(/\S+/g)) {
      const raw = tok[0];
      if (skipNext) {
        skipNext = false;
        continue;
      }
      if (
        /^(?:-r|--requirement|-c|--constraint|-e|--editable|-i|--index-url|--extra-index-url|-f|--find-links|-c)$/.test(
          raw,
        )
      ) {
        skipNext = true;
        continue;
      }
      if (raw.startsWith("-") || raw.startsWith("#")) {
        if (raw.startsWith("#")) break;
        continue;
      }
      const t = raw.replace(/^["']|["']$/g, "");
      if (/[/\\]|\.whl$|\.tar\.gz$|^git\+|^\$|^\{/.test(t)) continue;
      const name = t.split(/[<>=!~;[@]/)[0]!;
      if (!name) continue;
      // Any version specifier counts as a version (`x==1.2`, `x>=1,<2`; conda's `x=1.2`).
      const pinned = /[<>=!~]=?/.test(t);
      out.push({ name, pinned, start: argsStart + tok.index, end: argsStart + tok.index + raw.length });
    }
  }
  return out;
}

export function checkInstalls(ctx: CheckContext): void {
  const installed = new Set<string>();
  for (const c of ctx.code) {
    for (const p of installLines(c)) {
      installed.add(normalizeDistribution(p.name));
      if (p.pinned) continue;
      ctx.report(
        "FL206",
        { cell: c.index, span: spanOf(c.scanned, p.start, p.end) },
        `\`${p.name}\` is installed without a version: each run may get a different one`,
        {
          fix: {
            kind: "suggestion",
            safe: false,
            description: `pin it: ${p.name}==<version you tested with>`,
          },
        },
      );
    }
  }
  undeclaredImports(ctx, installed);
}

function undeclaredImports(ctx: CheckContext, installed: Set<string>): void {
  const declared = new Set([...(ctx.env.declared ?? []), ...installed]);
  const local = ctx.env.localModules ?? new Set<string>();
  const seen = new Set<string>();
  const missing: { root: string; cell: number; imp: ImportRecord }[] = [];
  for (const c of ctx.code) {
    for (const imp of c.analysis?.imports ?? []) {
      if (imp.module.startsWith(".")) continue;
      const root = imp.module.split(".")[0]!;
      if (!root || seen.has(root) || STDLIB_MODULES.has(root) || local.has(root)) continue;
      seen.add(root);
      if (distributionNames(imp.module).some((d) => declared.has(d))) continue;
      missing.push({ root, cell: c.index, imp });
    }
  }
  if (missing.length === 0) return;
  if (declared.size === 0) {
    const first = missing[0]!;
    ctx.report(
      "FL207",
      { cell: first.cell, span: first.imp.span },
      `no requirements file (requirements.txt, pyproject.toml, environment.yml) or install line declares the ` +
        `${missing.length} third-party package${missing.length > 1 ? "s" : ""} this notebook imports: ` +
        listText(missing.map((m) => m.root)),
    );
    return;
  }
  const where = ctx.env.requirementFiles?.length ? ctx.env.requirementFiles.join(", ") : "the install lines";
  for (const m of missing) {
    ctx.report(
      "FL207",
      { cell: m.cell, span: m.imp.span },
      `\`${m.root}\` is imported but not declared in ${where}`,
    );
  }
}

export function checkMetadata(ctx: CheckContext): void {
  const md = ctx.nb.metadata ?? {};
  if (!md.kernelspec || typeof md.kernelspec !== "object") {
    ctx.report("FL208", {}, "the notebook has no kernelspec: tools cannot tell which kernel runs it");
  }
  if (!md.language_info || typeof md.language_info !== "object") {
    ctx.report("FL209", {}, "the notebook has no language_info: the Python version it ran with is unknown");
  }
}
