// Serves the UI at <base>__tracing/: the page itself (built here, with its styles)
// and its modules, which tsc emits into dist/ (src/dev/ui/*.js and the two runtime
// files they import). Only those files are served; a path is never joined from
// what the request says beyond a name checked against the list.

import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { uiPage } from "./ui-page.ts";

const here = dirname(fileURLToPath(import.meta.url));
/** dist/ when running from it, else the dist/ next to the sources (tests run from src). */
const distRoot = existsSync(join(here, "ui", "main.js")) ? join(here, "..", "..") : join(here, "..", "..", "dist");

const MODULE = /^(src\/dev\/ui\/[a-z-]+\.js|runtime\/(?:trace-events|pattern)\.js|runtime\/live\/(?:limits|format)\.js)$/;

export const UI_PATH = "__tracing/";

type Next = (err?: unknown) => void;

export function createUiMiddleware(base: string) {
  const root = `${base}${UI_PATH}`;
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const url = (req.url ?? "").replace(/[?#].*$/, "");
    if (url === root.slice(0, -1)) {
      res.writeHead(302, { Location: root }).end();
      return;
    }
    if (!url.startsWith(root)) return next();
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    const rest = url.slice(root.length);
    if (rest === "" || rest === "index.html") {
      send(res, "text/html; charset=utf-8", uiPage(base));
      return;
    }
    if (!MODULE.test(rest)) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    const file = join(distRoot, rest);
    if (!existsSync(file)) {
      res.writeHead(500, { "Content-Type": "text/plain" }).end(`unplugin-tracing: ${rest} is missing; build the package first (npm run build)`);
      return;
    }
    send(res, "text/javascript; charset=utf-8", readFileSync(file, "utf8"));
  };
}

function send(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
  res.end(body);
}
