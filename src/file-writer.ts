// The files the plugin writes beside the build: the declaration file, and in
// library mode the manifest. Written at build start, again while watching when a
// package's directives change (at most every 200 ms), and at build end if needed.
import { resolve } from "node:path";
import type { PositionedError } from "./errors.ts";
import { generateDts, writeIfChanged, type DtsPackage } from "./dts.ts";
import { installedLibraries, writeManifest } from "./manifest.ts";
import type { ResolvedOptions } from "./options.ts";
import type { PackageModel } from "./packages.ts";
import type { BundlerResolve } from "./resolve.ts";

type ProjectPackages = (bundler: BundlerResolve | null) => Promise<DtsPackage[]>;

export function createFileWriter(options: ResolvedOptions, root: () => string, projectPackages: ProjectPackages) {
  const enabled = options.dts !== false || options.library !== undefined;
  /** Writes in progress: a transform meanwhile needs no rewrite of its own. */
  let writing = 0;
  /** What the files last said of each package, to rewrite them only when directives change. */
  const written = new Map<string, string>();
  const keyOf = (pkg: PackageModel) =>
    JSON.stringify([pkg.events.map((e) => [e.name, e.params, e.pos]), pkg.imports.map((i) => [i.name, i.spec])]);
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function writeNow(bundler: BundlerResolve | null): Promise<PositionedError[]> {
    const packages = await projectPackages(bundler);
    for (const p of packages) written.set(p.pkg.dir, keyOf(p.pkg));
    if (options.library) writeManifest(root(), options.library.name, packages.map((p) => p.pkg));
    if (options.dts === false) return [];
    const out = resolve(root(), options.dts);
    const { text, errors } = generateDts(out, packages, installedLibraries(root()));
    writeIfChanged(out, text);
    return errors;
  }

  async function write(bundler: BundlerResolve | null): Promise<PositionedError[]> {
    if (!enabled) return [];
    writing++;
    try {
      return await writeNow(bundler);
    } finally {
      writing--;
    }
  }

  return {
    write,

    /** A transform saw this package: schedule a rewrite if its directives changed. */
    changed(pkg: PackageModel, bundler: BundlerResolve | null): void {
      if (!enabled || writing > 0 || timer || written.get(pkg.dir) === keyOf(pkg)) return;
      timer = setTimeout(() => {
        timer = null;
        write(bundler).catch(() => {});
      }, 200);
      timer.unref?.();
    },

    async flush(bundler: BundlerResolve | null): Promise<void> {
      if (!timer) return;
      clearTimeout(timer);
      timer = null;
      await write(bundler);
    },

    /** Parameter types of a package that the declaration file cannot name. */
    unnameable(pkg: PackageModel): PositionedError[] {
      if (options.dts === false) return [];
      return generateDts(resolve(root(), options.dts), [{ pkg, imports: [] }]).errors;
    },
  };
}
