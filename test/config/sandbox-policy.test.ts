import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { resolveSandboxPolicy } from "../../src/core/config/index.js";
import { sandboxHome, tempDir } from "./helpers.js";

describe("resolveSandboxPolicy", () => {
  test("read-only and danger-full-access", async () => {
    const { load } = sandboxHome();
    expect(resolveSandboxPolicy(await load())).toEqual({ mode: "read-only", networkAccess: false });
    expect(resolveSandboxPolicy(await load({ flags: { dangerouslyBypass: true } }))).toEqual({
      mode: "danger-full-access",
    });
  });

  test("workspace-write roots: cwd, --add-dir, writable_roots, $TMPDIR, /tmp; realpath'd and de-duplicated", async () => {
    const { load, cwd } = sandboxHome();
    const extra = tempDir();
    const link = path.join(tempDir(), "link");
    fs.symlinkSync(extra, link);
    const tmpdir = tempDir();
    const config = await load({
      flags: { sandboxMode: "workspace-write", addDirs: [link, cwd] },
      overrides: [`sandbox_workspace_write={writable_roots=["${extra}", "/does/not/exist"], network_access=true}`],
    });
    expect(resolveSandboxPolicy(config, { env: { TMPDIR: tmpdir } })).toEqual({
      mode: "workspace-write",
      writableRoots: [cwd, extra, "/does/not/exist", tmpdir, fs.realpathSync("/tmp")],
      networkAccess: true,
      excludeTmpdirEnvVar: false,
      excludeSlashTmp: false,
    });
  });

  test("exclude_tmpdir_env_var and exclude_slash_tmp", async () => {
    const { load, cwd } = sandboxHome();
    const config = await load({
      flags: { sandboxMode: "workspace-write" },
      overrides: ["sandbox_workspace_write.exclude_tmpdir_env_var=true", "sandbox_workspace_write.exclude_slash_tmp=true"],
    });
    expect(resolveSandboxPolicy(config, { env: { TMPDIR: tempDir() } })).toEqual({
      mode: "workspace-write",
      writableRoots: [cwd],
      networkAccess: false,
      excludeTmpdirEnvVar: true,
      excludeSlashTmp: true,
    });
  });
});
