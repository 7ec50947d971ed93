// The plugin's work, independent of any bundler. This file only holds the state
// the pieces share and wires them: specs -> packages (context/find-package.ts),
// resolveId (context/resolve-ids.ts), load (context/load.ts) and transform
// (context/transform-module.ts). Hooks in index.ts only call into this.
import { relative, resolve, sep } from "node:path";
import type { DtsPackage } from "./dts.ts";
import { createFileWriter } from "./file-writer.ts";
import { resolveOptions, type Options, type ResolvedOptions } from "./options.ts";
import { createPackageStore, packageId, type PackageStore } from "./packages.ts";
import type { BundlerResolve } from "./resolve.ts";
import { findPackageDirs } from "./scan.ts";
import { createPackageFinder } from "./context/find-package.ts";
import { createIdResolver } from "./context/resolve-ids.ts";
import { createLoader } from "./context/load.ts";
import { createModuleTransformer } from "./context/transform-module.ts";
import { createPluginOrderCheck } from "./context/plugin-order.ts";
import { RUNTIME_DIR } from "./ids.ts";
import { isExcluded } from "./options.ts";
import { isPackageMember } from "./packages.ts";
import type { ContextState } from "./context/state.ts";

export type { FoundPackage } from "./context/state.ts";
export type { Loaded } from "./context/load.ts";
export type { Transformed } from "./context/transform-module.ts";

export function createContext(rawOptions: Options = {}) {
  const options: ResolvedOptions = resolveOptions(rawOptions);
  let root = options.root ?? process.cwd();
  // A library's ids are `<name>/<dir below library.dir>`, as an app imports them.
  const idOf = (dir: string): string => {
    const lib = options.library;
    const rel = lib ? relative(resolve(root, lib.dir), dir).split(sep).join("/") : "..";
    return lib && !rel.startsWith("..") ? (rel === "" ? lib.name : `${lib.name}/${rel}`) : packageId(root, dir);
  };
  let store: PackageStore = createPackageStore(root, idOf);
  let frozen = false;
  let newMember: (dir: string) => void = () => {};

  const state: ContextState = {
    options,
    get root() {
      return root;
    },
    get store() {
      return store;
    },
    get frozen() {
      return frozen;
    },
    loadedMembers: new Map(),
    newMember: (dir) => newMember(dir),
    get files() {
      return files;
    },
  };
  const finder = createPackageFinder(state);
  const pluginOrder = createPluginOrderCheck(state);

  /** The project's packages with their imports, as the declaration file and the CLI see them. */
  async function projectPackages(bundler: BundlerResolve | null): Promise<DtsPackage[]> {
    const out: DtsPackage[] = [];
    for (const dir of await findPackageDirs(root)) {
      const pkg = store.get(dir);
      if (pkg.errors.length > 0) continue; // reported when its modules are built
      const { imports } = await finder.resolveImports(pkg, bundler);
      out.push({ pkg, imports: imports.map((i) => ({ prefix: i.prefix, events: i.found.events })) });
    }
    return out;
  }

  const files = createFileWriter(options, () => root, projectPackages);

  return {
    options,
    get root() {
      return root;
    },
    get store() {
      return store;
    },
    setRoot(r: string): void {
      if (options.root || r === root) return;
      root = r;
      store = createPackageStore(root, idOf);
      store.freeze(frozen);
    },
    /** A build that watches nothing reads each package once; watch mode and the dev server re-check files. */
    setWatching(watching: boolean): void {
      frozen = !watching;
      store.freeze(frozen);
    },
    resolveId: createIdResolver(state, finder),
    load: createLoader(state, finder),
    transform: createModuleTransformer(state, finder),
    /** esbuild: the first module with tracing among `inputs` that our transform never saw (another plugin's onLoad answered). */
    findUnseen(inputs: readonly string[], seen: ReadonlySet<string>) {
      const ours = inputs.filter((p) => isPackageMember(p) && !isExcluded(options, p) && !p.startsWith(RUNTIME_DIR + sep));
      return pluginOrder.findUnseen(ours, seen);
    },
    resolveImports: finder.resolveImports,
    findPackage: finder.findPackage,
    projectPackages,
    /** Writes the declaration file (and a library's manifest) if changed; returns types it cannot name. */
    writeDts: files.write,
    /** At the end of a build: write now what a pending rewrite would have. */
    flushDts: files.flush,
    /** Called when a module joins a package after its virtual module was loaded. */
    onNewMember(fn: (dir: string) => void) {
      newMember = fn;
    },
  };
}
