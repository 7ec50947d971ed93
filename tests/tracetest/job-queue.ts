// A job queue served by N async workers: the real concurrent component that
// job-queue.test.ts checks with tracetest, one stream per worker.
//trace:event traceJobStart(worker: number, job: string)
//trace:event traceJobDone(worker: number, job: string, ok: boolean)

interface Job<R> {
  readonly name: string;
  readonly run: () => Promise<R>;
  readonly resolve: (r: R) => void;
  readonly reject: (e: unknown) => void;
}

export class JobQueue<R> {
  /** jobs being run right now */
  running = 0;
  readonly #jobs: Job<R>[] = [];
  /** wake-ups of workers waiting for a job */
  readonly #idle: Array<() => void> = [];
  readonly #workers: Promise<void>[];
  #closed = false;
  #crash: unknown = undefined;

  constructor(workers: number) {
    // A worker that dies (its trace call rejected, say) must not surface as an
    // unhandled rejection: close() reports it instead.
    this.#workers = Array.from({ length: workers }, (_, id) =>
      this.#work(id).catch((e: unknown) => {
        this.#crash ??= e;
      }),
    );
  }

  /** jobs not yet taken by a worker */
  get pending(): number {
    return this.#jobs.length;
  }

  /** Queues a job; resolves with its result once a worker has run it. */
  push(name: string, run: () => Promise<R>): Promise<R> {
    if (this.#closed) return Promise.reject(new Error(`job-queue: push(${name}) after close`));
    return new Promise<R>((resolve, reject) => {
      this.#jobs.push({ name, run, resolve, reject });
      this.#idle.shift()?.();
    });
  }

  /** Lets the workers finish the queued jobs, then stop; rejects if a worker died. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const wake of this.#idle.splice(0)) wake();
    await Promise.all(this.#workers);
    if (this.#crash !== undefined) throw this.#crash;
  }

  async #work(id: number): Promise<void> {
    for (;;) {
      const job = this.#jobs.shift();
      if (job === undefined) {
        if (this.#closed) return;
        await new Promise<void>((wake) => this.#idle.push(wake));
        continue;
      }
      this.running++;
      await traceJobStart(id, job.name);
      let ok = true;
      try {
        job.resolve(await job.run());
      } catch (e) {
        ok = false;
        job.reject(e);
      }
      this.running--;
      await traceJobDone(id, job.name, ok);
    }
  }
}
