/**
 * Waits for `p`, or rejects with `reason()` as soon as `signal` fires (at once if it already has); `p` goes
 * on either way. `onAbort` runs once when the abort wins, before the rejection.
 */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal, o: { reason: () => unknown; onAbort?: () => void }): Promise<T> {
  if (signal.aborted) {
    o.onAbort?.();
    return Promise.reject(o.reason());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      o.onAbort?.();
      reject(o.reason());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
