import { afterEach, describe, expect, it } from "vitest";
import { createCellHost, type CellHost, type CellStart } from "./cell-host.js";

let host: CellHost | undefined;
afterEach(async () => {
  await host?.dispose();
  host = undefined;
});

const tools = [
  { name: "echo", description: "returns its argument" },
  { name: "fail", description: "always fails" },
];

function cell(source: string, o: Partial<CellStart> & { notes?: string[] } = {}): CellStart {
  return {
    source,
    yieldMs: 10_000,
    tools,
    callTool: async (name, input) => {
      if (name === "fail") throw new Error("tool fail exploded");
      return { echoed: input };
    },
    onNotify: (t) => o.notes?.push(t),
    ...o,
  };
}

const texts = (r: { items: { type: string; text?: string }[] }) => r.items.map((i) => i.text);

describe("code-mode cells", () => {
  it("a nested tool's result comes back to the script", async () => {
    host = createCellHost();
    const r = await host.start(cell(`const r = await tools.echo({ a: 1 }); text(r);`));
    expect(r).toMatchObject({ cellId: "1", status: "completed" });
    expect(texts(r)).toEqual([`{"echoed":{"a":1}}`]);
  });

  it("a failing tool is an exception the script can catch", async () => {
    host = createCellHost();
    const r = await host.start(cell(`try { await tools.fail({}); text("no"); } catch (e) { text("caught: " + e.message); }`));
    expect(r.status).toBe("completed");
    expect(texts(r)).toEqual(["caught: tool fail exploded"]);
  });

  it("an uncaught error fails the cell with message and stack in exec_main.mjs", async () => {
    host = createCellHost();
    const r = await host.start(cell(`text("before");\nthrow new Error("boom");`));
    expect(r.status).toBe("failed");
    expect(texts(r)).toEqual(["before"]);
    expect(r.error).toMatch(/^Error: boom\n\s+at exec_main\.mjs:2:7$/);
    const syntax = await host.start(cell(`let x = 1;\nlet x = ;`));
    expect(syntax).toMatchObject({ status: "failed", error: "SyntaxError: Identifier 'x' has already been declared" });
  });

  it("yields past its yield time, then wait returns the rest and the result", async () => {
    host = createCellHost();
    await host.start(cell(`text("warm")`));
    let release = (): void => {};
    const gate = new Promise<unknown>((r) => (release = () => r("open")));
    const r1 = await host.start(
      cell(`text("a"); text(await tools.gate({})); text("b");`, {
        yieldMs: 200,
        tools: [...tools, { name: "gate", description: "opens when the test says" }],
        callTool: async (name) => (name === "gate" ? gate : null),
      }),
    );
    expect(r1).toMatchObject({ status: "running", cellId: "2" });
    expect(texts(r1)).toEqual(["a"]);
    release();
    const r2 = await host.wait("2", { yieldMs: 10_000, terminate: false });
    expect(r2.status).toBe("completed");
    expect(texts(r2)).toEqual(["open", "b"]);
    await expect(host.wait("2", { yieldMs: 10, terminate: false })).rejects.toThrow(/exec cell 2 not found/);
  });

  it("yield_control() returns the output so far at once", async () => {
    host = createCellHost();
    const r = await host.start(cell(`text("x"); yield_control(); await new Promise(() => {});`));
    expect(r.status).toBe("running");
    expect(texts(r)).toEqual(["x"]);
  });

  it("terminate stops a running cell and answers once it stopped", async () => {
    host = createCellHost();
    const r1 = await host.start(cell(`text("started"); await new Promise(() => {});`, { yieldMs: 30 }));
    expect(r1.status).toBe("running");
    const r2 = await host.wait(r1.cellId, { yieldMs: 10_000, terminate: true });
    expect(r2.status).toBe("terminated");
    const r3 = await host.start(cell(`text("next cell")`));
    expect(r3).toMatchObject({ status: "completed", cellId: "2" });
  });

  it("unknown cell id is a clear error", async () => {
    host = createCellHost();
    await expect(host.wait("42", { yieldMs: 10, terminate: false })).rejects.toThrow("exec cell 42 not found");
  });

  it("an infinite loop is killed at its CPU limit; the next cell runs", async () => {
    host = createCellHost({ limits: { cpuLimitMs: 300 } });
    const r = await host.start(cell(`text("spin"); for (;;) {}`));
    expect(r.status).toBe("failed");
    expect(r.error).toMatch(/CPU time limit/);
    const next = await host.start(cell(`text("alive")`));
    expect(next.status).toBe("completed");
    expect(texts(next)).toEqual(["alive"]);
  });

  it("a cell killed for its CPU time leaves a cell running in the background alone", async () => {
    host = createCellHost({ limits: { cpuLimitMs: 300 } });
    let release = (): void => {};
    const gate = new Promise<unknown>((r) => (release = () => r("released")));
    const bg = await host.start(
      cell(`text(await tools.gate({}));`, {
        yieldMs: 0,
        tools: [{ name: "gate", description: "" }],
        callTool: async () => gate,
      }),
    );
    expect(bg.status).toBe("running");
    const spin = await host.start(cell(`for (;;) {}`));
    expect(spin.status).toBe("failed");
    release();
    const rest = await host.wait(bg.cellId, { yieldMs: 10_000, terminate: false });
    expect(rest.status).toBe("completed");
    expect(texts(rest)).toEqual(["released"]);
  });

  it("a memory bomb is killed at the memory limit; the next cell runs", async () => {
    host = createCellHost({ limits: { memoryLimitMb: 48 } });
    const r = await host.start(cell(`const a = []; for (;;) a.push(new Array(1e5).fill(1.5));`));
    expect(r.status).toBe("failed");
    expect(r.error).toMatch(/memory limit/);
    const next = await host.start(cell(`text("alive")`));
    expect(texts(next)).toEqual(["alive"]);
  });

  it("store/load survive across cells", async () => {
    host = createCellHost();
    await host.start(cell(`store("k", { n: 41 }); text(load("missing") === undefined);`));
    const r = await host.start(cell(`text(load("k").n + 1)`));
    expect(texts(r)).toEqual(["42"]);
  });

  it("notify delivers text immediately", async () => {
    host = createCellHost();
    const notes: string[] = [];
    const r = await host.start(cell(`notify("working"); notify({ step: 2 }); text("done")`, { notes }));
    expect(notes).toEqual(["working", `{"step":2}`]);
    expect(texts(r)).toEqual(["done"]);
  });

  it("exit() at top level stops the script at once, keeping earlier output", async () => {
    host = createCellHost();
    const r = await host.start(cell(`text("kept"); exit(); text("never");`));
    expect(r.status).toBe("completed");
    expect(texts(r)).toEqual(["kept"]);
  });

  it("imports other than the helper modules are refused; the helpers resolve", async () => {
    host = createCellHost();
    const r = await host.start(cell(`import fs from "node:fs";\ntext("x");`));
    expect(r.status).toBe("failed");
    expect(r.error).toContain("Unsupported import in exec: node:fs");
    expect(r.items).toEqual([]);
    const dyn = await host.start(cell(`try { await import("child_process"); } catch (e) { text(e.message); }\ntry { require("fs"); } catch (e) { text(e.message); }`));
    expect(texts(dyn)).toEqual(["Unsupported import in exec: child_process", "Unsupported import in exec: fs"]);
    const ok = await host.start(cell(`import { text as t } from "@openai/code_mode";\nimport { tools as tt } from "tools.js";\nt((await tt.echo({ z: 1 })).echoed.z);`));
    expect(texts(ok)).toEqual(["1"]);
  });

  it("the script cannot reach the worker's realm (no process, no require)", async () => {
    host = createCellHost();
    const r = await host.start(
      cell(
        `const probes = [() => this.constructor.constructor("return process")(), () => globalThis.constructor.constructor("return typeof process")(), () => text.constructor("return typeof process")(), () => tools.echo.constructor("return typeof process")()];\nfor (const p of probes) { try { text(String(p())); } catch (e) { text("err"); } }\ntry { await import("x"); } catch (e) { try { text(e.constructor.constructor("return typeof process")()); } catch { text("err"); } }\ntry { await tools.echo(1n); } catch (e) { text(e.constructor.constructor("return typeof process")()); }\ntext(typeof console);`,
      ),
    );
    expect(texts(r)).not.toContain("object");
    expect(texts(r).at(-1)).toBe("undefined");
  });
});
