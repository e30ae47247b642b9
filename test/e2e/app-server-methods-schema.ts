// Checks what the server answered against the reference's generated JSON Schema (codex 0.169.0
// `app-server generate-json-schema`), found at CODEX_REF_SCHEMA or /work/wt/_ref/app-server-schema.
import fs from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";

const DIR = process.env.CODEX_REF_SCHEMA ?? "/work/wt/_ref/app-server-schema";
const BUNDLE = path.join(DIR, "codex_app_server_protocol.v2.schemas.json");

export const refSchemaAvailable = fs.existsSync(BUNDLE);

/** A validator of the named definition ("ConfigReadResponse"); throws naming the first mismatch. */
export function refValidator(): (name: string, value: unknown) => void {
  const bundle = JSON.parse(fs.readFileSync(BUNDLE, "utf8")) as { definitions: Record<string, unknown> };
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema({ ...bundle, $id: "ref" });
  return (name, value) => {
    // v1-era types (fuzzyFileSearch) are not in the v2 bundle: their own file.
    const own = path.join(DIR, `${name}.json`);
    if (!(name in bundle.definitions) && !fs.existsSync(own)) throw new Error(`the reference schema has no ${name}`);
    const validate = name in bundle.definitions ? ajv.getSchema(`ref#/definitions/${name}`)! : ajv.compile(JSON.parse(fs.readFileSync(own, "utf8")));
    if (!validate(value)) {
      throw new Error(`${name} does not match the reference schema: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${JSON.stringify(value).slice(0, 2000)}`);
    }
  };
}
