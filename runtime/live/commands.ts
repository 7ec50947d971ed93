// Checks of what the server sends a page. The server validates too; the page does
// not rely on it: a malformed command is refused and reported, never applied.

import { checkPatterns } from "./limits.ts";
import type { CollectMessage, ConfigureMessage } from "./protocol.ts";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The command, or the reason it is refused. */
export function checkConfigure(data: unknown): ConfigureMessage | string {
  if (!isRecord(data)) return "configure: want an object";
  const why = checkPatterns(data.patterns, true);
  if (why) return `configure: ${why}`;
  if (typeof data.stacks !== "boolean") return "configure: stacks must be a boolean";
  return { patterns: [...(data.patterns as string[])], stacks: data.stacks };
}

export function checkCollect(data: unknown): CollectMessage | string {
  if (!isRecord(data) || !Number.isSafeInteger(data.request)) return "collect: want { request: integer }";
  return { request: data.request as number };
}
