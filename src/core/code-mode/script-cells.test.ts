import { afterEach, describe, expect, it, vi } from "vitest";
import { createCellHost, type CellHost, type CellStart } from "./cell-host.js";
import { createWorkerPool, type CodeWorker, type WorkerPool } from "./worker-pool.js";

// Cells without import/export run as a strict async arrow made by a direct eval in a fresh, prepared
// context (worker-source.ts); these pin what that must keep of a module body, and that nothing of one
// cell reaches the next.

let host: CellHost | undefined;
let pool: WorkerPool | undefined;
afterEach(async () => {
  await host?.dispose();
  await pool?.dispose();
  host = pool = undefined;
});

function cell(source: string): CellStart {
  return { source, yieldMs: 10_000, tools: [{ name: "echo", description: "echo" }], callTool: async (_n, input) => ({ echoed: input }), onNotify: () => {} };
}
const texts = (r: { items: { type: string; text?: string }[] }) => r.items.map((i) => i.text);

describe("code-mode script cells", () => {
  it("code of an ended cell that still runs later (Atomics.waitAsync) reaches no later cell's realm", async () => {
    host = createCellHost();
    // Cell 1 leaves code behind that wakes up after it ended and tries import() from there.
    const first = await host.start(
      cell(
        `Atomics.waitAsync(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30).value.then(async () => { try { const m = await eval("imp" + "ort('tools.js')"); m.text("leaked into a later cell"); m.tools.echo({ from: "cell 1" }); } catch (e) {} });\ntext("armed")`,
      ),
    );
    expect(texts(first)).toEqual(["armed"]);
    const calls: unknown[] = [];
    const r = await host.start({
      ...cell(`await new Promise((res) => setTimeout(res, 300)); text("own")`),
      callTool: async (_n, input) => void calls.push(input),
    });
    expect(texts(r)).toEqual(["own"]);
    expect(calls).toEqual([]);
  });

  it("an ended module cell's code that wakes up later (its own import() included) calls no tool of a later cell", async () => {
    host = createCellHost();
    const first = await host.start(
      cell(
        `import { text as t } from "tools.js";\nAtomics.waitAsync(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30).value.then(async () => { try { const m = await import("tools.js"); m.tools.echo({ from: "cell 1" }); } catch (e) {} });\nt("armed")`,
      ),
    );
    expect(texts(first)).toEqual(["armed"]);
    const calls: unknown[] = [];
    const r = await host.start({
      ...cell(`await new Promise((res) => setTimeout(res, 300)); text("own")`),
      callTool: async (_n, input) => void calls.push(input),
    });
    expect(texts(r)).toEqual(["own"]);
    expect(calls).toEqual([]);
  });

  it("a prepared context is never reused: globals, top-level declarations and changed built-ins stay in their cell", async () => {
    host = createCellHost();
    const first = await host.start(
      cell(`globalThis.leak = 1; var v = 2; function f() {} Array.prototype.extra = 3; text(typeof leak + typeof v + typeof f);`),
    );
    expect(texts(first)).toEqual(["numbernumberfunction"]);
    // Once the worker prepared its next context (ready), and without waiting for it: a fresh one both times.
    await host.ready();
    const probe = `text([typeof leak, typeof v, typeof f, typeof [].extra, typeof globalThis.v].join(","))`;
    const second = await host.start(cell(probe));
    const third = await host.start(cell(probe));
    expect(texts(second)).toEqual(["undefined,undefined,undefined,undefined,undefined"]);
    expect(texts(third)).toEqual(texts(second));
    // A module cell after a script cell and back: still fresh.
    const mod = await host.start(cell(`import { text as t } from "tools.js";\nglobalThis.fromModule = 1; t(typeof leak);`));
    expect(texts(mod)).toEqual(["undefined"]);
    expect(texts(await host.start(cell(`text(typeof fromModule)`)))).toEqual(["undefined"]);
  });

  it("a worker's first cell runs in a context of its own, not the one its warm-up cells ran in", async () => {
    host = createCellHost();
    await host.ready();
    // The warm-up set a timer in its context; a fresh bootstrap numbers its timers from 1.
    const probe = `text(String(setTimeout(() => {}, 0)) + "," + typeof leak); globalThis.leak = 1;`;
    // No tools: the worker's first prepared context (made before any tool list came) serves as it is.
    const noTools = { ...cell(probe), tools: [] };
    expect(texts(await host.start(noTools))).toEqual(["1,undefined"]);
    expect(texts(await host.start(noTools))).toEqual(["1,undefined"]);
  });

  it("keeps a module body's meaning: strict, top-level await, this undefined, return value ignored", async () => {
    host = createCellHost();
    const r = await host.start(
      cell(
        `text(this === undefined);\ntry { undeclared = 1; text("sloppy"); } catch (e) { text(e.name); }\nconst v = await new Promise((res) => setTimeout(() => res("awaited"), 5));\ntext(v);\nfor await (const x of [Promise.resolve("fa")]) text(x);`,
      ),
    );
    expect(r.status).toBe("completed");
    expect(texts(r)).toEqual(["true", "ReferenceError", "awaited", "fa"]);
  });

  it("store/load carry across script and module cells, also into a context prepared before the store changed", async () => {
    host = createCellHost();
    await host.start(cell(`store("n", 1)`));
    await host.ready();
    expect(texts(await host.start(cell(`text(load("n")); store("n", load("n") + 1)`)))).toEqual(["1"]);
    await host.ready();
    expect(texts(await host.start(cell(`import { load as l, text as t } from "tools.js";\nt(l("n")); store("n", 10)`)))).toEqual(["2"]);
    expect(texts(await host.start(cell(`text(load("n"))`)))).toEqual(["10"]);
  });

  it("stack traces and syntax errors read as a module's: exec_main.mjs, the model's lines and columns", async () => {
    host = createCellHost();
    const one = await host.start(cell(`throw new Error("first line")`));
    expect(one.error).toMatch(/^Error: first line\n\s+at exec_main\.mjs:1:7$/);
    const named = await host.start(cell(`function boom() {\n  throw new TypeError("deep");\n}\nboom();`));
    expect(named.error).toMatch(/^TypeError: deep\n\s+at boom \(exec_main\.mjs:2:9\)\n\s+at exec_main\.mjs:4:1$/);
    const syntax = await host.start(cell(`let x = 1;\nlet x = ;`));
    expect(syntax).toMatchObject({ status: "failed", error: "SyntaxError: Identifier 'x' has already been declared" });
    const broken = await host.start(cell(`text("a"`));
    expect(broken.status).toBe("failed");
    expect(broken.error).toMatch(/^SyntaxError: /);
  });

  it("import() hidden from the import check (eval, Function, indirect eval) is refused with a string of no realm, helpers too", async () => {
    host = createCellHost();
    const source = [
      `const ways = [() => eval("imp" + "ort('node:fs')"), () => new Function("return imp" + "ort('node:fs')")(), () => (0, eval)("imp" + "ort('node:child_process')")];`,
      `for (const way of ways) {`,
      `  try { const m = await way(); text("resolved " + typeof m); }`,
      `  catch (e) { let escaped; try { escaped = e.constructor.constructor("return typeof process")(); } catch { escaped = "err"; } text([typeof e, String(e), escaped].join("|")); }`,
      `}`,
      `for (const probe of [() => this.constructor.constructor("return typeof process")(), () => (async () => this)().constructor.constructor("return typeof process")()]) { try { text(String(probe())); } catch (e) { text(e instanceof TypeError ? "TypeError" : "other"); } }`,
      `try { await eval("imp" + "ort('tools.js')"); text("helper resolved"); } catch (e) { text(String(e)); }`,
      `text(typeof text);`,
    ].join("\n");
    // Twice: a source's first run is compiled by the eval runner, a repeated one runs from its vm.Script.
    for (const run of [1, 2]) {
      const r = await host.start(cell(source));
      expect(r.status, `run ${run}`).toBe("completed");
      expect(texts(r), `run ${run}`).toEqual([
        "string|Unsupported import in exec: node:fs|undefined",
        "string|Unsupported import in exec: node:fs|undefined",
        "string|Unsupported import in exec: node:child_process|undefined",
        "TypeError",
        "undefined",
        "Unsupported import in exec: tools.js",
        "function",
      ]);
    }
  });
});

function runOn(w: CodeWorker, cellId: string, source: string): Promise<void> {
  return new Promise((resolve, reject) => {
    w.onDeath = (d) => reject(new Error(d.message));
    w.onMessage = (m) => {
      if (m.type === "done" && m.cellId === cellId) (m.status === "completed" ? resolve() : reject(new Error(m.error)));
    };
    w.run({ cellId, source, tools: "[]", store: "{}" });
  });
}

describe("code-mode worker retirement", () => {
  it("script cells do not count towards the module-cell quota; module cells (whose contexts Node keeps) do", async () => {
    pool = createWorkerPool({ cpuLimitMs: 10_000, memoryLimitMb: 128 }, { moduleCellsPerWorker: 2 });
    await pool.ready();
    const w = pool.take();
    expect(w.retained).toBe(0);
    for (let i = 1; i <= 4; i++) {
      await runOn(w, String(i), `text("script ${i}")`);
      pool.give(w);
      await pool.ready();
      expect(pool.take()).toBe(w);
    }
    expect(w.retained).toBe(0);
    await runOn(w, "5", `import { text as t } from "tools.js"; t("m1")`);
    pool.give(w);
    await pool.ready();
    expect(pool.take()).toBe(w);
    await runOn(w, "6", `export const x = 1;`);
    expect(w.retained).toBe(2);
    pool.give(w);
    await pool.ready();
    const next = pool.take();
    expect(next).not.toBe(w);
    await vi.waitFor(() => expect(w.alive).toBe(false), { timeout: 20_000, interval: 20 });
    await runOn(next, "7", `text("on the successor")`);
  });
});
