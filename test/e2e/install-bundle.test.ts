// The published package is bin/ + dist/: every library is bundled, only native modules are runtime
// dependencies. These tests read the built dist/ (run `npm run build` first) and stay offline.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fakeProviderConfig, parseJsonl, REPO_ROOT } from "../support/codex-env.js";
import { sse, startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, textMessage } from "../support/sse.js";

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  files: string[];
};
const runtimeDeps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];
const DIST = path.join(REPO_ROOT, "dist");
const isBuiltin = (spec: string) => spec.startsWith("node:") || builtinModules.includes(spec.split("/")[0]!);
const packageOf = (spec: string) => spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/");

/** Every module specifier the built chunks load: static and dynamic imports (via esbuild) and require() calls. */
async function distSpecifiers(): Promise<Set<string>> {
  const found = new Set<string>();
  const chunks = readdirSync(DIST).filter((f) => f.endsWith(".js") || f.endsWith(".cjs"));
  expect(chunks).toContain("cli.cjs");
  expect(chunks.length).toBeGreaterThan(1);
  await build({
    entryPoints: Object.fromEntries(chunks.map((f) => [f.replace(/\./g, "_"), path.join(DIST, f)])),
    bundle: true,
    write: false,
    outdir: path.join(os.tmpdir(), "codex-install-scan"),
    format: "esm",
    platform: "node",
    logLevel: "silent",
    plugins: [
      {
        name: "record-bare",
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => (found.add(args.path), { path: args.path, external: true }));
        },
      },
    ],
  });
  // The bundle's banner binds `require` to createRequire(), so esbuild sees those calls as plain calls.
  // A `require(...)` that opens a string or template literal is generated code's text (ajv's standalone
  // output, in the MCP SDK), not a call of ours.
  for (const f of chunks) {
    for (const m of readFileSync(path.join(DIST, f), "utf8").matchAll(/(?<![`'"])\brequire\(\s*["']([^"']+)["']\s*\)/g)) found.add(m[1]!);
  }
  return found;
}

/** True when the package (or one of its platform packages) ships a compiled `.node` addon. */
function shipsNativeAddon(name: string): boolean {
  const scopeDir = path.join(REPO_ROOT, "node_modules", path.dirname(name));
  const base = path.basename(name);
  const dirs = readdirSync(scopeDir).filter((d) => d === base || d.startsWith(`${base}-`));
  const hasNode = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? e.name !== "node_modules" && hasNode(path.join(dir, e.name)) : e.name.endsWith(".node"),
    );
  return dirs.some((d) => hasNode(path.join(scopeDir, d)));
}

describe("install size: libraries are bundled, natives stay runtime dependencies", () => {
  test("every runtime dependency is a native module", () => {
    expect(runtimeDeps).toContain("@lydell/node-pty");
    for (const dep of runtimeDeps) expect({ dep, native: shipsNativeAddon(dep) }).toEqual({ dep, native: true });
  });

  test("dist/ imports nothing but node built-ins and the native runtime dependencies", async () => {
    const specs = await distSpecifiers();
    expect([...specs].some((s) => s.startsWith("node:"))).toBe(true);
    const foreign = [...specs].filter((s) => !isBuiltin(s) && !runtimeDeps.includes(packageOf(s)));
    expect(foreign).toEqual([]);
  });

  test("the packed package is bin/, dist/ and the manifest, well under the size bound", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, npm_config_offline: "true" },
    });
    const [info] = JSON.parse(out) as { unpackedSize: number; files: { path: string }[] }[];
    const paths = info!.files.map((f) => f.path);
    expect(paths).toContain("bin/codex.js");
    expect(paths).toContain("dist/cli.js");
    expect(paths).toContain("dist/cli.cjs");
    expect(paths.filter((p) => p.includes(".v8-cache"))).toEqual([]);
    const outside = paths.filter((p) => !/^(bin|dist)\//.test(p) && !/^(package\.json|README\.md|LICENSE)$/.test(p));
    expect(outside).toEqual([]);
    // The whole install (this plus the native pty, ~0.2 MB) must stay <= 15 MB.
    expect(info!.unpackedSize).toBeLessThan(10 * 1024 * 1024);
  });
});

describe("the built binary runs from a copy of bin/ + dist/ with no node_modules", () => {
  let root: string;
  let server: FakeServer;
  let env: Record<string, string>;
  let work: string;
  const bin = (name: string) => path.join(root, "pkg", "bin", name);

  beforeAll(async () => {
    root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "codex-install-")));
    for (const dir of ["bin", "dist"]) cpSync(path.join(REPO_ROOT, dir), path.join(root, "pkg", dir), { recursive: true });
    cpSync(path.join(REPO_ROOT, "package.json"), path.join(root, "pkg", "package.json"));
    // Nothing on the way up from the copy may hold a node_modules the bundle could fall back on.
    for (let d = path.join(root, "pkg"); d !== path.dirname(d); d = path.dirname(d)) {
      expect(existsSync(path.join(d, "node_modules"))).toBe(false);
    }
    server = await startFakeResponsesServer();
    const home = path.join(root, "home");
    work = path.join(root, "work");
    mkdirSync(work);
    mkdirSync(path.join(home, ".codex"), { recursive: true });
    execFileSync("git", ["init", "-q", work]);
    writeFileSync(path.join(home, ".codex", "config.toml"), fakeProviderConfig(server.url));
    env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      CODEX_HOME: path.join(home, ".codex"),
      CODEX_API_KEY: "sk-test-key-0123456789",
      LANG: "C.UTF-8",
      NODE_PATH: "",
    };
  });
  afterAll(async () => {
    await server?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const run = (file: string, args: string[], stdin = "") =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin(file), ...args], { cwd: work, env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });

  test("--version", async () => {
    const r = await run("codex.js", ["--version"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+\.\d+\.\d+/);
  });

  test("exec --json against the fake server, with a patch tool call", async () => {
    const patch = "*** Begin Patch\n*** Add File: from-copy.txt\n+bundled\n*** End Patch";
    server.enqueue(
      sse(created("r1"), customToolCall("p1", "apply_patch", patch), completed("r1")),
      sse(created("r2"), textMessage("all good"), completed("r2")),
    );
    const r = await run("codex.js", ["exec", "--json", "-s", "workspace-write", "go"]);
    expect(r.stderr).not.toMatch(/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/);
    expect(r.code).toBe(0);
    const events = parseJsonl(r.stdout);
    expect(events.at(-1).type).toBe("turn.completed");
    expect(events.some((e) => e.item?.type === "agent_message" && e.item.text === "all good")).toBe(true);
    expect(readFileSync(path.join(work, "from-copy.txt"), "utf8")).toBe("bundled\n");
  });

  test("exec leaves a V8 code cache beside dist/ that the next run accepts; a corrupt one is replaced", async () => {
    const cacheDir = path.join(root, "pkg", "dist", ".v8-cache");
    rmSync(cacheDir, { recursive: true, force: true });
    const turn = async () => {
      server.enqueue(sse(created("r"), textMessage("cached"), completed("r")));
      const r = await run("codex.js", ["exec", "--json", "--ephemeral", "go"]);
      expect(r.code).toBe(0);
      expect(parseJsonl(r.stdout).at(-1).type).toBe("turn.completed");
    };
    await turn();
    const [name] = readdirSync(cacheDir);
    expect(name).toMatch(/^exec-\d+-\d+-v\d+\.\d+\.\d+-\w+\.bin$/);
    const file = path.join(cacheDir, name!);
    const first = statSync(file);
    expect(first.size).toBeGreaterThan(10_000);
    await turn();
    // Accepted: a missing or rejected cache is rewritten at exit, an accepted one is left alone.
    expect(statSync(file).mtimeMs).toBe(first.mtimeMs);
    writeFileSync(file, "not a code cache");
    await turn();
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(readdirSync(cacheDir)).toEqual([name]);
  });

  test("apply_patch", async () => {
    const r = await run("apply_patch.js", [], "*** Begin Patch\n*** Add File: standalone.txt\n+ok\n*** End Patch\n");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("A standalone.txt");
    expect(readFileSync(path.join(work, "standalone.txt"), "utf8")).toBe("ok\n");
  });
});
