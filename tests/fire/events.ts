// Events of the generated `fire` tests: one package, three arities.
//trace:event traceNone()
//trace:event traceOne(x: number)
//trace:event traceTwo(a: number, b: string)

export const none = () => traceNone();
export const one = (x: number) => traceOne(x);
export const two = (a: number, b: string) => traceTwo(a, b);
