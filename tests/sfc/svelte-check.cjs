// Runs svelte-check with the TypeScript 5 API: the project's own `typescript` is 7,
// which svelte-check 4 cannot drive (it asks for TypeScript 6 beside it). Its
// `require("typescript...")` calls are pointed at the typescript5 alias instead.
const Module = require("node:module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const r = request === "typescript" || request.startsWith("typescript/") ? `typescript5${request.slice("typescript".length)}` : request;
  return resolve.call(this, r, ...rest);
};
require("svelte-check/bin/svelte-check");
