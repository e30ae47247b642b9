// The dependency rules of ../shared/architecture.md §4, checked on the import statements of src/.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { REPO_ROOT } from "./support/codex-env.js";

const SRC = path.join(REPO_ROOT, "src");

interface SourceFile {
  rel: string;
  imports: string[];
}

function sourceFiles(): SourceFile[] {
  return readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.tsx?$/.test(d.name) && !/\.test\.tsx?$/.test(d.name))
    .map((d) => {
      const abs = path.join(d.parentPath, d.name);
      const text = readFileSync(abs, "utf8");
      const imports = [...text.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map(
        (m) => {
          const spec = (m[1] ?? m[2])!;
          // Relative imports become paths under src/ so the rules can name folders.
          return spec.startsWith(".") ? path.relative(SRC, path.resolve(path.dirname(abs), spec)) : spec;
        },
      );
      return { rel: path.relative(SRC, abs), imports };
    });
}

const FRONT_ENDS = ["cli/", "tui/", "headless/", "app-server/", "mcp-server/"];
const violations = (files: SourceFile[], applies: (f: SourceFile) => boolean, bad: (imp: string, f: SourceFile) => boolean) =>
  files.filter(applies).flatMap((f) => f.imports.filter((i) => bad(i, f)).map((i) => `${f.rel} imports ${i}`));

describe("dependency rules", () => {
  const files = sourceFiles();

  test("the scan sees the tree", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.rel === "core/runtime.ts" && f.imports.length > 5)).toBe(true);
  });

  test("protocol/ imports only zod and itself", () => {
    expect(
      violations(files, (f) => f.rel.startsWith("protocol/"), (i) => i !== "zod" && !i.startsWith("protocol/")),
    ).toEqual([]);
  });

  test("util/ imports nothing from the domain", () => {
    expect(
      violations(files, (f) => f.rel.startsWith("util/"), (i) => /^(core|protocol|cli|tui|headless|app-server)\//.test(i)),
    ).toEqual([]);
  });

  test("core/ never imports a front end, React or ink", () => {
    expect(
      violations(
        files,
        (f) => f.rel.startsWith("core/"),
        (i) => FRONT_ENDS.some((fe) => i.startsWith(fe)) || i === "react" || i === "ink" || i.startsWith("ink-"),
      ),
    ).toEqual([]);
  });

  test("front ends reach core only through core/index", () => {
    // Two named exceptions: the standalone apply_patch binary loads only the patch engine's own public
    // surface, so it does not compile the whole agent at start-up; and the interactive TUI decides its first
    // frame (the trust question) with core/startup, a light entry, before it loads core/index.
    const allowed = (f: SourceFile, i: string) =>
      (f.rel === "cli/apply-patch-main.ts" && i.replace(/\.js$/, "") === "core/apply-patch/index") ||
      (/^(cli|tui)\//.test(f.rel) && i.replace(/\.js$/, "") === "core/startup");
    expect(
      violations(
        files,
        (f) => FRONT_ENDS.some((fe) => f.rel.startsWith(fe)),
        (i, f) => i.startsWith("core/") && i.replace(/\.js$/, "") !== "core/index" && !allowed(f, i),
      ),
    ).toEqual([]);
  });

  test("core/startup (the TUI's first frame) reaches no schema, protocol, model client or heavy built-in", () => {
    // What loads at run time: `import type` is erased.
    const valueImports = (rel: string) =>
      [...readFileSync(path.join(SRC, rel), "utf8").matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+["']([^"']+)["']/gm)].map((m) =>
        m[1]!.startsWith(".") ? path.relative(SRC, path.resolve(path.dirname(path.join(SRC, rel)), m[1]!)) : m[1]!,
      );
    const byModule = new Map(files.map((f) => [f.rel.replace(/\.tsx?$/, ""), f]));
    const reached = new Set<string>();
    const outside = new Set<string>();
    const visit = (mod: string) => {
      if (reached.has(mod)) return;
      reached.add(mod);
      const file = byModule.get(mod);
      for (const i of file ? valueImports(file.rel) : []) {
        const target = i.replace(/\.js$/, "");
        if (byModule.has(target)) visit(target);
        else outside.add(i);
      }
    };
    visit("core/startup");
    expect(reached.size).toBeGreaterThan(5);
    expect([...reached].filter((m) => !/^(core\/config|util)\//.test(m) && m !== "core/startup")).toEqual([]);
    expect([...outside].filter((i) => !/^(node:(fs|fs\/promises|path|os|module)|smol-toml)$/.test(i))).toEqual([]);
  });

  test("tool handlers never import thread/ or turn/; exec/ and sandbox/ never import tools/", () => {
    expect(
      violations(files, (f) => f.rel.startsWith("core/tools/handlers/"), (i) => /^core\/(thread|turn)\//.test(i)),
    ).toEqual([]);
    expect(
      violations(files, (f) => /^core\/(exec|sandbox)\//.test(f.rel), (i) => i.startsWith("core/tools/")),
    ).toEqual([]);
  });
});
