// Tasks: the async context an event was signalled from, for the recorder's tracks.
//
// JS has no goroutine ids, and Node's executionAsyncId() changes at every await
// (it is 0 in promise continuations unless promise hooks are on), so it cannot name
// a logical task. A task is therefore declared: `task(name, fn)` runs fn in a new
// task, and everything async that fn starts stays in it (AsyncLocalStorage). Code
// outside any task belongs to the main task. Browsers have no AsyncLocalStorage:
// there a task covers only the synchronous part of fn (up to its first await or
// callback); what runs later is on the main task again.
//
// "Starts" means what AsyncLocalStorage means: a callback or continuation runs in
// the task that was current where it was scheduled. Work handed to a long-lived
// loop (a queue's worker, a pool) runs in the task that started that loop, not in
// the one that enqueued it; the recorder's `taskOf` names the task at the event
// when the arguments know better.
//
// node:async_hooks is reached through process.getBuiltinModule (Node ≥ 20.16), not
// an import, so browser bundles neither resolve nor ship it.

import { nodeBuiltin } from "./host.ts";

/** A logical thread of execution; the recorder draws one track per task. */
export interface Task {
  readonly id: number;
  readonly name: string;
}

interface Storage {
  run<R>(store: Task, fn: () => R): R;
  getStore(): Task | undefined;
}

interface TaskState {
  next: number;
  als: Storage | null;
  /** Without AsyncLocalStorage: the task whose `fn` is running synchronously now. */
  sync?: Task | undefined;
}

/** The task of code that runs outside `task()`. */
export const MAIN_TASK: Task = Object.freeze({ id: 1, name: "main" });

// Shared per realm, like the registry: two copies of this module must agree on ids.
const KEY = Symbol.for("unplugin-tracing.tasks.v1");
const state: TaskState = ((globalThis as Record<symbol, unknown>)[KEY] ??= { next: 2, als: createStorage() } satisfies TaskState) as TaskState;

function createStorage(): Storage | null {
  const hooks = nodeBuiltin<{ AsyncLocalStorage?: new () => Storage }>("node:async_hooks");
  return hooks?.AsyncLocalStorage ? new hooks.AsyncLocalStorage() : null;
}

/**
 * Runs `fn` as a new task called `name` and returns what it returns. Events signalled
 * by fn, and by everything async it starts, are recorded on that task's track.
 * Where async contexts are not supported (browsers) only what fn runs before it
 * returns (its first await) is on the task.
 */
export function task<R>(name: string, fn: () => R): R {
  const als = state.als;
  if (als !== null) return als.run(newTask(name), fn);
  const outer = state.sync;
  state.sync = newTask(name);
  try {
    return fn();
  } finally {
    state.sync = outer;
  }
}

/** @internal A task with a fresh id, for the recorder's `taskOf`: ids stay unique across both. */
export function newTask(name: string): Task {
  return Object.freeze({ id: state.next++, name: String(name) });
}

/** The task the caller runs in; `MAIN_TASK` outside any task. */
export function currentTask(): Task {
  // Until a task has been made (ids start at 2) everything is on main: no storage lookup.
  if (state.next === 2) return MAIN_TASK;
  return (state.als !== null ? state.als.getStore() : state.sync) ?? MAIN_TASK;
}

/** Whether `task()` follows async contexts here (Node), or only its synchronous part (browsers). */
export function tasksSupported(): boolean {
  return state.als !== null;
}
