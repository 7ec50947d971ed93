// Virtual ids name a package's directory relative to the root (issue 10, item 6),
// in a form a dev-server URL keeps: `..` segments would be removed by the browser.
import { join } from "node:path";
import { expect, it } from "vitest";
import { fromRootPath, packageVirtualId, rootPath } from "../src/ids.ts";

it("writes directories relative to the root, outside it with ^ for each level up, and reads them back", () => {
  const root = "/home/u/app";
  const cases: Array<[string, string]> = [
    [root, "."],
    [join(root, "src/hello"), "src/hello"],
    ["/home/u/lib/src", "^/lib/src"],
    ["/home/other/pkg", "^/^/other/pkg"],
  ];
  for (const [dir, written] of cases) {
    expect(rootPath(root, dir)).toBe(written);
    expect(fromRootPath(root, written)).toBe(dir);
  }
  expect(packageVirtualId(root, join(root, "src/hello"))).toBe("trace-pkg:src/hello");
  // What URL parsing (the browser's, Node's) does to `..` segments, and does not to `^`.
  expect(new URL("http://x/@id/trace-pkg:../../other/pkg").pathname).toBe("/@id/other/pkg");
  expect(new URL("http://x/@id/trace-pkg:^/^/other/pkg").pathname).toBe("/@id/trace-pkg:^/^/other/pkg");
});
