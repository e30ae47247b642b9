import { describe, expect, it } from "vitest";
import { parsePatch } from "./parser.js";
import { PatchParseError } from "./types.js";

function parseError(text: string): PatchParseError {
  try {
    parsePatch(text);
  } catch (err) {
    if (err instanceof PatchParseError) return err;
    throw err;
  }
  throw new Error("expected a parse error");
}

describe("parsePatch", () => {
  it("parses every op kind, moves, several chunks, scope headers and EOF markers", () => {
    const parsed = parsePatch(
      [
        "*** Begin Patch",
        "*** Add File: a/new.txt",
        "+one",
        "+",
        "*** Delete File: gone.txt",
        "*** Update File: src/x.py",
        "*** Move to: src/y.py",
        "@@ class A:",
        "@@     def f(self):",
        " ctx",
        "-old",
        "+new",
        "@@",
        "-tail",
        "+TAIL",
        "*** End of File",
        "*** End Patch",
      ].join("\n"),
    );
    expect(parsed.ops).toEqual([
      { kind: "add", path: "a/new.txt", contents: "one\n\n" },
      { kind: "delete", path: "gone.txt" },
      {
        kind: "update",
        path: "src/x.py",
        movePath: "src/y.py",
        chunks: [
          { contexts: ["class A:", "    def f(self):"], oldLines: ["ctx", "old"], newLines: ["ctx", "new"], eof: false },
          { contexts: [], oldLines: ["tail"], newLines: ["TAIL"], eof: true },
        ],
      },
    ]);
  });

  it("returns no ops for an empty patch (the applier reports it)", () => {
    expect(parsePatch("*** Begin Patch\n*** End Patch").ops).toEqual([]);
  });

  it("numbers hunk lines from the Begin marker", () => {
    const err = parseError("*** Begin Patch\n*** Add File: a\n+x\n*** Bogus\n*** End Patch");
    expect(err.message).toBe(
      "Invalid patch hunk on line 4: '*** Bogus' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'",
    );
    expect(err.lineNumber).toBe(4);
  });

  it("accepts heredoc and shell wrappers", () => {
    const inner = "*** Begin Patch\n*** Delete File: x\n*** End Patch";
    for (const text of [
      `<<'EOF'\n${inner}\nEOF\n`,
      `<<EOF\n${inner}\nEOF`,
      `apply_patch <<'EOF'\n${inner}\nEOF\n`,
      `cd sub && apply_patch <<"EOF"\n${inner}\nEOF`,
      `cat <<'EOF' | applypatch\n${inner}\nEOF`,
    ]) {
      expect(parsePatch(text).ops).toEqual([{ kind: "delete", path: "x" }]);
    }
  });

  it("rejects a heredoc wrapper with too few lines", () => {
    expect(parseError("<<'EOF'\nEOF").message).toContain("first line of the patch");
  });
});
