// Installed by `npm link` or a `file:` dependency, the package is a symlink to a
// directory outside the project (issue 10, item 7): the dev server must still serve
// the live client the page loads from there (Vite's server.fs.allow refused it: 403).
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "vite";
import { expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));

it("serves the live client of a linked install, and the page's traced modules", async () => {
  const app = mkdtempSync(join(tmpdir(), "trace-link-"));
  mkdirSync(join(app, "node_modules"));
  mkdirSync(join(app, "hello"));
  symlinkSync(repo, join(app, "node_modules/unplugin-tracing"), "dir");
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "link-app", private: true, type: "module" }));
  writeFileSync(join(app, "index.html"), '<!doctype html><script type="module" src="/main.ts"></script>\n');
  writeFileSync(join(app, "main.ts"), 'import { hi } from "./hello/hello.ts";\nhi("a");\n');
  writeFileSync(join(app, "hello/hello.ts"), "//trace:event traceHello(who: string)\nexport function hi(who: string) {\n  traceHello(who);\n}\n");
  // Through the link, as the app's vite.config would import it (Node follows it to the real path).
  const { default: tracing } = (await import(join(app, "node_modules/unplugin-tracing/dist/src/vite.js"))) as { default: (o?: object) => any };
  const server = await createServer({ root: app, configFile: false, logLevel: "silent", server: { port: 0, host: "127.0.0.1" }, plugins: [tracing({ dts: false })] });
  try {
    await server.listen();
    const base = server.resolvedUrls!.local[0]!;
    const html = await (await fetch(base)).text();
    const client = /<script type="module" src="(\/@fs\/[^"]+\/live\/client\.js)"/.exec(html)?.[1];
    expect(client, html).toBeDefined();
    expect(client).toContain(repo.replace(/\/$/, "")); // outside the app: the case this is about
    const statuses = [];
    for (const path of [client!, "/main.ts", "/hello/hello.ts", "/@id/trace-pkg:hello"]) statuses.push([path.replace(repo, "<repo>/"), (await fetch(base + path.slice(1))).status]);
    expect(statuses).toEqual([
      [client!.replace(repo, "<repo>/"), 200],
      ["/main.ts", 200],
      ["/hello/hello.ts", 200],
      ["/@id/trace-pkg:hello", 200],
    ]);
  } finally {
    await server.close();
  }
});
