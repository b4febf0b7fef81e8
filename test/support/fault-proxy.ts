import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMutating } from '../../shared/aws/calls.ts';

/**
 * A fault-injection proxy for the tests: an HTTP server on loopback in front of the test's moto server.
 * The product's SDK clients reach it through AWS_ENDPOINT_URL; it forwards every request, numbers each
 * AWS call (service + operation) and fails call k in one of four ways, each shaped the way that service's
 * protocol reports it, so the SDK raises the same error it would raise against AWS.
 */
export type FaultKind =
  /** The service's throttling answer (EC2 RequestLimitExceeded 503, query Throttling 400, JSON ThrottlingException 400, EKS 429, S3 SlowDown 503). */
  | 'throttle'
  /** A 5xx from the service (InternalError / InternalFailure / ServerException). */
  | 'server-error'
  /** The connection drops before the request reaches the service: nothing happened. */
  | 'drop-request'
  /** The request reached the service (the write happened) and the connection drops before the answer. */
  | 'drop-response';

export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'server-error', 'drop-request', 'drop-response'];

export type Protocol = 'ec2' | 'query' | 'json' | 'rest-json' | 'rest-xml';

export interface AwsCall {
  /** 1-based position in the run. */
  n: number;
  /** The SigV4 signing name (ec2, autoscaling, elasticloadbalancing, eks, events, sqs, s3, dynamodb…). */
  service: string;
  operation: string;
  protocol: Protocol;
  /** Not a read (Describe/List/Get/…): the call may change something. */
  mutating: boolean;
  /** The fault this call was answered with, if any. */
  fault?: FaultKind;
}

export class FaultProxy {
  readonly endpoint: string;
  private readonly server: Server;
  private readonly target: URL;
  private log: AwsCall[] = [];
  private armed: { at: number; kind: FaultKind } | undefined;

  private constructor(server: Server, target: URL) {
    this.server = server;
    this.target = target;
    this.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(targetEndpoint: string): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = createServer((req, res) => { void proxy!.handle(req, res); });
    // The SDK keeps connections alive: let the proxy close idle ones quickly so `stop()` never waits.
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new FaultProxy(server, new URL(targetEndpoint));
    return proxy;
  }

  /** Forget the calls seen so far and disarm. */
  reset(): void {
    this.log = [];
    this.armed = undefined;
  }

  /** Fail the `at`-th AWS call from now on (1-based, counted since the last reset) with `kind`. */
  failCall(at: number, kind: FaultKind): void {
    this.armed = { at, kind };
  }

  calls(): readonly AwsCall[] {
    return this.log;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const call = identify(req.method ?? 'GET', req.url ?? '/', req.headers, body);
    if (!call) {
      // Not an AWS call (e.g. moto's own API): pass through, uncounted.
      return this.forward(req, body, res, false);
    }
    const n = this.log.length + 1;
    const fault = this.armed?.at === n ? this.armed.kind : undefined;
    this.log.push({ n, ...call, ...(fault ? { fault } : {}) });
    if (fault === 'drop-request') {
      req.socket.destroy();
      return;
    }
    if (fault === 'drop-response') return this.forward(req, body, res, true);
    if (fault) {
      const { status, headers, payload } = faultAnswer(call.protocol, fault);
      res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(payload), 'x-amzn-requestid': `fault-${n}` });
      res.end(payload);
      return;
    }
    return this.forward(req, body, res, false);
  }

  private forward(req: IncomingMessage, body: Buffer, res: ServerResponse, dropAnswer: boolean): Promise<void> {
    return new Promise((resolve) => {
      const upstream = request({
        host: this.target.hostname, port: this.target.port, method: req.method, path: req.url,
        headers: { ...req.headers, host: this.target.host },
      }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          // The service acted on the request; the client never learns how it went.
          if (dropAnswer) req.socket.destroy();
          else {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
          }
          resolve();
        });
      });
      upstream.on('error', () => { req.socket.destroy(); resolve(); });
      upstream.end(body);
    });
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const QUERY_SERVICES = new Set(['autoscaling', 'elasticloadbalancing', 'iam', 'sts', 'sns', 'cloudformation', 'rds']);

/** Service and operation of an AWS request, from its SigV4 scope and its protocol's operation field. */
export function identify(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): Omit<AwsCall, 'n' | 'fault'> | undefined {
  const call = operationOf(method, url, headers, body);
  return call && { ...call, mutating: call.protocol.startsWith('rest') ? method !== 'GET' && method !== 'HEAD' : isMutating(call.operation) };
}

function operationOf(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): Omit<AwsCall, 'n' | 'fault' | 'mutating'> | undefined {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(String(headers.authorization ?? ''));
  if (!scope) return undefined;
  const service = scope[1]!;
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return { service, operation: target.split('.').pop()!, protocol: 'json' };
  const form = String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(body.toString('utf8')).get('Action') ?? undefined
    : undefined;
  if (service === 'ec2') return { service, operation: form ?? 'Unknown', protocol: 'ec2' };
  if (form || QUERY_SERVICES.has(service)) return { service, operation: form ?? 'Unknown', protocol: 'query' };
  const path = new URL(url, 'http://x').pathname;
  if (service === 's3') return { service, operation: s3Operation(method, path), protocol: 'rest-xml' };
  // REST paths alternate literal and parameter segments: /clusters/{name}/node-groups/{nodegroup}.
  const shape = path.split('/').filter(Boolean).map((seg, i) => (i % 2 === 0 ? seg : '{}')).join('/');
  return { service, operation: `${method} /${shape}`, protocol: 'rest-json' };
}

function s3Operation(method: string, path: string): string {
  const hasKey = path.split('/').filter(Boolean).length > 1;
  const verb = { GET: 'Get', PUT: 'Put', DELETE: 'Delete', HEAD: 'Head', POST: 'Post' }[method] ?? method;
  return `${verb}${hasKey ? 'Object' : 'Bucket'}`;
}

/**
 * The error a service of that protocol answers. Shapes: EC2 (Query "ec2" protocol) `<Response><Errors>`,
 * other Query services `<ErrorResponse><Error>` with a Type, JSON protocols `__type` (+ x-amzn-ErrorType),
 * REST-JSON the x-amzn-ErrorType header, S3 `<Error>`.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 * https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html (RequestLimitExceeded)
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 * https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 * https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html
 */
export function faultAnswer(protocol: Protocol, kind: 'throttle' | 'server-error'): { status: number; headers: Record<string, string>; payload: string } {
  const throttle = kind === 'throttle';
  const xml = { 'content-type': 'text/xml' };
  switch (protocol) {
    case 'ec2': {
      const code = throttle ? 'RequestLimitExceeded' : 'InternalError';
      return { status: throttle ? 503 : 500, headers: xml, payload: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${throttle ? 'Request limit exceeded.' : 'An internal error has occurred.'}</Message></Error></Errors><RequestID>fault</RequestID></Response>` };
    }
    case 'query': {
      const [code, type] = throttle ? ['Throttling', 'Sender'] : ['InternalFailure', 'Receiver'];
      return { status: throttle ? 400 : 500, headers: xml, payload: `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${throttle ? 'Rate exceeded' : 'Internal failure'}</Message></Error><RequestId>fault</RequestId></ErrorResponse>` };
    }
    case 'json': {
      const code = throttle ? 'ThrottlingException' : 'InternalFailure';
      return { status: throttle ? 400 : 500, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code }, payload: JSON.stringify({ __type: code, message: throttle ? 'Rate exceeded' : 'Internal failure' }) };
    }
    case 'rest-json': {
      const code = throttle ? 'ThrottlingException' : 'ServerException';
      return { status: throttle ? 429 : 500, headers: { 'content-type': 'application/json', 'x-amzn-errortype': code }, payload: JSON.stringify({ message: throttle ? 'Rate exceeded' : 'Internal failure' }) };
    }
    case 'rest-xml': {
      const code = throttle ? 'SlowDown' : 'InternalError';
      return { status: throttle ? 503 : 500, headers: { 'content-type': 'application/xml' }, payload: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${throttle ? 'Please reduce your request rate.' : 'We encountered an internal error. Please try again.'}</Message><RequestId>fault</RequestId></Error>` };
    }
  }
}
