import { describe, it } from "vitest";
import { goScenarios } from "./go-example.ts";
import { scenarios } from "./scenarios.ts";

describe("tracetest: the example scenarios", () => {
  for (const s of scenarios) it(s.name, s.fn);
});

describe("tracetest: Go's example tests, the same reports line by line", () => {
  for (const s of goScenarios) it(s.name, s.fn);
});
