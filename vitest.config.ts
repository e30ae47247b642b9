import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // As in the TUI bundle (scripts/build.mjs): ink never takes itself for a CI run, even when CI=true.
  resolve: { alias: { "is-in-ci": fileURLToPath(new URL("./src/tui/terminal/not-in-ci.ts", import.meta.url)) } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // ink is run through vite (not loaded by Node as is) so the alias above reaches its import of is-in-ci.
    server: { deps: { inline: ["ink"] } },
  },
});
