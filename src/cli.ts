#!/usr/bin/env node
// tstrace: list a project's events, write its declaration file, watch a dev server.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { relative, resolve } from "node:path";
import { buildDir } from "./build-dir.ts";
import { eachArg, hasOption } from "./cli-args.ts";
import { escapeText } from "./dev/escape.ts";
import { createContext } from "./context.ts";
import { watch, WATCH_HELP, WatchUsageError } from "./dev/watch.ts";
import { generateDts } from "./dts.ts";
import { PositionedError } from "./errors.ts";
import { installedLibraries } from "./manifest.ts";
import { AttachError } from "./attach/target.ts";
import { listPid, watchPid, WATCH_PID_HELP } from "./attach/watch-pid.ts";
import { findPackageDirs } from "./scan.ts";
import { createUnreadWarnings } from "./sfc/unread.ts";
import { dtsReachWarning } from "./tsconfig-reach.ts";

const HELP = `tstrace: Go-style tracepoints for TypeScript and JavaScript

usage:
  tstrace list <dir|spec>...       print the events of packages as package:event lines, sorted
                                   (dir/... lists every package below dir)
  tstrace gen [--root DIR] [--out FILE] [--check]
                                   write the declaration file (default tracing-env.d.ts in the root);
                                   --check writes nothing and exits 1 if the file is missing or stale
  tstrace build <outDir> [--src DIR] [--name NAME] [--root DIR]
                                   rewrite in place the JavaScript tsc emitted into outDir (a library
                                   that does not bundle): package modules, source maps, tracing.json
${WATCH_HELP}${WATCH_PID_HELP}  tstrace help                     show this text
`;

class UsageError extends Error {}

/** Node's resolver, for specs naming npm packages when no bundler is around. */
const nodeResolve = (root: string) => async (spec: string) => {
  try {
    return createRequire(resolve(root, "index.js")).resolve(spec);
  } catch {
    return null;
  }
};

async function list(args: string[]): Promise<number> {
  if (args.length === 0) throw new UsageError("list: want at least one directory or spec");
  // No spec or directory starts with "-" (write ./-dir): an option here is a typo, not a package.
  const option = args.find((a) => a.startsWith("-"));
  if (option !== undefined) throw new UsageError(`list: unknown option ${escapeText(option)} (list takes directories and specs, or --pid PID)`);
  const root = process.cwd();
  const ctx = createContext({ root, dts: false });
  const lines = new Set<string>();
  let failed = false;
  const report = (errors: PositionedError[]) => {
    for (const e of errors) process.stderr.write(`${e.message}\n`), (failed = true);
  };
  for (const arg of args) {
    let dirs: string[];
    if (arg.endsWith("/...")) {
      dirs = await findPackageDirs(resolve(root, arg.slice(0, -4)));
    } else {
      const asPath = resolve(root, arg);
      if (existsSync(asPath) && statSync(asPath).isDirectory()) {
        dirs = [asPath];
      } else {
        // A spec: a package of this project, or of an installed library (its manifest).
        const found = await ctx.findPackage(arg, resolve(root, "index.js"), nodeResolve(root)).catch((err: Error) => {
          process.stderr.write(`tstrace: ${err.message}\n`);
          return undefined;
        });
        if (found === undefined) {
          failed = true;
          continue;
        }
        if (!found) {
          process.stderr.write(`tstrace: ${arg}: no package found\n`);
          failed = true;
          continue;
        }
        if (!found.model) {
          for (const ev of found.events) lines.add(`${found.id}:${ev.name}`);
          continue;
        }
        dirs = [found.model.dir];
      }
    }
    for (const dir of dirs) {
      const pkg = ctx.store.get(dir);
      report(pkg.errors);
      const { errors } = await ctx.resolveImports(pkg, nodeResolve(root));
      report(errors);
      for (const ev of pkg.events) lines.add(`${pkg.id}:${ev.name}`);
    }
  }
  for (const line of [...lines].sort()) process.stdout.write(`${line}\n`);
  return failed ? 1 : 0;
}

async function gen(args: string[]): Promise<number> {
  let root = process.cwd();
  let out: string | undefined;
  let check = false;
  eachArg(args, "gen", (m) => new UsageError(m), (a, value) => {
    if (a === "--root") root = resolve(value());
    else if (a === "--out") out = value();
    else if (a === "--check") check = true;
    else throw new UsageError(`gen: unknown argument ${escapeText(a)}`);
  });
  const ctx = createContext({ root, dts: out ? resolve(process.cwd(), out) : undefined });
  let failed = false;
  for (const dir of await findPackageDirs(root)) {
    for (const e of ctx.store.get(dir).errors) process.stderr.write(`${e.message}\n`), (failed = true);
  }
  if (check) return failed ? 1 : checkDts(ctx, root, out);
  const errors = await ctx.writeDts(nodeResolve(root));
  for (const e of errors) process.stderr.write(`${e.message}\n`), (failed = true);
  for (const w of createUnreadWarnings(() => root, () => false).fromScan()) process.stderr.write(`warning: ${w}\n`);
  // The script runs gen right before tsc: say now if tsc will not see the file it wrote.
  const unseen = dtsReachWarning(root, resolve(root, ctx.options.dts || "tracing-env.d.ts"));
  if (unseen) process.stderr.write(`warning: ${unseen}\n`);
  return failed ? 1 : 0;
}

/** CI's question: is the committed declaration file what the directives say now? */
async function checkDts(ctx: ReturnType<typeof createContext>, root: string, out: string | undefined): Promise<number> {
  const file = resolve(root, ctx.options.dts || "tracing-env.d.ts");
  const { text, errors } = generateDts(file, await ctx.projectPackages(nodeResolve(root)), installedLibraries(root));
  for (const e of errors) process.stderr.write(`${e.message}\n`);
  if (errors.length > 0) return 1;
  let current: string | null = null;
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // missing
  }
  if (current === text) return 0;
  const again = `tstrace gen${out ? ` --out ${out}` : ""}`;
  process.stderr.write(`tstrace: ${relative(process.cwd(), file) || file} is ${current === null ? "missing" : "out of date with the //trace: directives"}; run \`${again}\` and commit it\n`);
  return 1;
}

async function build(args: string[]): Promise<number> {
  let root = process.cwd();
  let src = "src";
  let name: string | undefined;
  const dirs: string[] = [];
  eachArg(args, "build", (m) => new UsageError(m), (a, value) => {
    if (a === "--root") root = resolve(value());
    else if (a === "--src") src = value();
    else if (a === "--name") name = value();
    else if (a.startsWith("-")) throw new UsageError(`build: unknown argument ${escapeText(a)}`);
    else dirs.push(a);
  });
  if (dirs.length !== 1) throw new UsageError("build: want one output directory (what tsc emitted into)");
  const outDir = resolve(root, dirs[0]!);
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) throw new UsageError(`build: ${dirs[0]} is not a directory (run tsc first)`);
  if (name === undefined) {
    try {
      name = (JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as { name?: string }).name;
    } catch {
      // reported below
    }
    if (!name) throw new UsageError("build: no package.json with a name in the root; pass --name");
  }
  const { errors } = await buildDir({ root, outDir, srcDir: src, name, resolve: nodeResolve(root) });
  for (const e of errors) process.stderr.write(`${e.message}\n`);
  return errors.length > 0 ? 1 : 0;
}

/** Terminal io for watch; with `sigterm`, SIGTERM stops it as Ctrl-C does (and detaches). */
const stdio = (sigterm: boolean) => ({
  stdout: (t: string) => void process.stdout.write(t),
  drained: () => (process.stdout.writableNeedDrain ? new Promise<void>((r) => process.stdout.once("drain", () => r())) : Promise.resolve()),
  stderr: (t: string) => void process.stderr.write(t),
  stopped: new Promise<void>((r) => {
    process.once("SIGINT", () => r());
    if (sigterm) process.once("SIGTERM", () => r());
  }),
});

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "list":
      return hasOption(rest, "--pid") ? listPid(rest, stdio(false)) : list(rest);
    case "gen":
      return gen(rest);
    case "build":
      return build(rest);
    case "watch":
      return hasOption(rest, "--pid") ? watchPid(rest, stdio(true)) : watch(rest, stdio(true));
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(HELP);
      return 0;
    default:
      throw new UsageError(cmd ? `unknown command ${cmd}` : "no command");
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError || err instanceof WatchUsageError) {
      process.stderr.write(`tstrace: ${err.message} (tstrace help shows the usage)\n`);
      process.exitCode = 2;
    } else {
      const known = err instanceof PositionedError || err instanceof AttachError;
      process.stderr.write(`${known ? `${err instanceof AttachError ? "tstrace: " : ""}${err.message}` : `tstrace: ${err?.stack ?? err}`}\n`);
      process.exitCode = 1;
    }
  },
);
