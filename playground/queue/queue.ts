// A job queue with concurrent workers; each job does a (simulated) request.
import { fetchJob } from "../net/net.ts";

//trace:event traceJobQueued(job: number, kind: string)
//trace:event traceJobStart(worker: number, job: number)
//trace:event traceJobDone(worker: number, job: number, ok: boolean)

interface Job {
  id: number;
  kind: string;
}

export class Queue {
  readonly #waiting: Job[] = [];
  #idle: Array<() => void> = [];
  #next = 1;
  done = 0;

  constructor(workers: number) {
    for (let w = 1; w <= workers; w++) void this.#work(w);
  }

  push(kind: string): number {
    const job = { id: this.#next++, kind };
    traceJobQueued(job.id, kind);
    this.#waiting.push(job);
    this.#idle.shift()?.();
    return job.id;
  }

  async #work(worker: number): Promise<never> {
    for (;;) {
      const job = this.#waiting.shift();
      if (!job) {
        await new Promise<void>((wake) => this.#idle.push(wake));
        continue;
      }
      await traceJobStart(worker, job.id);
      const status = await fetchJob(`/api/${job.kind}/${job.id}`);
      this.done++;
      await traceJobDone(worker, job.id, status === 200);
    }
  }
}
