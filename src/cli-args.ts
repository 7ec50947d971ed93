// How every tstrace command walks its words: an option that wants a value takes the
// next word, or what follows its `=` (`--pid 42` and `--pid=42` are the same).
import { escapeText } from "./dev/escape.ts";

/** Calls `each(word, value)` per word; `value()` takes the option's value, or fails with `command: --x wants a value`. */
export function eachArg(args: readonly string[], command: string, fail: (message: string) => Error, each: (word: string, value: () => string) => void): void {
  for (let i = 0; i < args.length; i++) {
    const raw = args[i]!;
    const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
    const word = eq > 0 ? raw.slice(0, eq) : raw;
    let inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    each(word, () => {
      if (inline !== undefined) {
        const v = inline;
        inline = undefined;
        return v;
      }
      const v = args[++i];
      if (v === undefined) throw fail(`${command}: ${escapeText(word)} wants a value`);
      return v;
    });
    if (inline !== undefined) throw fail(`${command}: ${escapeText(word)} takes no value`);
  }
}

/** Whether the words name `--option`, alone or as `--option=value`. */
export const hasOption = (args: readonly string[], option: string): boolean => args.some((a) => a === option || a.startsWith(`${option}=`));
