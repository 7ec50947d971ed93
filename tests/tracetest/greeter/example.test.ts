import { describe, it } from "vitest";
import { scenarios } from "./scenarios.ts";

describe("tracetest: the example scenarios", () => {
  for (const s of scenarios) it(s.name, s.fn);
});
