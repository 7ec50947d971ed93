// The one place browser tests get a Chromium: the system's, else the one @sparticuz/chromium
// ships inside its npm package (no download at install time), so `npm test` passes on a
// machine with nothing but Node and npm. TRACING_NO_SYSTEM_CHROMIUM=1 ignores the system's.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
    const staging = `${dir}.${process.pid}.tmp`;
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
  return { executablePath, source: "@sparticuz/chromium", env: { FONTCONFIG_FILE: join(dir, "fonts.conf") } };
}
