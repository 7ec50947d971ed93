import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { findChromium, launchChromium } from "../helpers/chromium.ts";

// CI runs the browser tests a second time with TRACING_NO_SYSTEM_CHROMIUM=1: this proves that
// run really drove the Chromium inside the npm package, as a machine without one would.
it("issue 11: browser tests drive the packaged Chromium when the system's is switched off", async () => {
  const bin = await findChromium();
  const packaged = JSON.parse(readFileSync(new URL("../../node_modules/@sparticuz/chromium/package.json", import.meta.url), "utf8")) as { version: string };
  if (process.env.TRACING_NO_SYSTEM_CHROMIUM === "1") expect(bin.source).toBe("@sparticuz/chromium");
  if (bin.source === "@sparticuz/chromium") {
    // NSS, NSPR and expat come from the package too: a machine without a browser has none.
    const libs = bin.env!.LD_LIBRARY_PATH!.split(":")[0]!;
    for (const lib of ["libnss3.so", "libnspr4.so", "libexpat.so.1"]) expect(existsSync(join(libs, lib))).toBe(true);
  }
  const browser = await launchChromium();
  try {
    const major = browser.version().split(".")[0];
    if (bin.source === "@sparticuz/chromium") expect(major).toBe(packaged.version.split(".")[0]);
    const page = await browser.newPage();
    await page.setContent("<p id=p>ok</p>");
    expect(await page.textContent("#p")).toBe("ok");
  } finally {
    await browser.close();
  }
});
