import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const CORPUS_DIR = path.resolve(import.meta.dirname, "../fixtures/apply-patch");

export interface CorpusCase {
  name: string;
  dir: string;
  patch: string;
  /** Substring of the error message, with `<CWD>` standing for the case's working directory. */
  expectedError?: string;
  /** Exact success summary, when the case pins it. */
  expectedOutput?: string;
}

export function listCorpus(): CorpusCase[] {
  return fs
    .readdirSync(CORPUS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = path.join(CORPUS_DIR, name);
      const optional = (f: string) =>
        fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : undefined;
      const c: CorpusCase = { name, dir, patch: fs.readFileSync(path.join(dir, "patch.txt"), "utf8") };
      const err = optional("expected-error.txt");
      const out = optional("expected-output.txt");
      if (err !== undefined) c.expectedError = err;
      if (out !== undefined) c.expectedOutput = out;
      return c;
    });
}

/** Every regular file under `root` (relative path → bytes as latin1 string), `.keep` placeholders excluded. */
export function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.name !== ".keep") out[path.relative(root, abs)] = fs.readFileSync(abs).toString("latin1");
    }
  };
  walk(root);
  return out;
}

/** Copy a case's input/ into a fresh temp dir (without `.keep`) and return the dir. */
export function stageInput(c: CorpusCase): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `ap-${c.name.slice(0, 3)}-`));
  fs.cpSync(path.join(c.dir, "input"), tmp, { recursive: true, filter: (src) => path.basename(src) !== ".keep" });
  return fs.realpathSync(tmp);
}
