// Loads the TUI. Under vitest/tsc this is an ordinary dynamic import; in the built CLI scripts/build.mjs swaps
// it for dist/tui.cjs, a bundle of its own (ink, React), loaded with its own V8 code cache by bin/codex.js.
export type TuiModule = typeof import("../../tui/run-tui.js");

export async function loadTui(): Promise<TuiModule> {
  return import("../../tui/run-tui.js");
}
