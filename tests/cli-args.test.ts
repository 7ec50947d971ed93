// The words of every tstrace command: `--option value` and `--option=value` mean the same.
import { expect, it } from "vitest";
import { eachArg, hasOption } from "../src/cli-args.ts";

const walk = (args: string[]) => {
  const seen: string[] = [];
  eachArg(args, "watch", (m) => new Error(m), (a, value) => {
    if (a === "--pid" || a === "--out") seen.push(`${a}=${value()}`);
    else seen.push(a);
  });
  return seen;
};

it("takes an option's value from the next word or after its =", () => {
  expect(walk(["--pid", "42", "src/**", "--out=a=b.json", "--json"])).toEqual(["--pid=42", "src/**", "--out=a=b.json", "--json"]);
  expect(walk(["--pid=42"])).toEqual(["--pid=42"]);
  expect(hasOption(["list", "--pid=7"], "--pid")).toBe(true);
  expect(hasOption(["--pidx"], "--pid")).toBe(false);
});

it("says which option wants a value, or takes none, with control characters escaped", () => {
  expect(() => walk(["--pid"])).toThrow("watch: --pid wants a value");
  expect(() => walk(["--json=1"])).toThrow("watch: --json takes no value");
  expect(() => walk(["--\u001b[2J=1"])).toThrow(/watch: --\\u001b\[2J takes no value/);
});
