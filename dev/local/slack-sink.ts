import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `delayMs` holds the answer back (a slow or hung Slack). */
export interface SinkResponse { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
export interface SinkRequest { at: number; path: string; body: unknown; status: number }

/**
 * A Slack incoming webhook on loopback (127.0.0.1, a free port): records every POST and answers
 * with scripted responses (429 with Retry-After, 500, 404…), then 200 "ok" like Slack.
 */
export class SlackSink {
  readonly requests: SinkRequest[] = [];
  private readonly script: SinkResponse[] = [];
  private readonly server: Server;
  /** The webhook URL; its path stands for the secret part of a real one. */
  url = '';
  /** Stamps each request's `at`; a test that drives the notifier on a manual clock stamps with that clock. */
  now: () => number = () => performance.now();

  private constructor(server: Server) {
    this.server = server;
  }

  static async start(secretPath = '/services/T0LOCAL/B0LOCAL/local-webhook-secret-token'): Promise<SlackSink> {
    let sink!: SlackSink;
    const server = createServer((req, res) => sink.handle(req, res));
    sink = new SlackSink(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${secretPath}`;
    return sink;
  }

  /** The next responses, in order; after them every request gets 200 "ok". */
  respond(...responses: SinkResponse[]): void {
    this.script.push(...responses);
  }

  /** Successful posts (the messages Slack would show). */
  delivered(): unknown[] {
    return this.requests.filter((r) => r.status === 200).map((r) => r.body);
  }

  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try { body = JSON.parse(text); } catch { /* recorded as text */ }
      const next = this.script.shift() ?? { status: 200, body: 'ok' };
      this.requests.push({ at: this.now(), path: req.url ?? '', body, status: next.status });
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(next.status, { 'content-type': 'text/plain', ...(next.headers ?? {}) });
        res.end(next.body ?? (next.status === 200 ? 'ok' : ''));
      };
      if (next.delayMs) setTimeout(answer, next.delayMs).unref();
      else answer();
    });
  }
}
