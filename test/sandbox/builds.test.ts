import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecRunner } from "../../src/core/exec/contract.js";
import { baseEnv, makeRunner, makeWorkspace, requireBwrap, runIn, writeFile, type Workspace } from "./support.js";

let w: Workspace;
let runner: ExecRunner;

beforeAll(async () => {
  await requireBwrap();
  w = makeWorkspace();
  runner = makeRunner();
});

afterAll(() => w?.cleanup());

// HOME stays the real one: its caches (~/.npm, ~/.cache) are read-only in the sandbox, which is the point.
const env = (): Record<string, string> => baseEnv({ npm_config_update_notifier: "false" });

describe("builds under workspace-write without network", () => {
  it("npm install of a file: dependency and npm run build", async () => {
    const app = path.join(w.ws, "app");
    writeFile(path.join(w.ws, "dep/package.json"), JSON.stringify({ name: "local-dep", version: "1.0.0", main: "index.js" }));
    writeFile(path.join(w.ws, "dep/index.js"), "module.exports = (s) => s.toUpperCase();\n");
    writeFile(
      path.join(app, "package.json"),
      JSON.stringify({
        name: "app",
        version: "1.0.0",
        private: true,
        scripts: { build: "node build.js" },
        dependencies: { "local-dep": "file:../dep" },
      }),
    );
    writeFile(
      path.join(app, "build.js"),
      [
        "const fs = require('fs');",
        "const up = require('local-dep');",
        "fs.mkdirSync('dist', { recursive: true });",
        "fs.writeFileSync('dist/out.txt', up('built') + '\\n');",
      ].join("\n"),
    );
    const install = await runIn(runner, ["npm", "install", "--no-audit", "--no-fund"], { cwd: app, sandbox: w.policy(), env: env() });
    expect(install.exitCode, install.aggregatedOutput).toBe(0);
    expect(existsSync(path.join(app, "node_modules/local-dep/index.js"))).toBe(true);
    const build = await runIn(runner, ["npm", "run", "build"], { cwd: app, sandbox: w.policy(), env: env() });
    expect(build.exitCode, build.aggregatedOutput).toBe(0);
    expect(readFileSync(path.join(app, "dist/out.txt"), "utf8")).toBe("BUILT\n");
  });

  it("python3 -m venv in the workspace, then run its interpreter", async () => {
    const venv = await runIn(runner, ["python3", "-m", "venv", ".venv"], { cwd: w.ws, sandbox: w.policy(), env: env() });
    expect(venv.exitCode, venv.aggregatedOutput).toBe(0);
    const run = await runIn(runner, [".venv/bin/python", "-c", "import sys; print(sys.prefix)"], {
      cwd: w.ws,
      sandbox: w.policy(),
      env: env(),
    });
    expect(run.exitCode, run.aggregatedOutput).toBe(0);
    expect(run.stdout.trim()).toBe(path.join(w.ws, ".venv"));
  });
});
