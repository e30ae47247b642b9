// Loads the TUI chunk. In the ES module build this is an ordinary dynamic import (esbuild splits it off);
// the CommonJS build (dist/cli.cjs) cannot hold ink (top-level await) and would turn import() into
// require(), so scripts/build.mjs swaps this module's target for a real ESM import of dist/tui.js.
export type TuiModule = typeof import("../../tui/run-tui.js");

export async function loadTui(): Promise<TuiModule> {
  return import("../../tui/run-tui.js");
}
