// The seed's example: two events around saying hello.

//trace:event traceHelloPre(who: string)
//trace:event traceHello(who: string)

export function sayHello(who: string): string {
  traceHelloPre(who);
  const text = `Hello, ${who}`;
  traceHello(who);
  return text;
}
