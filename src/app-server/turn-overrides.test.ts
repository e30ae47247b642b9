// A client's sandbox policy with only its `type` (the reference's schema requires nothing else): the fields it
// leaves out are the narrow defaults (no network, no extra roots, /tmp and $TMPDIR writable as usual).
import { expect, test } from "vitest";
import { TurnStartParams } from "../protocol/app-server/turn.js";
import { sandboxToCore } from "./turn-overrides.js";

const parsed = (sandboxPolicy: unknown) => TurnStartParams.parse({ threadId: "t", input: [], sandboxPolicy }).sandboxPolicy!;

test("a sandbox policy of only its type parses with the narrow defaults and means the same to core", () => {
  expect(parsed({ type: "readOnly" })).toEqual({ type: "readOnly", networkAccess: false });
  const minimal = parsed({ type: "workspaceWrite" });
  expect(minimal).toEqual({ type: "workspaceWrite", writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false });
  const full = parsed({ type: "workspaceWrite", writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false });
  const o = { cwd: "/work/repo", env: { TMPDIR: "/tmp" } };
  expect(sandboxToCore(minimal, o)).toEqual(sandboxToCore(full, o));
  expect(parsed({ type: "externalSandbox" })).toEqual({ type: "externalSandbox", networkAccess: "restricted" });
  // A value of the wrong type is still refused.
  expect(() => parsed({ type: "readOnly", networkAccess: "yes" })).toThrow();
});
