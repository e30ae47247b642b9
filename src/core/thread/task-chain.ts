// A thread's tasks run one at a time, in the order they were submitted; the running one can be aborted
// (interrupt, close). A task whose turn comes after the thread began closing does not run.

export interface TaskChain {
  /** Queues `run` behind the running and queued tasks. */
  enqueue(run: (signal: AbortSignal) => Promise<void>): void;
  /** Tasks submitted and not yet ended (running or queued behind the running one). */
  underWay(): number;
  /** Aborts the running task's signal, if a task runs. */
  abortCurrent(): void;
  /** Resolves once every task queued so far ended. */
  drained(): Promise<void>;
}

export function createTaskChain(o: { closing(): boolean }): TaskChain {
  let current: { controller: AbortController } | null = null;
  let chain: Promise<void> = Promise.resolve();
  let underWay = 0;
  return {
    enqueue(run) {
      const controller = new AbortController();
      underWay++;
      const done = chain.then(async () => {
        if (o.closing()) return;
        current = { controller };
        try {
          await run(controller.signal);
        } finally {
          current = null;
        }
      });
      chain = done.catch(() => {}).finally(() => underWay--);
    },
    underWay: () => underWay,
    abortCurrent: () => current?.controller.abort(),
    drained: () => chain,
  };
}
