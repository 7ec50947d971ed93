// The one place browser tests get a Chromium: the system's, else the one @sparticuz/chromium
// ships inside its npm package (no download at install time), so `npm test` passes on a
// machine with nothing but Node and npm: with the libraries it ships beside it, the
// packaged binary needs only glibc's from the system (checked with ldd).
// TRACING_NO_SYSTEM_CHROMIUM=1 ignores the system's.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type LaunchOptions } from "playwright-core";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/** Flags every test launch uses: quiet, no sandbox (CI runs as root), nothing phoning home. */
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface ChromiumBinary {
  executablePath: string;
  /** Where it came from, for messages. */
  source: "system" | "@sparticuz/chromium";
  /** Extra environment for the browser process (the packaged one brings its own fonts). */
  env?: Record<string, string>;
}

let found: Promise<ChromiumBinary> | undefined;

export function findChromium(): Promise<ChromiumBinary> {
  found ??= process.env.TRACING_NO_SYSTEM_CHROMIUM !== "1" && existsSync(SYSTEM_CHROMIUM)
    ? Promise.resolve({ executablePath: SYSTEM_CHROMIUM, source: "system" })
    : unpackPackaged();
  return found;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const bin = await findChromium();
  return chromium.launch({
    headless: true,
    ...options,
    executablePath: bin.executablePath,
    args: [...ARGS, ...(options.args ?? [])],
    ...(bin.env ? { env: { ...process.env, ...bin.env } as Record<string, string> } : {}),
  });
}

/**
 * The package unpacks into `tmpdir()` at a fixed path, shared by every process and version.
 * Unpack instead into a directory of our own per version, built aside and renamed into
 * place, so test files running in parallel workers never launch a half-written binary.
 */
async function unpackPackaged(): Promise<ChromiumBinary> {
  const manifest = fileURLToPath(new URL("../../node_modules/@sparticuz/chromium/package.json", import.meta.url));
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  const dir = join(tmpdir(), `unplugin-tracing-chromium-${version}`);
  const executablePath = join(dir, "chromium");
  if (!existsSync(executablePath)) {
    const { default: packaged } = await import("@sparticuz/chromium");
    const staging = `${dir}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`; // workers may share a pid (threads)
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    // The package reads tmpdir() synchronously when it starts unpacking: point it at staging.
    const before = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    let unpacking: Promise<string>;
    try {
      unpacking = packaged.executablePath();
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
    await unpacking;
    // The few shared libraries it needs beyond glibc (NSS, NSPR, expat), which a machine
    // without a browser may lack: the package ships them for Amazon Linux, and they load here.
    unpackLibraries(join(dirname(manifest), "bin/al2023.tar.br"), join(staging, "lib"));
    // Its fonts.conf names fixed directories; ours names where the fonts are, then the system's.
    writeFileSync(
      join(staging, "fonts.conf"),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, "fonts")}</dir>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <cachedir>${join(dir, "fonts-cache")}</cachedir>\n</fontconfig>\n`,
    );
    try {
      renameSync(staging, dir);
    } catch {
      // another worker got there first: use its copy
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const libraries = [join(dir, "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  return { executablePath, source: "@sparticuz/chromium", env: { FONTCONFIG_FILE: join(dir, "fonts.conf"), LD_LIBRARY_PATH: libraries } };
}

/** The regular files under `lib/` of a brotli-compressed tar, flat into `into`. */
function unpackLibraries(archive: string, into: string): void {
  const tar = brotliDecompressSync(readFileSync(archive));
  mkdirSync(into, { recursive: true });
  for (let at = 0; at + 512 <= tar.length; ) {
    const name = tar.toString("utf8", at, at + 100).replace(/\0.*$/s, "");
    if (name === "") break;
    const size = parseInt(tar.toString("utf8", at + 124, at + 136).replace(/\0.*$/s, "").trim() || "0", 8);
    const type = String.fromCharCode(tar[at + 156]!);
    if ((type === "0" || type === "\0") && /^lib\/[^/]+$/.test(name)) writeFileSync(join(into, basename(name)), tar.subarray(at + 512, at + 512 + size), { mode: 0o755 });
    at += 512 + Math.ceil(size / 512) * 512;
  }
}
