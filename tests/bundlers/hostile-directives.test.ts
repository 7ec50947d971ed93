// Hostile directive text fails the build with a clear, escaped `file:line:column:`
// message instead of crashing the bundler process or writing raw control characters
// to the user's terminal (found by trying the package as a new user would).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";

const plugin = new URL("../../dist/src/esbuild.js", import.meta.url).href;
const esbuildUrl = pathToFileURL(createRequire(import.meta.url).resolve("esbuild")).href;

/**
 * Builds `src/p/m.ts` holding `source` with esbuild and the plugin, in a child process:
 * a native crash of the parser kills that process, not the test runner.
 */
function buildMessage(source: string): { status: number | null; signal: string | null; message: string } {
  const dir = mkdtempSync(join(tmpdir(), "trace-hostile-"));
  mkdirSync(join(dir, "src/p"), { recursive: true });
  writeFileSync(join(dir, "src/p/m.ts"), source);
  const script = [
    `const { default: esbuild } = await import(${JSON.stringify(esbuildUrl)});`,
    `const { default: tracing } = await import(${JSON.stringify(plugin)});`,
    "try {",
    '  await esbuild.build({ entryPoints: ["src/p/m.ts"], bundle: true, write: false, logLevel: "silent", plugins: [tracing({ root: process.cwd(), dts: false })] });',
    '  process.stdout.write("built");',
    "} catch (e) { process.stdout.write(e.errors.map((x) => x.text).join(\"\\n\")); }",
  ].join("\n");
  try {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { status: 0, signal: null, message: out };
  } catch (err) {
    const e = err as { status: number | null; signal: string | null; stdout: string; stderr: string };
    return { status: e.status, signal: e.signal, message: e.stdout + e.stderr };
  }
}

it("a deeply nested parameter type is refused, not a parser crash (SIGSEGV)", () => {
  const deep = buildMessage(`//trace:event traceDeep(a: ${"Array<".repeat(6000)}string${">".repeat(6000)})\n`);
  expect(deep.signal).toBe(null);
  expect(deep.message).toBe("src/p/m.ts:1:15: event traceDeep: the signature has 42020 characters, more than the 2000 a directive may have (name a type declared in a .ts module instead)");
  // Nesting without brackets (a chain of arrows) recurses as deep.
  const arrows = buildMessage(`//trace:event traceArrows(f: ${"() => ".repeat(30000)}void)\n`);
  expect(arrows.signal).toBe(null);
  expect(arrows.message).toMatch(/^src\/p\/m\.ts:1:15: event traceArrows: the signature has 180\d{3} characters, more than the 2000 /);
  expect(buildMessage("//trace:event traceFine(a: Array<Array<string>>, b: (x: number) => void)\n").message).toBe("built");
});

it("control characters of a directive reach the error message escaped", () => {
  const controls = /[\u0000-\u0008\u000b-\u001f\u007f]/;
  const spec = buildMessage('//trace:import "a\\u0000b\\u001b[31m"\n');
  expect(spec.message).not.toMatch(controls);
  expect(spec.message).toBe('src/p/m.ts:1:16: import: malformed spec "a\\u0000b\\u001b[31m"');
  const sig = buildMessage("//trace:event traceC(a: string)\u001b[2J\n");
  expect(sig.message).toBe("src/p/m.ts:1:15: event: traceC(a: string)\\u001b[2J is not a call signature like traceC(arg: type)");
  const verb = buildMessage("//trace:evnt\u0007 x\n");
  expect(verb.message).toBe("src/p/m.ts:1:1: unknown directive //trace:evnt\\u0007 (want //trace:event or //trace:import)");
});
