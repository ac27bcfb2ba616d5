#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js and everything it imports from dist/) into one CommonJS file,
// dist/cli.cjs, that bin/fledge.js runs through V8's code cache (src/cli/launch.ts). Run by `npm run build`
// after tsc.
//
// Why: Node 20 cannot cache compiled ES modules, and a fresh `fledge check` spent a fifth of its CPU loading,
// parsing and lazily compiling ~45 modules. One script can be compiled from a cache made by an earlier run.
//
// - Packages stay external (required from node_modules at run time, as before), except the plain JavaScript
//   ones listed in BUNDLED below. Every `import()` becomes a `require` (a `vm.Script` can only `import()` through an
//   experimental API that prints a warning), so @hpcc-js/wasm-graphviz, an ES module only, which Node 20 cannot
//   `require`, is converted on its own to dist/vendor/graphviz.cjs (0.8 MB, its WebAssembly inlined, loaded only
//   by `map --format svg|html`), and the bundle requires that file.
// - `import.meta.url` in each module becomes the URL of that module's own file in dist/ (still there, next to
//   the bundle), so every path computed from it (package.json, python/, the check cache's salt) is unchanged.
import { readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
const ES_ONLY = { "@hpcc-js/wasm-graphviz": "vendor/graphviz.cjs" };
/**
 * Plain JavaScript packages bundled in, so that the code cache covers them too (loading yaml from node_modules
 * cost 28 ms at every start that read an environment.yml). Their factories still run on first use: the modules
 * that load them lazily (`createRequire(import.meta.url)("yaml")`) get a plain `require`, which the bundle runs
 * when it is reached.
 */
const BUNDLED = ["yaml", "smol-toml", "ignore", "diff"];
const LAZY_REQUIRE = new RegExp(
  `(?:createRequire\\(import\\.meta\\.url\\)|requireDependency)\\((["'])(${BUNDLED.join("|")})\\1\\)`,
  "g",
);
const external = Object.keys(pkg.dependencies).filter(
  (name) => !(name in ES_ONLY) && !BUNDLED.includes(name),
);
/** Defined once at the top of the bundle, where `require` and `__dirname` are the bundle's own. */
const URL_OF = "__fledgeModuleUrl";
const banner = `var ${URL_OF} = (rel) => require("node:url").pathToFileURL(require("node:path").join(__dirname, rel)).href;`;
const dist = join(root, "dist");

/**
 * In every dist module: lazy loads of a bundled package become plain `require`s, and `import.meta.url` an
 * expression giving that module's own file URL.
 */
const moduleUrls = {
  name: "module-urls",
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      const rel = relative(dist, args.path).split(sep).join("/");
      if (rel.startsWith("..")) return undefined;
      const text = await readFile(args.path, "utf8");
      if (!text.includes("import.meta.url") && !text.includes("requireDependency(")) return undefined;
      return {
        contents: text
          .replace(LAZY_REQUIRE, (_m, _q, name) => `require(${JSON.stringify(name)})`)
          .replaceAll("import.meta.url", `${URL_OF}(${JSON.stringify(rel)})`),
        loader: "js",
      };
    });
  },
};

/** Points the bundle's imports of an ES-only package at its CommonJS conversion beside the bundle. */
const converted = {
  name: "es-only-packages",
  setup(b) {
    const names = Object.keys(ES_ONLY).map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
    b.onResolve({ filter: new RegExp(`^(?:${names.join("|")})$`) }, (args) => ({
      path: `./${ES_ONLY[args.path]}`,
      external: true,
    }));
  },
};

const common = { bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning" };

for (const [name, out] of Object.entries(ES_ONLY)) {
  await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: root },
    outfile: join(dist, out),
    charset: "ascii",
    minifyWhitespace: true,
    legalComments: "inline",
  });
}

await build({
  ...common,
  entryPoints: [join(dist, "cli", "main.js")],
  outfile: join(dist, "cli.cjs"),
  external,
  supported: { "dynamic-import": false },
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "none",
  banner: { js: banner },
  charset: "ascii",
  // ASCII (the launcher then decodes it without a UTF-8 pass) and without whitespace or comments: a smaller file
  // to read, hash and scan at every start. Names are kept, for readable FLEDGE_DEBUG traces.
  minifyWhitespace: true,
  plugins: [moduleUrls, converted],
});
