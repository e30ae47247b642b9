// One forced full collection at a time across a pool's workers. Node 20 (V8 11.3) can deadlock when several
// isolates run full collections at once (seen with two workers collecting together: threads stuck on cppgc's
// process-wide mutex while another joins its concurrent marking). A worker asks before its idle collection
// and collects only once granted; the grant passes on when it reports back, or when it dies.

export interface GcGate<W> {
  /** `w` wants to collect: granted now (`grant(w)` is called) or once the current holder is done. */
  request(w: W): void;
  /** `w` finished its collection, skipped it, or died: the next one waiting (if any) is granted. True when `w`
   *  held the grant. */
  done(w: W): boolean;
}

export function createGcGate<W>(o: {
  grant: (w: W) => void;
  alive: (w: W) => boolean;
  /** The holder is done (told before the next one is granted). */
  released?: (w: W) => void;
}): GcGate<W> {
  let holder: W | null = null;
  const waiting: W[] = [];
  const next = (): void => {
    while (holder === null && waiting.length > 0) {
      const w = waiting.shift()!;
      if (!o.alive(w)) continue;
      holder = w;
      o.grant(w);
    }
  };
  return {
    request(w) {
      if (holder === w || waiting.includes(w)) return;
      waiting.push(w);
      next();
    },
    done(w) {
      const i = waiting.indexOf(w);
      if (i >= 0) waiting.splice(i, 1);
      const held = holder === w;
      if (held) {
        holder = null;
        o.released?.(w);
      }
      next();
      return held;
    },
  };
}
