// transform: rewrite a module of a package that declares or imports events, and
// check the names its `trace:` imports ask for.
import { dirname, sep } from "node:path";
import { parseModule, readDirectives } from "../directives.ts";
import { createLineMap, PositionedError } from "../errors.ts";
import { cleanId, isVirtualId, packageVirtualId, RUNTIME_DIR } from "../ids.ts";
import { isExcluded } from "../options.ts";
import { isPackageMember, type PackageModel } from "../packages.ts";
import { isWellFormedSpec, prefixOf, type BundlerResolve } from "../resolve.ts";
import { rewriteModule, type TransformResult } from "../transform.ts";
import { signatureOf } from "../virtual.ts";
import { componentImportAt } from "../sfc/component.ts";
import { createForeignUseCheck } from "./foreign-calls.ts";
import { createPluginOrderCheck } from "./plugin-order.ts";
import type { PackageFinder } from "./find-package.ts";
import type { ContextState, FoundPackage } from "./state.ts";

export interface Transformed {
  result: TransformResult | null;
  watchFiles: string[];
}

export function createModuleTransformer(state: ContextState, finder: PackageFinder) {
  const checkForeignUses = createForeignUseCheck(state);
  const pluginOrder = createPluginOrderCheck(state);

  /** `import { hello_traceNope_Attach } from "trace:src/hello"` names something the package lacks: say where. */
  async function checkTraceImports(path: string, code: string, program: any, bundler: BundlerResolve | null): Promise<void> {
    const at = createLineMap(code);
    const file = state.store.display(path);
    for (const st of program.body) {
      if (st.type !== "ImportDeclaration" || !String(st.source.value).startsWith("trace:")) continue;
      const spec = String(st.source.value).slice(6);
      const fail = (node: { start: number }, reason: string) => {
        throw new PositionedError(file, at(node.start), reason);
      };
      if (!isWellFormedSpec(spec)) fail(st.source, `import ${JSON.stringify(`trace:${spec}`)}: malformed spec`);
      let pkg: FoundPackage | null = null;
      try {
        pkg = await finder.findPackage(spec, path, bundler);
      } catch (err) {
        fail(st.source, (err as Error).message);
      }
      if (!pkg) return fail(st.source, `import "trace:${spec}": no package found`);
      if (pkg.events.length === 0) fail(st.source, `import "trace:${spec}": package ${pkg.id} does not export anything trace-related`);
      const prefix = prefixOf(spec);
      const names = new Set(pkg.events.map((e) => `${prefix}_${e.name}_Attach`));
      for (const s of st.specifiers) {
        if (s.type !== "ImportSpecifier") fail(s, `import "trace:${spec}": only named imports are supported (import { ${[...names][0]} } from ...)`);
        const name = s.imported.name ?? s.imported.value;
        if (!names.has(name)) fail(s, `import "trace:${spec}": package ${pkg.id} has no ${name} (it has ${[...names].join(", ")})`);
      }
    }
  }

  /** A trace call passing more arguments than its event has parameters: they would be dropped without a word. */
  function callCheck(pkg: PackageModel, file: string, code: string) {
    const params = new Map(pkg.events.map((e) => [e.name, e]));
    let at: ReturnType<typeof createLineMap> | undefined;
    return (event: string, args: number | null, offset: number): void => {
      const ev = params.get(event);
      if (ev === undefined || args === null || args <= ev.params.length) return;
      const n = ev.params.length;
      throw new PositionedError(file, (at ??= createLineMap(code))(offset), `${signatureOf(ev.name, ev.params)} takes ${n} argument${n === 1 ? "" : "s"}; this call passes ${args} (the rest would be dropped)`);
    };
  }

  return async function transform(code: string, id: string, bundler: BundlerResolve | null): Promise<Transformed> {
    const { options, store } = state;
    const path = cleanId(id);
    const none: Transformed = { result: null, watchFiles: [] };
    // Our own runtime is skipped too, wherever it is installed (a linked checkout, say).
    if (id.startsWith("\0") || isVirtualId(id) || !isPackageMember(path) || isExcluded(options, path) || path.startsWith(RUNTIME_DIR + sep)) return none;
    // A module with a query is a part of a file (a component's script block, say): not comparable with the file.
    if (id === path) pluginOrder.checkIncoming(path, code);
    const dir = dirname(path);
    // Parsed at most once: for the module's own directives and for the rewrite.
    let parsed: ReturnType<typeof parseModule> | undefined;
    const parse = () => (parsed ??= parseModule(path, code));
    const pkg = store.get(dir, { path, code, directives: () => readDirectives(path, store.display(path), code, parse().comments) });
    const members = state.loadedMembers.get(dir);
    if (members && !members.has(path)) {
      members.add(path);
      state.newMember(dir);
    }
    const own = store.display(path);
    const ownErrors = pkg.errors.filter((e) => e.file === own);
    if (ownErrors.length > 0) throw ownErrors[0];
    const ownNames = new Set(pkg.events.flatMap((e) => [e.name, `${e.name}_Attach`]));
    await checkForeignUses(code, own, pkg.id, ownNames, () => (parse().errors.length > 0 ? null : parse().program), state.frozen);
    const importsTrace = /["']trace:/.test(code);
    if (pkg.events.length === 0 && pkg.imports.length === 0 && !importsTrace) return none;
    const { program, errors: syntaxErrors } = parse();
    if (syntaxErrors.length > 0) return none; // the bundler reports syntax errors itself
    if (importsTrace) await checkTraceImports(path, code, program, bundler);
    if (pkg.events.length === 0 && pkg.imports.length === 0) return none;
    const { imports, errors } = await finder.resolveImports(pkg, bundler);
    const ownImportErrors = errors.filter((e) => e.file === own);
    if (ownImportErrors.length > 0) throw ownImportErrors[0];
    const others = new Set<string>();
    for (const imp of imports) for (const e of imp.events) others.add(`${imp.prefix}_${e.name}_Attach`);
    const result = rewriteModule(code, path, program, { events: new Set(pkg.events.map((e) => e.name)), others, checkCall: callCheck(pkg, own, code) }, packageVirtualId(state.root, dir), options.strip, componentImportAt(path, code));
    state.files.changed(pkg, bundler);
    return { result, watchFiles: pkg.files.filter((f) => f !== path) };
  };
}
