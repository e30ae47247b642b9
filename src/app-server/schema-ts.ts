// A JSON Schema (the draft-07 subset zod emits) as a TypeScript type expression, and the named types it refers to.

type Schema = Record<string, unknown>;

export function jsonSchemaToTs(schema: unknown): { body: string; refs: Set<string> } {
  const refs = new Set<string>();
  const body = render(schema, refs);
  return { body, refs };
}

function render(node: unknown, refs: Set<string>): string {
  if (node === true || node === undefined) return "unknown";
  if (node === false) return "never";
  const s = node as Schema;
  if (typeof s.$ref === "string") {
    const name = s.$ref.split("/").pop()!;
    refs.add(name);
    return name;
  }
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  for (const key of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(s[key])) return (s[key] as unknown[]).map((v) => wrap(render(v, refs))).join(" | ");
  }
  if (Array.isArray(s.allOf)) return (s.allOf as unknown[]).map((v) => wrap(render(v, refs))).join(" & ");
  if (Array.isArray(s.type)) return (s.type as string[]).map((t) => render({ ...s, type: t }, refs)).join(" | ");
  switch (s.type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return `Array<${render(s.items, refs)}>`;
    case "object": {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const required = new Set((s.required as string[] | undefined) ?? []);
      const fields = Object.entries(props).map(([k, v]) => `${JSON.stringify(k)}${required.has(k) ? "" : "?"}: ${render(v, refs)}`);
      const extra = s.additionalProperties;
      if (fields.length === 0 && extra && extra !== false) return `{ [key in string]?: ${render(extra, refs)} }`;
      return `{ ${fields.join(", ")}${fields.length ? " " : ""}}`;
    }
    default:
      return "unknown";
  }
}

const wrap = (t: string) => (t.includes(" | ") || t.includes(" & ") ? `(${t})` : t);
