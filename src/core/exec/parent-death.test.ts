import { spawnSync } from "node:child_process";
import { expect, test } from "vitest";
import { createParentDeathGuard } from "./parent-death.js";

test("wraps a command in setpriv --pdeathsig when setpriv knows it, and the command still runs with its own status", () => {
  const guard = createParentDeathGuard();
  const argv = guard.wrap(["sh", "-c", "exit 7"]);
  expect(argv).toEqual(["/usr/bin/setpriv", "--pdeathsig", "TERM", "--", "sh", "-c", "exit 7"]);
  const [file, ...args] = argv;
  expect(spawnSync(file!, args).status).toBe(7);
});

test("leaves the command alone when no usable setpriv exists", () => {
  const guard = createParentDeathGuard({ setpriv: "/nonexistent/setpriv" });
  expect(guard.wrap(["true"])).toEqual(["true"]);
  expect(guard.wrap([])).toEqual([]);
});
