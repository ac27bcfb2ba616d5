/**
 * Which imports are third-party packages, and which distribution names declare them: the data behind the
 * undeclared-dependency rule, plus parsers for the requirement files that can sit beside a notebook.
 */
import { createRequire } from "node:module";

/**
 * The TOML and YAML parsers load on first use, synchronously: most folders have no environment.yml, and loading
 * `yaml` at startup cost every `fledge check` about 40 ms of CPU before the first notebook.
 */
const requireDependency = createRequire(import.meta.url);
let tomlParser: typeof import("smol-toml").parse | undefined;
let yamlParser: typeof import("yaml").parse | undefined;

/** Parse TOML text (throws smol-toml's TomlError on bad input). */
export function parseToml(text: string): unknown {
  tomlParser ??= (requireDependency("smol-toml") as typeof import("smol-toml")).parse;
  return tomlParser(text);
}

function parseYaml(text: string): unknown {
  yamlParser ??= (requireDependency("yaml") as typeof import("yaml")).parse;
  return yamlParser(text);
}

/** Python 3.11's sys.stdlib_module_names (public ones), plus Python 2 names old notebooks still import. */
export const STDLIB_MODULES: ReadonlySet<string> = new Set(
  (
    "abc aifc antigravity argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys compileall concurrent configparser contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode operator optparse os ossaudiodev pathlib pdb pickle pickletools pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios textwrap this threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo " +
    "__future__ __main__ urllib2 urlparse cPickle StringIO cStringIO Queue ConfigParser httplib HTMLParser " +
    "Tkinter commands sets md5 sha exceptions"
  ).split(" "),
);

/** Import names whose distribution is called something else (the common cases in data science). */
const DISTRIBUTION_OF: Record<string, string[]> = {
  sklearn: ["scikit-learn"],
  skimage: ["scikit-image"],
  cv2: ["opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv"],
  PIL: ["pillow"],
  yaml: ["pyyaml"],
  bs4: ["beautifulsoup4"],
  dateutil: ["python-dateutil"],
  dotenv: ["python-dotenv"],
  mpl_toolkits: ["matplotlib"],
  pylab: ["matplotlib"],
  Crypto: ["pycryptodome"],
  attr: ["attrs"],
  google: ["protobuf", "google-cloud-storage", "google-api-python-client"],
  torch: ["torch", "pytorch"],
  torchvision: ["torchvision"],
  pytorch_lightning: ["pytorch-lightning", "lightning"],
  lightning: ["lightning", "pytorch-lightning"],
  tensorflow: ["tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tf-nightly"],
  keras: ["keras", "tensorflow"],
  IPython: ["ipython", "ipykernel", "jupyter", "notebook", "jupyterlab"],
  ipywidgets: ["ipywidgets", "jupyter"],
  graphviz: ["graphviz", "python-graphviz"],
  Levenshtein: ["python-levenshtein", "levenshtein"],
  sqlalchemy: ["sqlalchemy"],
  psycopg2: ["psycopg2", "psycopg2-binary"],
  MySQLdb: ["mysqlclient"],
  gensim: ["gensim"],
  umap: ["umap-learn"],
  hdbscan: ["hdbscan"],
  xgboost: ["xgboost", "py-xgboost"],
  lightgbm: ["lightgbm"],
  catboost: ["catboost"],
  featuretools: ["featuretools"],
  imblearn: ["imbalanced-learn"],
  statsmodels: ["statsmodels"],
  jwt: ["pyjwt"],
  magic: ["python-magic"],
  serial: ["pyserial"],
  zmq: ["pyzmq"],
  OpenSSL: ["pyopenssl"],
  docx: ["python-docx"],
  pptx: ["python-pptx"],
  fitz: ["pymupdf"],
};

/** PEP 503 normalisation: lowercase, runs of -_. become one "-". */
export function normalizeDistribution(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** Distribution names (normalised) that would provide an import. */
export function distributionNames(module: string): string[] {
  const root = module.split(".")[0]!;
  const names = [...(DISTRIBUTION_OF[root] ?? []), root];
  return names.map(normalizeDistribution);
}

/** Requirement specifier → distribution name: "pandas>=2.0 ; python_version>'3.8'" → "pandas". */
function requirementName(line: string): string | undefined {
  const t = line.replace(/#.*$/, "").trim();
  if (t === "" || t.startsWith("-")) return undefined;
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(t);
  return m ? normalizeDistribution(m[1]!) : undefined;
}

export function parseRequirementsTxt(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(requirementName)
    .filter((n): n is string => n !== undefined);
}

/** PEP 621 dependencies and optional dependencies, Poetry dependencies. */
export function parsePyprojectDependencies(text: string): string[] {
  const doc = parseToml(text) as Record<string, unknown>;
  const out: string[] = [];
  const project = doc.project as Record<string, unknown> | undefined;
  const add = (list: unknown) => {
    if (Array.isArray(list))
      for (const s of list) if (typeof s === "string") out.push(...parseRequirementsTxt(s));
  };
  add(project?.dependencies);
  const optional = project?.["optional-dependencies"];
  if (optional && typeof optional === "object") for (const v of Object.values(optional)) add(v);
  const poetry = (doc.tool as Record<string, unknown> | undefined)?.poetry as
    | Record<string, unknown>
    | undefined;
  for (const key of ["dependencies", "dev-dependencies"]) {
    const deps = poetry?.[key];
    if (deps && typeof deps === "object")
      for (const k of Object.keys(deps)) out.push(normalizeDistribution(k));
  }
  const groups = poetry?.group;
  if (groups && typeof groups === "object") {
    for (const g of Object.values(groups)) {
      const deps = (g as Record<string, unknown>)?.dependencies;
      if (deps && typeof deps === "object")
        for (const k of Object.keys(deps)) out.push(normalizeDistribution(k));
    }
  }
  return out;
}

/** conda environment.yml: its dependencies, including the nested pip list. */
export function parseEnvironmentYml(text: string): string[] {
  const doc = parseYaml(text) as { dependencies?: unknown[] } | null;
  const out: string[] = [];
  for (const d of doc?.dependencies ?? []) {
    if (typeof d === "string") {
      const name = requirementName(d.replace(/^[\w-]+::/, "").replace(/=.*$/, ""));
      if (name) out.push(name);
    } else if (d && typeof d === "object" && Array.isArray((d as { pip?: unknown }).pip)) {
      for (const p of (d as { pip: unknown[] }).pip)
        if (typeof p === "string") out.push(...parseRequirementsTxt(p));
    }
  }
  return out;
}
