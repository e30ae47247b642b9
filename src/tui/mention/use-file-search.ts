// A React hook over core's FileIndex for the `@` popup: each new query cancels the search still running for
// the previous one (typing fast never piles up work), and the newest answer wins.
import { useEffect, useMemo, useState } from "react";
import type { FileIndex, FileMatch } from "../../core/index.js";
import type { TuiCore } from "../tui-args.js";

export interface FileSearchState {
  matches: FileMatch[];
  /** A search for the current query is still running. */
  searching: boolean;
}

export function useFileIndex(core: Pick<TuiCore, "createFileIndex">, root: string): FileIndex {
  return useMemo(() => core.createFileIndex(root), [core, root]);
}

export function useFileSearch(index: FileIndex, query: string | null, o: { limit?: number } = {}): FileSearchState {
  const [state, setState] = useState<FileSearchState>({ matches: [], searching: false });
  const limit = o.limit ?? 8;
  useEffect(() => {
    if (query === null || query === "") {
      setState({ matches: [], searching: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, searching: true }));
    index.search(query, { limit, signal: controller.signal, includeDirectories: false }).then(
      (r) => {
        if (!controller.signal.aborted) setState({ matches: r.matches, searching: false });
      },
      () => {
        // superseded or failed: a newer query (or nothing) shows instead
      },
    );
    return () => controller.abort();
  }, [index, query, limit]);
  return state;
}
