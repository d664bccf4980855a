import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { TestCertificate } from './tls.js';

export interface FakeRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  /** The body as sent (still gzipped when it was). */
  readonly rawBody: Buffer;
  /** The body after gunzip, when Content-Encoding was gzip. */
  readonly body: Buffer;
}

export interface FakeResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** A failure to inject: an HTTP status, or a request that never gets an answer. */
export type Fault = FakeResponse | { readonly hang: true };

/**
 * An HTTPS server on 127.0.0.1 playing an Azure service: it records every request, answers with
 * the handler, and can fail on demand (the next N requests, or every request).
 */
export class FakeHttpsServer {
  readonly requests: FakeRequest[] = [];
  private readonly queued: Fault[] = [];
  private always: Fault | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(
    certificate: TestCertificate,
    handler: (request: FakeRequest) => FakeResponse,
  ): Promise<FakeHttpsServer> {
    const holder: { fake?: FakeHttpsServer } = {};
    const server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
      void holder.fake?.handle(req, res, handler);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const fake = new FakeHttpsServer(server, `https://127.0.0.1:${address.port}`);
    holder.fake = fake;
    server.on('connection', (socket: Socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    return fake;
  }

  /** Fails the next `times` requests with `fault`. */
  failNext(fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.queued.push(fault);
  }

  failAlways(fault: Fault | undefined): void {
    this.always = fault;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
    handler: (request: FakeRequest) => FakeResponse,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    let body = rawBody;
    if (req.headers['content-encoding'] === 'gzip') {
      try {
        body = gunzipSync(rawBody);
      } catch {
        body = Buffer.from('not gzip');
      }
    }
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', this.url),
      headers: req.headers,
      rawBody,
      body,
    };
    this.requests.push(request);
    const fault = this.queued.shift() ?? this.always;
    if (fault !== undefined && 'hang' in fault) return;
    const response = fault ?? handler(request);
    const payload =
      response.body === undefined
        ? ''
        : typeof response.body === 'string'
          ? response.body
          : JSON.stringify(response.body);
    res.writeHead(response.status, {
      'content-type': 'application/json',
      'x-ms-request-id': `req-${this.requests.length}`,
      ...response.headers,
    });
    res.end(payload);
  }
}
