//trace:event traceHi(who: string)
//trace:event traceHello(who: string)
export async function greet(who: string) {
  await traceHi(who);
  await traceHello(who);
}
