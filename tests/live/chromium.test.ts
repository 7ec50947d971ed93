import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { findChromium, launchChromium } from "../helpers/chromium.ts";

// CI runs the browser tests a second time with TRACING_NO_SYSTEM_CHROMIUM=1: this proves that
// run really drove the Chromium inside the npm package, as a machine without one would.
it("issue 11: browser tests drive the packaged Chromium when the system's is switched off", async () => {
  const bin = await findChromium();
  const packaged = JSON.parse(readFileSync(new URL("../../node_modules/@sparticuz/chromium/package.json", import.meta.url), "utf8")) as { version: string };
  if (process.env.TRACING_NO_SYSTEM_CHROMIUM === "1") expect(bin.source).toBe("@sparticuz/chromium");
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
