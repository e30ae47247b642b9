// The standalone apply_patch engine bundled into a temp bin/ directory, as the package ships it, for tests that
// run the handler's sandboxed apply without building dist/.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { build } from "esbuild";

const repo = path.resolve(import.meta.dirname, "../..");

/** A directory holding `apply_patch.js`; put it first on PATH. Remove it with `fs.rmSync(dir, {recursive})`. */
export async function buildPatchEngineBin(): Promise<string> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ap-engine-")));
  await build({
    entryPoints: [path.join(repo, "src/cli/apply-patch-main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: path.join(dir, "engine.mjs"),
    logLevel: "silent",
  });
  fs.writeFileSync(
    path.join(dir, "apply_patch.js"),
    'import { applyPatchMain } from "./engine.mjs";\nawait applyPatchMain(process.argv.slice(2));\n',
  );
  return dir;
}
