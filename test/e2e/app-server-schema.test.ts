// Our generated schema: written from the method table, TypeScript that compiles, names the reference knows,
// and a checker that does refuse a wrong message (the e2e tests rely on it).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { CODEX_BIN, REPO_ROOT } from "../support/codex-env.js";
import { schemaCheckers, schemaProblems } from "../support/app-server-schema.js";

const generate = (kind: string) => {
  const out = mkdtempSync(path.join(os.tmpdir(), `codex-as-${kind}-`));
  const r = spawnSync(process.execPath, [CODEX_BIN, "app-server", kind, "--out", out], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return out;
};

test("generate-json-schema writes the envelopes and one file per type; method names are the reference's", () => {
  const out = generate("generate-json-schema");
  const client = JSON.parse(readFileSync(path.join(out, "ClientRequest.json"), "utf8"));
  const methods: string[] = client.oneOf.map((v: { properties: { method: { enum: string[] } } }) => v.properties.method.enum[0]);
  expect(methods).toEqual(expect.arrayContaining(["initialize", "thread/start", "thread/resume", "thread/fork", "thread/list", "turn/start", "turn/steer", "turn/interrupt", "thread/revert"]));
  expect(existsSync(path.join(out, "v2", "ThreadStartResponse.json"))).toBe(true);
  const notifications = JSON.parse(readFileSync(path.join(out, "ServerNotification.json"), "utf8"));
  const names: string[] = notifications.oneOf.map((v: { properties: { method: { enum: string[] } } }) => v.properties.method.enum[0]);
  const checkers = schemaCheckers();
  const reference = checkers.find((c) => c.set.label === "reference");
  if (!reference) return console.warn("reference binary absent: method names not compared");
  const refClient = JSON.parse(readFileSync(path.join(reference.set.dir, "ClientRequest.json"), "utf8"));
  const refMethods = new Set(refClient.oneOf.map((v: { properties: { method: { enum: string[] } } }) => v.properties.method.enum[0]));
  expect(methods.filter((m) => !refMethods.has(m))).toEqual([]);
  const refNotes = JSON.parse(readFileSync(path.join(reference.set.dir, "ServerNotification.json"), "utf8"));
  const refNames = new Set(refNotes.oneOf.map((v: { properties: { method: { enum: string[] } } }) => v.properties.method.enum[0]));
  expect(names.filter((m) => !refNames.has(m))).toEqual([]);
});

test("generate-ts writes TypeScript that type-checks", () => {
  const out = generate("generate-ts");
  const files = [...readdirSync(path.join(out, "v2")).map((f) => path.join(out, "v2", f)), path.join(out, "ClientRequest.ts")];
  expect(files.length).toBeGreaterThan(40);
  const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict", "--skipLibCheck", ...files], { encoding: "utf8" });
  expect(tsc.stdout + tsc.stderr).toBe("");
});

test("the message checker refuses what the schema does not allow", () => {
  const bad = [{ method: "turn/completed", params: { threadId: "t", turn: { id: 1 } } }, { id: 3, result: { thread: {} } }];
  const problems = schemaProblems(bad, [{ id: 3, method: "thread/start", params: {} }]);
  expect(problems.length).toBe(2 * schemaCheckers().length);
});
