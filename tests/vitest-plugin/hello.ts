// The README's thirty-second example, run by Vitest through the Vite plugin.
//trace:event traceHelloPre(who: string)
//trace:event traceHello(who: string)

export function sayHello(who: string): string {
  traceHelloPre(who);
  const text = `Hello, ${who}`;
  traceHello(who);
  return text;
}
