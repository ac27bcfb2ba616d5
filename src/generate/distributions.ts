/**
 * From import names to PyPI distributions: the table a `pyproject.toml` needs.
 *
 * Two questions: is a top-level module part of the standard library of the target Python
 * (then it is no dependency), and which distribution installs it (`sklearn` → `scikit-learn`).
 * The standard-library list is Python 3.11's `sys.stdlib_module_names` (public names), adjusted
 * per version from the "removed"/"new" sections of the What's New pages of 3.8–3.13.
 */

const STDLIB_311 =
  `abc aifc antigravity argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb
binascii bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys
compileall concurrent configparser contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses datetime
dbm decimal difflib dis distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput
fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac
html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json keyword lib2to3 linecache locale
logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis
nntplib nt ntpath nturl2path numbers opcode operator optparse os ossaudiodev pathlib pdb pickle pickletools pipes
pkgutil platform plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc pydoc_data
pyexpat queue quopri random re readline reprlib resource rlcompleter runpy sched secrets select selectors shelve
shlex shutil signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3 sre_compile sre_constants sre_parse
ssl stat statistics string stringprep struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile
telnetlib tempfile termios textwrap this threading time timeit tkinter token tokenize tomllib trace traceback
tracemalloc tty turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref
webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo __future__`
    .split(/\s+/)
    .filter(Boolean);

/** Modules that exist in older versions only (removed in the version given). */
const REMOVED_IN: Record<string, string> = {
  // 3.10 removed formatter, parser, symbol; 3.11 removed binhex; 3.9 removed dummy_threading.
  formatter: "3.10",
  parser: "3.10",
  symbol: "3.10",
  binhex: "3.11",
  dummy_threading: "3.9",
  // PEP 632 / 3.12 removals
  distutils: "3.12",
  asynchat: "3.12",
  asyncore: "3.12",
  imp: "3.12",
  smtpd: "3.12",
  // PEP 594 / 3.13 removals
  aifc: "3.13",
  audioop: "3.13",
  cgi: "3.13",
  cgitb: "3.13",
  chunk: "3.13",
  crypt: "3.13",
  imghdr: "3.13",
  mailcap: "3.13",
  msilib: "3.13",
  nis: "3.13",
  nntplib: "3.13",
  ossaudiodev: "3.13",
  pipes: "3.13",
  sndhdr: "3.13",
  spwd: "3.13",
  sunau: "3.13",
  telnetlib: "3.13",
  uu: "3.13",
  xdrlib: "3.13",
  lib2to3: "3.13",
};

/** Modules added after 3.8 (added in the version given). */
const ADDED_IN: Record<string, string> = { graphlib: "3.9", zoneinfo: "3.9", tomllib: "3.11" };

export const SUPPORTED_PYTHONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"] as const;

function versionKey(v: string): number {
  const [major = "3", minor = "0"] = v.split(".");
  return Number(major) * 100 + Number(minor);
}

/** Is `module` (any dotted name; its top level decides) in the standard library of Python `version`? */
export function isStdlib(module: string, version = "3.11"): boolean {
  const top = module.split(".")[0] ?? module;
  const v = versionKey(version);
  const removed = REMOVED_IN[top];
  if (removed !== undefined) return v < versionKey(removed);
  const added = ADDED_IN[top];
  if (added !== undefined) return v >= versionKey(added);
  return STDLIB_SET.has(top);
}

const STDLIB_SET = new Set(STDLIB_311);

/**
 * Import name → distribution name, where they differ or the import is ambiguous. Keys are top-level
 * import names. Names not listed are assumed to be published under the import name.
 */
export const DISTRIBUTIONS: Record<string, string> = {
  sklearn: "scikit-learn",
  skimage: "scikit-image",
  cv2: "opencv-python",
  PIL: "pillow",
  yaml: "PyYAML",
  bs4: "beautifulsoup4",
  dateutil: "python-dateutil",
  dotenv: "python-dotenv",
  jwt: "PyJWT",
  Crypto: "pycryptodome",
  OpenSSL: "pyOpenSSL",
  attr: "attrs",
  google: "google-cloud-core",
  docx: "python-docx",
  pptx: "python-pptx",
  fitz: "PyMuPDF",
  Levenshtein: "python-Levenshtein",
  serial: "pyserial",
  usb: "pyusb",
  magic: "python-magic",
  gi: "PyGObject",
  win32api: "pywin32",
  wx: "wxPython",
  MySQLdb: "mysqlclient",
  psycopg2: "psycopg2-binary",
  sqlalchemy: "SQLAlchemy",
  tensorflow: "tensorflow",
  tf_keras: "tf-keras",
  torch: "torch",
  lightgbm: "lightgbm",
  xgboost: "xgboost",
  catboost: "catboost",
  statsmodels: "statsmodels",
  imblearn: "imbalanced-learn",
  category_encoders: "category-encoders",
  featuretools: "featuretools",
  plotly: "plotly",
  seaborn: "seaborn",
  Bio: "biopython",
  osgeo: "GDAL",
  shapefile: "pyshp",
  umap: "umap-learn",
  hdbscan: "hdbscan",
  pydantic: "pydantic",
  tqdm: "tqdm",
  nltk: "nltk",
  gensim: "gensim",
  spacy: "spacy",
  transformers: "transformers",
  datasets: "datasets",
  pyspark: "pyspark",
  pyarrow: "pyarrow",
  tables: "tables",
  openpyxl: "openpyxl",
  xlrd: "xlrd",
  jinja2: "Jinja2",
  markdown: "Markdown",
  IPython: "ipython",
  ipywidgets: "ipywidgets",
  mpl_toolkits: "matplotlib",
  pandas_profiling: "pandas-profiling",
  ydata_profiling: "ydata-profiling",
  sentence_transformers: "sentence-transformers",
  google_auth_oauthlib: "google-auth-oauthlib",
  googleapiclient: "google-api-python-client",
  pkg_resources: "setuptools",
  setuptools: "setuptools",
  zmq: "pyzmq",
  lxml: "lxml",
  requests: "requests",
  scipy: "scipy",
  numpy: "numpy",
  pandas: "pandas",
  matplotlib: "matplotlib",
  joblib: "joblib",
  keras: "keras",
  pylab: "matplotlib",
};

/** Modules that are part of a notebook's tooling, not of a pipeline's runtime. */
export const NOTEBOOK_ONLY = new Set(["IPython", "ipywidgets", "ipykernel", "google.colab", "jupyter"]);

/**
 * Conservative lower bounds used when no kernel told us the installed versions: the oldest release
 * of each library that has the API shape common notebooks use (pandas 1.x method names, scikit-learn's
 * `get_feature_names_out`, …). Unknown distributions get no bound.
 */
export const LOWER_BOUNDS: Record<string, string> = {
  pandas: "1.3",
  numpy: "1.21",
  "scikit-learn": "1.0",
  matplotlib: "3.5",
  seaborn: "0.11",
  scipy: "1.7",
  joblib: "1.0",
  PyYAML: "6.0",
  pyarrow: "6.0",
  statsmodels: "0.13",
  xgboost: "1.5",
  lightgbm: "3.3",
  requests: "2.25",
};

/** The distribution that provides import `module`, or undefined for the standard library. */
export function distributionFor(module: string, pythonVersion = "3.11"): string | undefined {
  if (module.startsWith(".")) return undefined; // relative import: the user's own code
  if (isStdlib(module, pythonVersion)) return undefined;
  const top = module.split(".")[0] ?? module;
  if (module.startsWith("google.colab")) return undefined;
  return DISTRIBUTIONS[top] ?? top;
}

/** Parse the package list of `pip install …` / `%pip install …` into requirement strings (flags dropped). */
export function pipInstallRequirements(args: string): string[] {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const i = words.indexOf("install");
  if (i < 0) return [];
  const out: string[] = [];
  let skipNext = false;
  for (const w of words.slice(i + 1)) {
    if (skipNext) {
      skipNext = false;
      continue;
    }
    if (w.startsWith("-")) {
      // Options with a value: -r file, -c file, -i url, --index-url url, -e path …
      if (
        /^(-[rceif]|--(requirement|constraint|index-url|extra-index-url|editable|find-links|target|prefix))$/.test(
          w,
        )
      )
        skipNext = true;
      continue;
    }
    if (w.startsWith("$") || w.startsWith("{") || w === "&&" || w === ";" || w === "|") break;
    out.push(w.replace(/^["']|["']$/g, ""));
  }
  return out;
}

/** The distribution name of a requirement string (`pandas>=2` → `pandas`, `scikit-learn[all]` → `scikit-learn`). */
export function requirementName(req: string): string {
  return (req.match(/^[A-Za-z0-9._-]+/)?.[0] ?? req).trim();
}

/** PEP 503 normalised name, for comparing distributions. */
export function normalizeDistribution(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
