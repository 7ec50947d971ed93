// What the context's pieces share: options, the root and its package store, and
// which members each package had when its virtual module was generated.
import type { EventDirective } from "../directives.ts";
import type { createFileWriter } from "../file-writer.ts";
import type { ManifestEvent } from "../manifest.ts";
import type { ResolvedOptions } from "../options.ts";
import type { PackageModel, PackageStore } from "../packages.ts";

export interface ContextState {
  readonly options: ResolvedOptions;
  /** The project root; set once Vite's config is known. */
  readonly root: string;
  readonly store: PackageStore;
  /** A build that watches nothing: files do not change under it. */
  readonly frozen: boolean;
  /** Members of each package as its virtual module was last generated. */
  readonly loadedMembers: Map<string, Set<string>>;
  /** Called when a module joins a package after its virtual module was loaded. */
  newMember(dir: string): void;
  /** The declaration file and manifest writer. */
  readonly files: ReturnType<typeof createFileWriter>;
}

/** A package found for a spec: a directory of this project, or a prebuilt library's package. */
export interface FoundPackage {
  virtualId: string;
  id: string;
  events: ReadonlyArray<EventDirective | ManifestEvent>;
  model: PackageModel | null;
}
