/** One chunk of an `*** Update File:` op: the lines to find and what replaces them. */
export interface UpdateChunk {
  /** `@@ <text>` header lines that narrow the search, in order (empty for a bare `@@` or none). */
  contexts: string[];
  oldLines: string[];
  newLines: string[];
  /** `*** End of File` followed the chunk: the old lines should sit at the end of the file. */
  eof: boolean;
}

export type PatchOp =
  | { kind: "add"; path: string; contents: string }
  | { kind: "delete"; path: string }
  | { kind: "update"; path: string; movePath?: string; chunks: UpdateChunk[] };

export interface ParsedPatch {
  ops: PatchOp[];
  /** The patch text between (and including) the Begin/End markers, wrappers removed. */
  patch: string;
}

/** Raised for a malformed patch; the message is the user/model-facing text. */
export class PatchParseError extends Error {
  constructor(
    message: string,
    readonly lineNumber?: number,
  ) {
    super(message);
    this.name = "PatchParseError";
  }
}

/** Raised when a patch cannot be applied; the message is the user/model-facing text. Nothing was changed on disk
 *  unless `partial` is set (a write failed and the rollback failed too). */
export class ApplyPatchError extends Error {
  readonly path?: string;
  /** 1-based index of the failing chunk inside its Update op. */
  readonly hunk?: number;
  readonly unmatchedLines?: string[];
  constructor(message: string, details: { path?: string; hunk?: number; unmatchedLines?: string[] } = {}) {
    super(message);
    this.name = "ApplyPatchError";
    this.path = details.path;
    this.hunk = details.hunk;
    this.unmatchedLines = details.unmatchedLines;
  }
}
