// Every message an app-server e2e test saw, checked against the reference's JSON Schema (generated from the
// reference binary when it is installed; skipped with a notice otherwise) and against our own generated schema.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { CODEX_BIN, REPO_ROOT } from "./codex-env.js";
import type { Message } from "./app-server-client.js";

const REFERENCE_SUBPATH = ".bench-cache/ref-0.169.0/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex";
/** The reference 0.169 binary, if installed: $CODEX_REFERENCE_BIN, this checkout's .bench-cache (`npm run bench`),
 *  or a sibling bench checkout's; "" when none exists (tests that need it skip). */
export const REFERENCE_BIN =
  [process.env.CODEX_REFERENCE_BIN, path.join(REPO_ROOT, REFERENCE_SUBPATH), path.join(REPO_ROOT, "..", "bench", REFERENCE_SUBPATH), path.join("/work/wt/bench", REFERENCE_SUBPATH)].find(
    (candidate): candidate is string => candidate !== undefined && candidate !== "" && existsSync(candidate),
  ) ?? "";
const referenceBin = (): string | null => (REFERENCE_BIN === "" ? null : REFERENCE_BIN);

/** Method names whose response type is not Pascal(method) + "Response". */
const RESPONSE_NAMES: Record<string, string> = {
  "thread/name/set": "ThreadSetNameResponse",
  "config/value/write": "ConfigWriteResponse",
  "config/batchWrite": "ConfigWriteResponse",
  "account/read": "GetAccountResponse",
  "account/login/start": "LoginAccountResponse",
  "account/logout": "LogoutAccountResponse",
  "mcpServerStatus/list": "ListMcpServerStatusResponse",
};
const pascal = (m: string) => m.split("/").map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("");

export interface SchemaSet {
  label: string;
  dir: string;
}

interface Checker {
  set: SchemaSet;
  check(m: Message, method: string | undefined): string | null;
}

function checker(set: SchemaSet): Checker {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  const cache = new Map<string, ValidateFunction | null>();
  const load = (rel: string): ValidateFunction | null => {
    if (!cache.has(rel)) {
      const file = path.join(set.dir, rel);
      cache.set(rel, existsSync(file) ? ajv.compile(JSON.parse(readFileSync(file, "utf8"))) : null);
    }
    return cache.get(rel)!;
  };
  const run = (rel: string, value: unknown): string | null => {
    const validate = load(rel);
    if (!validate) return `${set.label}: no schema ${rel}`;
    return validate(value) ? null : `${set.label}: ${rel}: ${ajv.errorsText(validate.errors)}`;
  };
  return {
    set,
    check(m, method) {
      if ("method" in m && "id" in m) return run("ServerRequest.json", { id: m.id, method: m.method, params: m.params });
      if ("method" in m) return run("ServerNotification.json", { method: m.method, params: m.params });
      if ("result" in m) {
        if (!method) return `${set.label}: a response to an unknown request ${m.id}`;
        const name = RESPONSE_NAMES[method] ?? `${pascal(method)}Response`;
        if (method === "initialize") {
          const rel = ["InitializeResponse.json", "v1/InitializeResponse.json", "v2/InitializeResponse.json"].find((r) => existsSync(path.join(set.dir, r)));
          return run(rel ?? "InitializeResponse.json", m.result);
        }
        // v1-era types (fuzzyFileSearch) sit at the top of the reference's tree, not under v2/.
        const v2 = path.join("v2", `${name}.json`);
        return run(existsSync(path.join(set.dir, v2)) || !existsSync(path.join(set.dir, `${name}.json`)) ? v2 : `${name}.json`, m.result);
      }
      if ("error" in m && m.id !== null) return run("JSONRPCError.json", m);
      return null;
    },
  };
}

let sets: Checker[] | undefined;

/** Our schema (always) and the reference's (when its binary is here), each generated once per test process. */
export function schemaCheckers(): Checker[] {
  if (sets) return sets;
  const ours = mkdtempSync(path.join(os.tmpdir(), "codex-as-schema-ours-"));
  const gen = spawnSync(process.execPath, [CODEX_BIN, "app-server", "generate-json-schema", "--out", ours], { encoding: "utf8" });
  if (gen.status !== 0) throw new Error(`generate-json-schema failed: ${gen.stderr}`);
  sets = [checker({ label: "ours", dir: ours })];
  const ref = referenceBin();
  if (!ref) {
    process.stderr.write("app-server schema check: reference binary 0.169.0 not installed; checking against our own schema only\n");
    return sets;
  }
  const refDir = mkdtempSync(path.join(os.tmpdir(), "codex-as-schema-ref-"));
  const refGen = spawnSync(ref, ["app-server", "generate-json-schema", "--out", refDir], { encoding: "utf8" });
  if (refGen.status !== 0) throw new Error(`reference generate-json-schema failed: ${refGen.stderr}`);
  // Our own responses carry the same envelope files at the top (InitializeResponse, JSONRPCError) as the reference's.
  sets.push(checker({ label: "reference", dir: refDir }));
  return sets;
}

/**
 * Problems with what the server wrote: each message against each schema. `sent` maps response ids to methods.
 * A parse-error answer (id null) is ours by convention (the reference answers nothing) and is left out.
 */
export function schemaProblems(seen: readonly Message[], sent: readonly Message[]): string[] {
  const methods = new Map(sent.filter((m) => "method" in m && "id" in m).map((m) => [m.id, m.method as string]));
  const problems: string[] = [];
  for (const m of seen) {
    for (const c of schemaCheckers()) {
      if (c.set.label === "ours" && "error" in m) continue;
      const problem = c.check(m, "result" in m ? methods.get(m.id) : undefined);
      if (problem) problems.push(`${problem}\n  in ${JSON.stringify(m).slice(0, 400)}`);
    }
  }
  return problems;
}
