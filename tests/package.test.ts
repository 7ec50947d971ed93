// The package as a user installs it (issue 2, item 1): `npm pack`, install the tarball
// into a fresh project, build it with a plain vite.config.mjs on Node 20, run the output,
// and run the `tstrace` bin.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const repo = fileURLToPath(new URL("..", import.meta.url));
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

it("installs from a tarball and builds a project with a plain vite.config.mjs", () => {
  const work = mkdtempSync(join(tmpdir(), "trace-pack-"));
  const tarball = npm(["pack", "--silent", "--pack-destination", work], repo).trim().split("\n").pop()!;
  const app = join(work, "app");
  mkdirSync(join(app, "src/hello"), { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "pack-app", private: true, type: "module" }));
  writeFileSync(join(app, "src/hello/hello.ts"), "//trace:event traceHello(who: string)\nexport function hi(who: string) {\n  traceHello(who);\n}\n");
  writeFileSync(
    join(app, "src/main.ts"),
    [
      'import { setup } from "unplugin-tracing/runtime";',
      'import { hello_traceHello_Attach } from "trace:src/hello";',
      'import { hi } from "./hello/hello.ts";',
      "const seen: string[] = [];",
      "setup(() => hello_traceHello_Attach(null, (w) => seen.push(w)));",
      'hi("packed");',
      "console.log(JSON.stringify(seen));",
    ].join("\n"),
  );
  writeFileSync(
    join(app, "vite.config.mjs"),
    'import tracing from "unplugin-tracing/vite";\nexport default { logLevel: "warn", plugins: [tracing()], build: { ssr: "src/main.ts", outDir: "out" } };\n',
  );
  const vite = JSON.parse(readFileSync(join(repo, "node_modules/vite/package.json"), "utf8")).version;
  npm(["install", "--prefer-offline", "--no-audit", "--no-fund", join(work, tarball), `vite@${vite}`], app);
  execFileSync(join(app, "node_modules/.bin/vite"), ["build"], { cwd: app, stdio: "pipe" });
  expect(execFileSync(process.execPath, ["out/main.js"], { cwd: app, encoding: "utf8" })).toBe('["packed"]\n');
  expect(readFileSync(join(app, "tracing-env.d.ts"), "utf8")).toContain('declare module "trace:src/hello"');
  expect(execFileSync(join(app, "node_modules/.bin/tstrace"), ["list", "src/hello"], { cwd: app, encoding: "utf8" })).toBe("src/hello:traceHello\n");

  // The dev server of the installed package serves the live UI and its modules, and
  // the package's own source maps resolve (no "points to missing source files" warning).
  const runtime = "@fs" + join(app, "node_modules/unplugin-tracing/dist/runtime");
  const probe = [
    'const { createServer, createLogger } = await import("vite");',
    "const warnings = [];",
    "const logger = createLogger();",
    "logger.warn = logger.warnOnce = (msg) => warnings.push(msg);",
    'const server = await createServer({ customLogger: logger, server: { port: 0, host: "127.0.0.1" } });',
    "await server.listen();",
    "const url = server.resolvedUrls.local[0];",
    "const out = [];",
    `for (const path of ["__tracing/", "__tracing/src/dev/ui/main.js", "__tracing/src/cli.js", "src/main.ts", "${runtime}/tracing.js", "${runtime}/live/client.js", "${runtime}/recorder.js"]) out.push((await fetch(url + path)).status);`,
    "await server.close();",
    "console.log(JSON.stringify({ out, warnings }));",
  ].join("\n");
  const served = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", probe], { cwd: app, encoding: "utf8" }));
  expect(served).toEqual({ out: [200, 200, 404, 200, 200, 200, 200], warnings: [] });
}, 120_000);
