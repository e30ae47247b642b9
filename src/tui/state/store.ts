import { reduce, type UiAction } from "./reducer.js";
import type { TuiState } from "./types.js";

/** Holds the view state for one app; components read it with useSyncExternalStore. */
export interface TuiStore {
  getState(): TuiState;
  dispatch(action: UiAction): void;
  subscribe(listener: () => void): () => void;
}

export function createTuiStore(initial: TuiState): TuiStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reduce(state, action);
      if (next === state) return;
      state = next;
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
