// A trace or attach function of another package of the project, used here: the
// project-wide declaration file lets it type-check, but at run time nothing
// defines it in this package (ReferenceError). Say at the use which package
// declares it and how to reach it. A `traceX` that no package declares is left
// alone: it may well be the user's own.
import { createLineMap, PositionedError } from "../errors.ts";
import { prefixOf } from "../resolve.ts";
import { findPackageDirs } from "../scan.ts";
import { findFreeReferences } from "../scope.ts";
import type { ContextState } from "./state.ts";

/** `traceX` and `traceX_Attach` -> the ids of the project packages that declare traceX. */
type Owners = Map<string, { event: string; packages: string[] }>;

// `trace:` (directives, `trace:` imports) names no function.
const CANDIDATE = /\btrace[A-Za-z0-9_$]*(?![A-Za-z0-9_$:])/g;

export function createForeignUseCheck(state: Pick<ContextState, "root" | "store">) {
  let cached: { root: string; at: number; frozen: boolean; owners: Promise<Owners> } | null = null;

  async function collectOwners(): Promise<Owners> {
    const owners: Owners = new Map();
    for (const dir of await findPackageDirs(state.root)) {
      const pkg = state.store.get(dir);
      for (const ev of pkg.events) {
        for (const name of [ev.name, `${ev.name}_Attach`]) {
          const entry = owners.get(name) ?? { event: ev.name, packages: [] };
          entry.packages.push(pkg.id);
          owners.set(name, entry);
        }
      }
    }
    return owners;
  }

  /** Frozen builds read the project once; watch mode and the dev server look again after a second. */
  function owners(frozen: boolean): Promise<Owners> {
    const now = Date.now();
    if (!cached || cached.root !== state.root || cached.frozen !== frozen || (!frozen && now - cached.at > 1000)) {
      cached = { root: state.root, at: now, frozen, owners: collectOwners() };
    }
    return cached.owners;
  }

  /**
   * Throws at the first free use in `code` of a function another package declares.
   * `own` are the names the module's package provides; `program` is parsed on demand.
   */
  return async function checkForeignUses(
    code: string,
    file: string,
    pkgId: string,
    own: ReadonlySet<string>,
    program: () => any | null,
    frozen: boolean,
  ): Promise<void> {
    const names = new Set<string>();
    for (const m of code.matchAll(CANDIDATE)) if (!own.has(m[0])) names.add(m[0]);
    if (names.size === 0) return;
    const known = await owners(frozen);
    const foreign = new Set([...names].filter((n) => known.has(n)));
    if (foreign.size === 0) return;
    const ast = program();
    if (!ast) return; // the bundler reports syntax errors itself
    const ref = findFreeReferences(ast, code, foreign).sort((a, b) => a.start - b.start)[0];
    if (!ref) return;
    const { event, packages } = known.get(ref.name)!;
    const where = packages.length === 1 ? `package ${packages[0]}` : `packages ${packages.join(", ")}`;
    const spec = packages[0]!;
    const attach = `${prefixOf(spec)}_${event}_Attach`;
    const what = ref.name === event ? `an event of ${where}, callable only there (only attach functions cross packages)` : `an attach function of ${where}`;
    throw new PositionedError(
      file,
      createLineMap(code)(ref.start),
      `${ref.name} is ${what}; to attach from package ${pkgId}, write //trace:import "${spec}" and use ${attach}`,
    );
  };
}
