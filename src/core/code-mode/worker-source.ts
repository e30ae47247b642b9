// The program of a code-mode worker thread (run with `new Worker(WORKER_SOURCE, { eval: true })`).
//
// Each cell runs as an async module body (`exec_main.mjs`) in a fresh `node:vm` context. The context never
// receives an object of the worker's own realm: its globals are defined by a bootstrap script that
// runs inside the context, and the only bridge is one `send(kind, text)` function taking and returning
// strings, captured by the bootstrap and not reachable from cell code. Replies (tool results, timers)
// come back through context functions the worker calls with strings. Errors a cell can see are made
// in the context's realm. A fresh context is prepared while the worker is idle, so a cell starts in
// one that is already built.
//
// A cell with module syntax (the words import/export anywhere) is a vm.SourceTextModule. Any other cell
// is a script cell: its source wrapped as a strict async function (\`exec_main.mjs\`) and run in the cell's
// context. That keeps what a module body means (strict, top-level await, declarations local to the cell,
// \`this\` undefined) and costs a fraction: no module record per cell. A source seen for the first time
// is compiled by a direct eval in the context (the runner, compiled once per worker: the cheapest
// compile); a source seen again runs from a vm.Script compiled once (no compile at all). Not eval again:
// V8's eval cache keeps, with each repeated source's entry, every context it ran in until the entry
// ages (231 of 400 contexts alive after 400 cells of one source, measured), and a vm.Script holds no
// context. Node 20 never frees the context of a SourceTextModule, while a script cell's context goes
// with the next collection. A worker is retired after a number of module cells (their contexts pile
// up) or, as a bound, of cells overall.

const BOOTSTRAP = String.raw`(function (bridge) {
  "use strict";
  // An exception out of the bridge (a stack overflow at the boundary) would carry the worker's realm;
  // it is replaced by one of this realm before cell code can see it.
  const send = (kind, payload) => {
    try {
      return String(bridge(kind, payload));
    } catch (e) {
      throw new Error("code mode runtime call failed");
    }
  };
  const g = globalThis;
  const pending = new Map();
  const timers = new Map();
  let seq = 0;
  let timerSeq = 0;
  let kv = Object.create(null);
  const EXIT = Object.freeze({ exit: true });
  const str = (v) => {
    if (typeof v === "string") return v;
    try {
      const s = JSON.stringify(v);
      return s === undefined ? String(v) : s;
    } catch (e) {
      return String(v);
    }
  };
  const call = (name, input) =>
    new Promise((resolve, reject) => {
      let payload;
      try {
        payload = JSON.stringify({ id: seq + 1, name, input });
      } catch (e) {
        reject(new TypeError("tool \`" + name + "\` arguments are not JSON-serialisable"));
        return;
      }
      seq += 1;
      pending.set(seq, { resolve, reject });
      send("call", payload);
    });
  const tools = Object.create(null);
  const api = Object.create(null);
  api.text = (v) => { send("text", str(v)); };
  api.image = (x) => {
    let url;
    let detail;
    if (typeof x === "string") url = x;
    else if (x && typeof x === "object") {
      if (typeof x.image_url === "string") {
        url = x.image_url;
        detail = typeof x.detail === "string" ? x.detail : x.details;
      } else if (x.type === "image" && typeof x.data === "string") {
        url = "data:" + (x.mimeType || "image/png") + ";base64," + x.data;
      }
    }
    if (typeof url !== "string") throw new TypeError("image() expects a data: URL, {image_url, details?} or an MCP ImageContent block");
    send("image", JSON.stringify(typeof detail === "string" ? { image_url: url, detail } : { image_url: url }));
  };
  api.store = (key, value) => {
    if (typeof key !== "string") throw new TypeError("store() needs a string key");
    let s;
    try { s = JSON.stringify(value); } catch (e) { s = undefined; }
    if (s === undefined) throw new TypeError("store() value for \`" + key + "\` is not JSON-serialisable");
    kv[key] = s;
    send("store", JSON.stringify({ key, value: s }));
  };
  api.load = (key) => {
    const s = kv[key];
    return s === undefined ? undefined : JSON.parse(s);
  };
  api.notify = (v) => { send("notify", str(v)); };
  api.yield_control = () => { send("yield", ""); };
  api.exit = () => { send("exit", ""); throw EXIT; };
  api.setTimeout = (cb, ms) => {
    timerSeq += 1;
    timers.set(timerSeq, cb);
    send("timer", JSON.stringify({ id: timerSeq, ms: Number(ms) > 0 ? Number(ms) : 0 }));
    return timerSeq;
  };
  api.clearTimeout = (id) => { if (timers.delete(id)) send("untimer", String(id)); };
  api.tools = tools;
  const refuse = (spec) => { throw new Error("Unsupported import in exec: " + String(spec)); };
  for (const k of Object.keys(api)) Object.defineProperty(g, k, { value: api[k], writable: false, configurable: false });
  Object.defineProperty(g, "require", { value: refuse, writable: false, configurable: false });
  g.console = undefined;
  return {
    initTools(toolsJson) {
      const list = JSON.parse(toolsJson);
      for (const t of list) tools[t.name] = (input) => call(t.name, input);
      Object.freeze(tools);
      Object.defineProperty(g, "ALL_TOOLS", { value: Object.freeze(list.map((t) => Object.freeze({ name: t.name, description: t.description }))) });
    },
    initStore(storeJson) {
      kv = Object.assign(Object.create(null), JSON.parse(storeJson));
    },
    receive(kind, payload) {
      if (kind === "result") {
        const r = JSON.parse(payload);
        const p = pending.get(r.id);
        if (!p) return;
        pending.delete(r.id);
        if (r.ok) p.resolve(r.value);
        else p.reject(new Error(r.error));
      } else if (kind === "timer") {
        const id = Number(payload);
        const cb = timers.get(id);
        timers.delete(id);
        if (typeof cb === "function") cb();
      }
    },
    isExit: (e) => e === EXIT,
    makeError: (message) => new Error(message),
    describe(e) {
      try {
        if (e && typeof e === "object" && typeof e.stack === "string") return e.stack;
        return "Uncaught " + str(e);
      } catch (err) {
        return "Uncaught exception";
      }
    },
    exports: () => api,
  };
})`;

/** Source with module syntax runs as a SourceTextModule; any other as a script cell (below, and cell-host's choice of worker). */
export const MODULE_SYNTAX = /\bimport\b|\bexport\b/;

export const WORKER_SOURCE = `"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const vm = require("node:vm");
const bootstrap = new vm.Script(${JSON.stringify(BOOTSTRAP)}, { filename: "code_mode_runtime.js" });
const HELPERS = new Set(["tools.js", "@openai/code_mode"]);
const MODULE_SYNTAX = ${String(MODULE_SYNTAX)};
// A script cell's source is wrapped on its first line (stack traces keep the model's line numbers; the
// columns of line 1 are put right in describe()) and named exec_main.mjs. A strict function called
// without a receiver: \`this\` is undefined, as in a module.
const SCRIPT_HEAD = '(async function () {"use strict";';
const SCRIPT_TAIL = "\\n})";
// Script cells by source, the most recent SCRIPTS_KEPT (Map order is insertion order): null once a
// source ran (by eval), then its vm.Script.
const SCRIPTS_KEPT = 16;
const scripts = new Map();
// The cell's main function, in the slot's context.
function scriptMain(slot, source) {
  const known = scripts.get(source);
  let script = null;
  if (known === undefined) {
    if (scripts.size >= SCRIPTS_KEPT) scripts.delete(scripts.keys().next().value);
  } else {
    scripts.delete(source);
    script = known || new vm.Script(SCRIPT_HEAD + source + SCRIPT_TAIL, { filename: "exec_main.mjs", importModuleDynamically: importDynamically });
  }
  scripts.set(source, script);
  return script ? script.runInContext(slot.context) : slot.run(SCRIPT_HEAD + source + SCRIPT_TAIL + "\\n//# sourceURL=exec_main.mjs");
}
let prepared = null;
let current = null;
let warmed = false;
// The nested tools' list of the next cells (JSON); contexts are prepared with it while the worker is idle.
let toolsJson = (workerData && workerData.tools) || "[]";
// The store (JSON) as the host last sent it.
let storeJson = "{}";
// Contexts of finished script cells are garbage, and V8 lets them pile up to tens of MiB before it
// collects them. After GC_AFTER_CELLS of them, a full collection (~5-10 ms) runs once the worker has
// been idle IDLE_GC_MS: less than a model round trip, more than cells run one after another wait for
// each other, so it is not in a cell's way. It is an eager vm.measureMemory, which collects first (no
// V8 flag to turn on; flags are the whole process's).
const GC_AFTER_CELLS = 8;
const IDLE_GC_MS = 100;
let dead = 0;
let gcTimer = null;
const collect = () => vm.measureMemory({ mode: "summary", execution: "eager" }).catch(() => {});
// The number of the last message that used up or changed the prepared context; "ready" echoes it.
let seq = 0;
const post = (m) => parentPort.postMessage(m);

// Its dynamic-import callback is the one below, so eval'd cell code gets the refusal in its realm.
let runner = null;

function prepare() {
  const context = vm.createContext(Object.create(null), { name: "exec", codeGeneration: { strings: true, wasm: false } });
  const slot = { context, cellId: null, timers: new Map(), api: null, run: null, helpers: new Map(), toolsJson: null, storeJson: "{}", items: [], flushing: false };
  const send = (kind, payload) => {
    try {
      if (slot.cellId === null) return "";
      const cellId = slot.cellId;
      if (kind === "timer") {
        const t = JSON.parse(payload);
        const h = setTimeout(() => {
          slot.timers.delete(t.id);
          if (slot.cellId === cellId) slot.api.receive("timer", String(t.id));
        }, t.ms);
        h.unref();
        slot.timers.set(t.id, h);
      } else if (kind === "untimer") {
        const h = slot.timers.get(Number(payload));
        if (h) clearTimeout(h);
        slot.timers.delete(Number(payload));
      } else if (kind === "text" || kind === "image") {
        // Output items travel in batches: with the next other message, at the end of this turn of the
        // event loop, or with "done" (a short cell costs one message back, not one per item).
        slot.items.push({ kind, payload: String(payload) });
        if (!slot.flushing) {
          slot.flushing = true;
          setImmediate(() => flush(slot, cellId));
        }
      } else {
        flush(slot, cellId);
        post({ type: kind, cellId, payload: String(payload) });
      }
    } catch (e) {}
    return "";
  };
  slot.api = bootstrap.runInContext(context)(send);
  runner ??= new vm.Script('(function (source) { "use strict"; return eval(source); })', { filename: "code_mode_runner.js", importModuleDynamically: importDynamically });
  slot.run = runner.runInContext(context);
  // Contexts are prepared with the last cell's tool list, which the next cell almost always shares.
  slot.api.initTools(toolsJson);
  slot.toolsJson = toolsJson;
  // And with the store as the last cell left it (a cell's own store() calls went through this worker).
  if (storeJson !== "{}") slot.api.initStore(storeJson);
  slot.storeJson = storeJson;
  return slot;
}

// The dynamic-import callback of script cells: one function for all of them, holding no context (a
// callback that refers to a context keeps it alive for good). A script cell reaches import() only
// from code it hid from the import check (eval, Function): refused, with a string, which belongs to no
// realm. Which context called is not known here: V8's compile cache hands Function and indirect-eval
// code of one context the callback of another, and code of an ended cell can still run (a
// FinalizationRegistry callback) while a later cell is current. The helpers are globals anyway.
async function importDynamically(spec) {
  throw "Unsupported import in exec: " + String(spec);
}

function flush(slot, cellId) {
  slot.flushing = false;
  if (slot.items.length === 0 || slot.cellId !== cellId) return;
  post({ type: "items", cellId, items: slot.items.splice(0) });
}

function helper(slot, spec) {
  if (!HELPERS.has(spec)) throw slot.api.makeError("Unsupported import in exec: " + spec);
  let mod = slot.helpers.get(spec);
  if (!mod) {
    const api = slot.api.exports();
    const names = Object.keys(api);
    mod = new vm.SyntheticModule([...names, "default"], function () {
      for (const n of names) this.setExport(n, api[n]);
      this.setExport("default", api);
    }, { context: slot.context, identifier: spec });
    slot.helpers.set(spec, mod);
  }
  return mod;
}

function describe(slot, e, isModule) {
  if (e instanceof Error) return e.name + ": " + e.message;
  const d = slot.api.describe(e);
  if (typeof d !== "string") return "Uncaught exception";
  // Keep the message and the script's own frames; the runtime's frames mean nothing to the model.
  const lines = d.split("\\n");
  const first = lines.findIndex((l) => /^\\s+at /.test(l));
  if (first < 0) return d;
  const frames = lines.slice(first).filter((l) => l.includes("exec_main.mjs"));
  return [...lines.slice(0, first), ...(isModule ? frames : frames.map(scriptFrame))].join("\\n");
}

// A script cell's frame as a module's reads: its own code as "at exec_main.mjs:..." (eval'd, it reads
// "at eval (exec_main.mjs:...)"), line 1's columns without the wrapper ("at exec_main.mjs:1:38" is
// "at exec_main.mjs:1:6").
function scriptFrame(line) {
  return line
    .replace(/\\beval \\((exec_main\\.mjs:\\d+:\\d+)\\)/, "$1")
    .replace(/exec_main\\.mjs:1:(\\d+)/, (_, col) => "exec_main.mjs:1:" + Math.max(1, Number(col) - SCRIPT_HEAD.length));
}

// \`own\`: a context of the warm-up's own (real cells always take the prepared one, or a new one).
async function runCell(m, own) {
  if (m.tools !== null) toolsJson = m.tools;
  if (m.store !== null) storeJson = m.store;
  const slot = own || (prepared && prepared.toolsJson === toolsJson ? prepared : prepare());
  if (!own) prepared = null;
  slot.cellId = m.cellId;
  current = slot;
  let status = "completed";
  let error;
  const isModule = MODULE_SYNTAX.test(m.source);
  try {
    if (slot.storeJson !== storeJson) slot.api.initStore(storeJson);
    if (isModule) {
      const mod = new vm.SourceTextModule(m.source, {
        context: slot.context,
        identifier: "exec_main.mjs",
        importModuleDynamically: async (spec) => {
          // Only while this cell runs (see importDynamically); its worker ran no other thread's cells
          // (cell-host), so whatever code reaches this callback is of this thread.
          if (current !== slot) throw "Unsupported import in exec: " + String(spec);
          const h = helper(slot, spec);
          if (h.status === "unlinked") await h.link(() => {});
          if (h.status === "linked") await h.evaluate();
          return h;
        },
      });
      await mod.link((spec) => helper(slot, spec));
      await mod.evaluate();
    } else {
      // Called without a receiver: the function is strict, so \`this\` is undefined (never the slot).
      const main = scriptMain(slot, m.source);
      await main();
    }
  } catch (e) {
    if (!slot.api.isExit(e)) {
      status = "failed";
      error = describe(slot, e, isModule);
    }
  }
  for (const h of slot.timers.values()) clearTimeout(h);
  slot.timers.clear();
  slot.cellId = null;
  current = null;
  if (!isModule) dead += 1;
  post({ type: "done", cellId: m.cellId, status, error, items: slot.items.splice(0), retained: isModule });
  prepareSoon();
}

// After the current turn of the event loop (the answer has gone out), when no cell runs.
function prepareSoon() {
  setImmediate(() => {
    if (current) return;
    if (!prepared || prepared.toolsJson !== toolsJson) prepared = prepare();
    post({ type: "ready", seq });
    if (dead >= GC_AFTER_CELLS && !gcTimer) {
      gcTimer = setTimeout(() => {
        gcTimer = null;
        // The pool grants one worker's collection at a time (gc-gate.ts): answered by a "gc" message.
        if (!current) post({ type: "gc-wanted" });
      }, IDLE_GC_MS);
    }
  });
}

parentPort.on("message", (m) => {
  if (m.type === "run") {
    seq = m.seq;
    if (gcTimer) {
      clearTimeout(gcTimer);
      gcTimer = null;
    }
    if (warmed) void runCell(m);
    else void warming.then(() => runCell(m));
  } else if (m.type === "tools") {
    seq = m.seq;
    toolsJson = m.tools;
    void warming.then(() => { if (!current) prepareSoon(); });
  } else if (m.type === "ping") post({ type: "ready", seq });
  // Diagnostics (benchmarks, tests): the isolate's heap as it stands, no collection first.
  else if (m.type === "heap") {
    const h = require("node:v8").getHeapStatistics();
    post({ type: "heap", contexts: h.number_of_native_contexts, usedBytes: h.used_heap_size });
  }
  else if (m.type === "gc") {
    if (current) post({ type: "gc-done" });
    else {
      dead = 0;
      void collect().then(() => post({ type: "gc-done" }));
    }
  }
  else if (m.type === "result" && current && current.cellId === m.cellId) current.api.receive("result", m.payload);
});
// Run throwaway script cells first (the first compiles and evaluations of an isolate, and the first
// runs of this code, are several times slower); the end of the last prepares the context the first
// real cell gets and reports ready. The host ignores the warm-up's messages (no cell of that id). The
// warm-up cells share one context of their own, garbage once they ran (a context each cost a cold
// worker ~0.16 MiB more; no real cell ever runs in it). No module cell: its context would stay (+0.13
// MiB per worker); a worker's first import cell pays ~1 ms.
const WARMUP_SOURCES = ['clearTimeout(setTimeout(() => {}, 0)); text(""); await 0;', 'text(""); await 0;'];
const warming = (async () => {
  const own = prepare();
  for (const source of WARMUP_SOURCES) await runCell({ cellId: "warmup", source, tools: null, store: null }, own);
  warmed = true;
})();
`;
