// A simulated network: requests take a random while and sometimes fail.

//trace:event traceRequest(id: number, url: string)
//trace:event traceResponse(id: number, status: number, ms: number)

let nextId = 1;

export async function fetchJob(url: string): Promise<number> {
  const id = nextId++;
  await traceRequest(id, url);
  const ms = 20 + Math.round(Math.random() * 180);
  await new Promise((r) => setTimeout(r, ms));
  const status = Math.random() < 0.1 ? 503 : 200;
  await traceResponse(id, status, ms);
  return status;
}
