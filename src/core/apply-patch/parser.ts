import { extractPatchFromShellCommand } from "./shell-extract.js";
import { PatchParseError, type ParsedPatch, type PatchOp, type UpdateChunk } from "./types.js";

const BEGIN = "*** Begin Patch";
const END = "*** End Patch";
const ADD = "*** Add File: ";
const DELETE = "*** Delete File: ";
const UPDATE = "*** Update File: ";
const MOVE = "*** Move to: ";
const EOF_MARKER = "*** End of File";
const HEADER_HINT =
  "Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'";

/** Parse a whole patch (leniently, like Codex). Throws PatchParseError with the user-facing message. */
export function parsePatch(text: string): ParsedPatch {
  const lines = splitLines(text.trim());
  const body = patchBody(lines) ?? heredocBody(lines) ?? shellBody(text);
  if (body === undefined) throw boundaryError(lines);
  const ops: PatchOp[] = [];
  const hunkLines = body.slice(1, -1);
  let lineNumber = 2;
  let at = 0;
  while (at < hunkLines.length) {
    const { op, consumed } = parseOp(hunkLines, at, lineNumber);
    ops.push(op);
    lineNumber += consumed;
    at += consumed;
  }
  return { ops, patch: body.join("\n") };
}

function splitLines(text: string): string[] {
  return text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

function patchBody(lines: string[]): string[] | undefined {
  const first = lines[0]?.trim();
  const last = lines[lines.length - 1]?.trim();
  return lines.length >= 2 && first === BEGIN && last === END ? lines : undefined;
}

/** A patch wrapped as `<<'EOF' … EOF` (models sometimes pass the heredoc itself as the argument). */
function heredocBody(lines: string[]): string[] | undefined {
  const first = lines[0]?.trim();
  const last = lines[lines.length - 1] ?? "";
  if (lines.length < 4 || !last.endsWith("EOF")) return undefined;
  if (first !== "<<EOF" && first !== "<<'EOF'" && first !== '<<"EOF"') return undefined;
  return patchBody(lines.slice(1, -1));
}

/** A whole shell invocation such as `apply_patch <<'EOF' … EOF` or `cat <<EOF | apply_patch`. */
function shellBody(text: string): string[] | undefined {
  const inner = extractPatchFromShellCommand(text);
  return inner === null ? undefined : patchBody(splitLines(inner.trim()));
}

function boundaryError(lines: string[]): PatchParseError {
  if (lines[0]?.trim() !== BEGIN) {
    return new PatchParseError("Invalid patch: The first line of the patch must be '*** Begin Patch'");
  }
  return new PatchParseError("Invalid patch: The last line of the patch must be '*** End Patch'");
}

function hunkError(message: string, lineNumber: number): PatchParseError {
  return new PatchParseError(`Invalid patch hunk on line ${lineNumber}: ${message}`, lineNumber);
}

function parseOp(lines: string[], at: number, lineNumber: number): { op: PatchOp; consumed: number } {
  const header = (lines[at] ?? "").trim();
  if (header.startsWith(ADD)) {
    let contents = "";
    let i = at + 1;
    for (; i < lines.length; i++) {
      const l = lines[i] ?? "";
      if (!l.startsWith("+")) break;
      contents += `${l.slice(1)}\n`;
    }
    return { op: { kind: "add", path: header.slice(ADD.length), contents }, consumed: i - at };
  }
  if (header.startsWith(DELETE)) {
    return { op: { kind: "delete", path: header.slice(DELETE.length) }, consumed: 1 };
  }
  if (header.startsWith(UPDATE)) return parseUpdate(lines, at, lineNumber, header.slice(UPDATE.length));
  throw hunkError(`'${header}' is not a valid hunk header. ${HEADER_HINT}`, lineNumber);
}

function parseUpdate(
  lines: string[],
  at: number,
  lineNumber: number,
  path: string,
): { op: PatchOp; consumed: number } {
  let i = at + 1;
  let movePath: string | undefined;
  const maybeMove = (lines[i] ?? "").trimStart();
  if (i < lines.length && maybeMove.startsWith(MOVE)) {
    movePath = maybeMove.slice(MOVE.length).trim();
    i++;
  }
  const chunks: UpdateChunk[] = [];
  while (i < lines.length) {
    const l = lines[i] ?? "";
    if (l.trim() === "") {
      i++;
      continue;
    }
    if (l.startsWith("*")) break;
    const { chunk, consumed } = parseChunk(lines, i, lineNumber + (i - at), { first: chunks.length === 0 });
    chunks.push(chunk);
    i += consumed;
  }
  if (chunks.length === 0) throw hunkError(`Update file hunk for path '${path}' is empty`, lineNumber);
  const op: PatchOp = movePath === undefined ? { kind: "update", path, chunks } : { kind: "update", path, movePath, chunks };
  return { op, consumed: i - at };
}

function isContextHeader(line: string): boolean {
  return line === "@@" || line.startsWith("@@ ");
}

function parseChunk(
  lines: string[],
  at: number,
  lineNumber: number,
  opts: { first: boolean },
): { chunk: UpdateChunk; consumed: number } {
  const contexts: string[] = [];
  let i = at;
  // Several `@@ scope` lines in a row narrow the search step by step (class, then method).
  while (i < lines.length && isContextHeader(lines[i] ?? "")) {
    const ctx = (lines[i] ?? "").slice(3);
    if (ctx !== "") contexts.push(ctx);
    i++;
  }
  if (i === at && !opts.first) {
    throw hunkError(`Expected update hunk to start with a @@ context marker, got: '${lines[at] ?? ""}'`, lineNumber);
  }
  if (i >= lines.length) throw hunkError("Update hunk does not contain any lines", lineNumber + 1);
  const chunk: UpdateChunk = { contexts, oldLines: [], newLines: [], eof: false };
  let parsed = 0;
  for (; i < lines.length; i++) {
    const l = lines[i] ?? "";
    if (l === EOF_MARKER) {
      if (parsed === 0) throw hunkError("Update hunk does not contain any lines", lineNumber + 1);
      chunk.eof = true;
      i++;
      break;
    }
    const marker = l[0];
    if (marker === undefined) {
      chunk.oldLines.push("");
      chunk.newLines.push("");
    } else if (marker === " ") {
      chunk.oldLines.push(l.slice(1));
      chunk.newLines.push(l.slice(1));
    } else if (marker === "+") {
      chunk.newLines.push(l.slice(1));
    } else if (marker === "-") {
      chunk.oldLines.push(l.slice(1));
    } else {
      if (parsed === 0) {
        throw hunkError(
          `Unexpected line found in update hunk: '${l}'. Every line should start with ' ' (context line), '+' (added line), or '-' (removed line)`,
          lineNumber + 1,
        );
      }
      break; // the start of the next chunk or op
    }
    parsed++;
  }
  return { chunk, consumed: i - at };
}
