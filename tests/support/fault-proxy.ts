import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request. */
export type Fault =
  | 'pass'
  /** The connection is destroyed before any answer (a dropped connection: ECONNRESET). */
  | 'reset'
  /** The upstream answer with its body cut in half (truncated JSON). */
  | 'truncate'
  /** No answer at all until the proxy closes (a stuck server). */
  | 'hang'
  /** The upstream answer, sent only after `delayMs` (a slow server). */
  | { delayMs: number }
  | { status: number; headers?: Record<string, string>; body?: unknown };

export interface ProxiedRequest {
  method: string;
  path: string;
  /** ms since epoch when the request arrived. */
  at: number;
  fault: Fault;
}

export interface FaultProxy {
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of a local fake (GitHub, Jira) that injects faults: `decide` sees each
 * request (method, path with query, and how many requests with this path came before) and picks
 * a fault. The fakes stay exact; faults are what a network and an overloaded server add.
 */
export async function startFaultProxy(
  target: string,
  decide: (request: { method: string; path: string; seen: number }) => Fault,
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const seen = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    const count = seen.get(path) ?? 0;
    seen.set(path, count + 1);
    const fault = decide({ method: req.method ?? 'GET', path, seen: count });
    requests.push({ method: req.method ?? 'GET', path, at: Date.now(), fault });
    if (fault === 'hang') return;
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (typeof fault === 'object' && 'status' in fault) {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify(fault.body ?? { message: `injected ${fault.status}` }));
      return;
    }
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          let body = Buffer.concat(chunks);
          if (fault === 'truncate') body = body.subarray(0, Math.floor(body.length / 2));
          const headers = { ...answer.headers };
          delete headers['content-length'];
          delete headers['transfer-encoding'];
          const answerNow = () => {
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(body.length) });
            res.end(body);
          };
          if (typeof fault === 'object' && 'delayMs' in fault) setTimeout(answerNow, fault.delayMs);
          else answerNow();
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Resolves with the first request through `proxy` that `matches`, once it has arrived; rejects
 * with the process's output when `child` exits first or after 90 s.
 */
export async function waitForProxiedRequest(
  proxy: FaultProxy,
  matches: (request: ProxiedRequest) => boolean,
  child: { child: { exitCode: number | null }; output(): string },
): Promise<ProxiedRequest> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const found = proxy.requests.find(matches);
    if (found) return found;
    if (Date.now() > deadline || child.child.exitCode !== null) throw new Error(child.output());
    await new Promise((r) => setTimeout(r, 50));
  }
}
