// An HTTP proxy between one sync client and the server, under the test's control: it can take the client offline
// (refusing and cutting every connection), and act on chosen requests (drop the response after the server has
// handled the request, cut a response half-way, or run any action first, such as killing a process).
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type Fault =
  | { kind: 'drop-response' }
  | { kind: 'cut-after-bytes'; bytes: number }
  | { kind: 'before'; action: () => Promise<void> }
  /** Forwards the request and runs the action at the same moment (a server killed while handling it). */
  | { kind: 'during'; action: () => Promise<void> };

export interface FaultRule {
  matches(method: string, path: string): boolean;
  fault: Fault;
  /** How many requests it applies to. */
  times: number;
}

export async function startFaultProxy(target: () => string) {
  let online = true;
  const sockets = new Set<Socket>();
  const rules: FaultRule[] = [];
  let applied = 0;

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, onResponse?: (upstream: IncomingMessage) => void) => {
    const upstream = request(`${target()}${incoming.url}`, { method: incoming.method, headers: incoming.headers }, (response) => {
      if (onResponse) return onResponse(response);
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.socket?.destroy());
    incoming.pipe(upstream);
    return upstream;
  };

  const server = createServer(async (incoming, outgoing) => {
    if (!online) return incoming.socket.destroy();
    const rule = rules.find((r) => r.times > 0 && r.matches(incoming.method ?? 'GET', incoming.url ?? '/'));
    if (!rule) return forward(incoming, outgoing);
    rule.times--;
    applied++;
    const { fault } = rule;
    if (fault.kind === 'during') {
      forward(incoming, outgoing);
      void fault.action().catch(() => {});
      return;
    }
    if (fault.kind === 'before') {
      await fault.action().catch(() => {});
      return incoming.socket.destroy();
    }
    if (fault.kind === 'drop-response') {
      // The server handles the request to the end; the client never hears the answer.
      forward(incoming, outgoing, (response) => {
        response.resume();
        response.on('end', () => incoming.socket.destroy());
      });
      return;
    }
    forward(incoming, outgoing, (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      let sent = 0;
      response.on('data', (chunk: Buffer) => {
        const room = fault.bytes - sent;
        if (room > 0) outgoing.write(chunk.subarray(0, room));
        sent += chunk.length;
        if (sent >= fault.bytes) {
          response.destroy();
          incoming.socket.destroy();
        }
      });
      // A response shorter than the cut passes whole, and the cut waits for a response long enough to cut: left
      // open, it hung the client until its timeout, whenever the request happened to find nothing new.
      response.on('end', () => {
        if (sent >= fault.bytes) return;
        rule.times++;
        applied--;
        outgoing.end();
      });
    });
  });
  server.on('connection', (socket) => {
    if (!online) return socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    url,
    get online() {
      return online;
    },
    setOnline(value: boolean) {
      online = value;
      if (!value) for (const socket of sockets) socket.destroy();
    },
    addRule(rule: FaultRule) {
      rules.push(rule);
    },
    applied: () => applied,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
