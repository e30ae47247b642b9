import { describe, expect, it } from "vitest";
import {
  extractApplyPatchFromArgv,
  extractApplyPatchInvocation,
  extractPatchFromShellCommand,
} from "./shell-extract.js";

const PATCH = "*** Begin Patch\n*** Add File: a.txt\n+it's $HOME\n*** End Patch";

describe("extractPatchFromShellCommand", () => {
  it.each([
    ["single-quoted argument", `apply_patch '${PATCH.replace("'", "'\\''")}'`],
    ["double-quoted argument", `apply_patch "${PATCH.replace("$", "\\$")}"`],
    ["quoted heredoc", `apply_patch <<'EOF'\n${PATCH}\nEOF\n`],
    ["bare heredoc", `applypatch <<EOF\n${PATCH}\nEOF`],
    ["cat pipe", `cat <<'PATCH' | apply_patch\n${PATCH}\nPATCH`],
  ])("recognises %s", (_name, script) => {
    expect(extractPatchFromShellCommand(script)).toBe(PATCH);
  });

  it("returns the cd directory", () => {
    expect(extractApplyPatchInvocation(`cd "my dir" && apply_patch <<'EOF'\n${PATCH}\nEOF`)).toEqual({
      patch: PATCH,
      workdir: "my dir",
    });
    expect(extractApplyPatchInvocation(`cd src && apply_patch '${PATCH.replace("'", "'\\''")}'`)).toEqual({
      patch: PATCH,
      workdir: "src",
    });
  });

  it.each([
    ["another command", "ls -la"],
    ["trailing command after heredoc", `apply_patch <<'EOF'\n${PATCH}\nEOF\necho done`],
    ["prefix command", `echo hi; apply_patch <<'EOF'\n${PATCH}\nEOF`],
    ["unterminated heredoc", `apply_patch <<'EOF'\n${PATCH}\n`],
    ["extra arguments", "apply_patch a b"],
    ["cd with ||", `cd x || apply_patch <<'EOF'\n${PATCH}\nEOF`],
  ])("ignores %s", (_name, script) => {
    expect(extractPatchFromShellCommand(script)).toBeNull();
  });

  it("reads argv forms", () => {
    expect(extractApplyPatchFromArgv(["apply_patch", PATCH])).toEqual({ patch: PATCH });
    expect(extractApplyPatchFromArgv(["/bin/bash", "-lc", `apply_patch <<'EOF'\n${PATCH}\nEOF`])).toEqual({
      patch: PATCH,
    });
    expect(extractApplyPatchFromArgv(["ls", "-l"])).toBeNull();
  });
});
