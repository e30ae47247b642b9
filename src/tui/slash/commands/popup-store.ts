// The little state a composer popup keeps between renders and keys (selection, what the person dismissed,
// the matches shown): one store per popup per TUI, read by its component through useSyncExternalStore.

export interface PopupState<M> {
  selected: number;
  /** Text for which Esc closed the popup (it reopens once the text changes). */
  dismissedFor: string | null;
  matches: readonly M[];
}

export interface PopupStore<M> {
  get(): PopupState<M>;
  set(patch: Partial<PopupState<M>>): void;
  subscribe(listener: () => void): () => void;
}

export function createPopupStore<M>(): PopupStore<M> {
  let state: PopupState<M> = { selected: 0, dismissedFor: null, matches: [] };
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(patch) {
      state = { ...state, ...patch };
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
