// The README's greeter: each call of `greet` is one "thread" that says Hi, then
// Hello, pausing at each trace call while a tracetest checks the event.
//trace:event traceHi(who: string)
//trace:event traceHello(who: string)

export async function sayHi(who: string): Promise<void> {
  await traceHi(who);
}

export async function sayHello(who: string): Promise<void> {
  await traceHello(who);
}

export async function greet(who: string): Promise<void> {
  await sayHi(who);
  await sayHello(who);
}
