// What the recorder and the profiler need from the host: Node built-ins when there
// are any, web APIs otherwise. Built-ins come from process.getBuiltinModule (Node ≥
// 20.16) rather than imports, so browser bundles never try to resolve node:*.

/** A Node built-in module, or undefined outside Node. */
export function nodeBuiltin<T>(id: string): T | undefined {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    return proc?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/** Writes `data` to `path` (Node only). */
export async function writeFileAt(path: string, data: Uint8Array | string, what: string): Promise<void> {
  const fs = nodeBuiltin<typeof import("node:fs")>("node:fs");
  if (fs === undefined) throw new Error(`unplugin-tracing/${what}: writeFile needs Node ≥ 20.16; use toBlob() in browsers`);
  await fs.promises.writeFile(path, data);
}

/** Gzips bytes: node:zlib in Node, CompressionStream in browsers. */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const zlib = nodeBuiltin<typeof import("node:zlib")>("node:zlib");
  if (zlib !== undefined) return new Uint8Array(zlib.gzipSync(bytes));
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
