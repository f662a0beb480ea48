/**
 * The HTTP plumbing shared by the local endpoints: a loopback server for the AWS JSON
 * RPC protocols (`POST /` with `X-Amz-Target: <Prefix>.<Operation>`), and a small
 * keep-alive JSON client for calls from one local server to another.
 */
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { AwsProtocolError } from './aws-error';
import type { CallCounter } from './call-counter';
import { regionFromAuthorization } from './sigv4';

/** The loopback address every local endpoint listens on. */
export const LOOPBACK = '127.0.0.1';

/** One parsed AWS JSON RPC request. */
export interface JsonRequest {
  /** The operation, e.g. `PutEvents` (the part of `X-Amz-Target` after the dot). */
  readonly operation: string;
  /** The request body, `{}` when empty. */
  readonly body: Record<string, unknown>;
  /** The caller's region, from its SigV4 credential scope. */
  readonly region: string;
  readonly headers: IncomingHttpHeaders;
}

/** What a handler answers: a status and a JSON body. */
export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Options of {@link startJsonServer}. */
export interface JsonServerOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** The `X-Amz-Target` prefix the service answers, e.g. `AWSEvents`. */
  readonly targetPrefix: string;
  /** Content type of responses, e.g. `application/x-amz-json-1.1`. */
  readonly contentType: string;
  /** Region of callers whose requests are not SigV4-signed. */
  readonly defaultRegion: string;
  /** Adds DynamoDB's `x-amz-crc32` response header. */
  readonly checksum?: boolean;
  readonly handle: (request: JsonRequest) => Promise<JsonResponse>;
  /**
   * Takes a request before its body is read; answers true when it has handled it
   * (e.g. handed it whole to an in-process server, saving a parse and a second hop).
   */
  readonly bypass?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** A running local server. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Starts a loopback HTTP server for one AWS JSON RPC service. A handler answers with a
 * {@link JsonResponse} or throws an {@link AwsProtocolError}; anything else thrown is
 * answered as a 500 `InternalFailure`.
 *
 * @example
 * const server = await startJsonServer({
 *   targetPrefix: 'AWSEvents', contentType: 'application/x-amz-json-1.1', defaultRegion: 'us-east-1',
 *   handle: async ({ operation }) => ({ status: 200, body: { operation } }),
 * });
 * await server.close();
 */
export async function startJsonServer(options: JsonServerOptions): Promise<LocalServer> {
  const server = createServer((req, res) => {
    if (options.bypass?.(req, res) !== true) void serve(options, req, res);
  });
  return listen(server, options.port ?? 0);
}

/** Answers one operation with the body of a 200 response, or throws an {@link AwsProtocolError}. */
export type OperationHandler = (request: JsonRequest) => unknown;

/** Options of {@link startOperationServer}. */
export interface OperationServerOptions extends Omit<JsonServerOptions, 'handle'> {
  readonly operations: Readonly<Record<string, OperationHandler>>;
  /** Records every call, supported or not. */
  readonly calls: CallCounter;
  /** The error answered for an operation the server does not implement. */
  readonly unsupported: (operation: string) => AwsProtocolError;
}

/**
 * Starts a JSON RPC server dispatching each call to its operation's handler.
 *
 * @example
 * const server = await startOperationServer({
 *   targetPrefix: 'AmazonSQS', contentType: 'application/x-amz-json-1.0', defaultRegion: 'us-east-1', calls: new CallCounter(),
 *   operations: { ListQueues: () => ({ QueueUrls: [] }) },
 *   unsupported: (operation) => new AwsProtocolError(400, 'UnsupportedOperation', `${operation} is not supported`),
 * });
 */
export function startOperationServer(options: OperationServerOptions): Promise<LocalServer> {
  return startJsonServer({
    ...options,
    async handle(request) {
      options.calls.record(request.operation);
      const operation = options.operations[request.operation];
      if (operation === undefined) throw options.unsupported(request.operation);
      return { status: 200, body: await operation(request) };
    },
  });
}

async function serve(options: JsonServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let response: JsonResponse;
  try {
    response = await options.handle(await parseRequest(options, req));
  } catch (error) {
    response = errorResponse(error);
  }
  writeJsonResponse(options, res, response);
}

/** Writes a JSON response with the headers the service's clients expect. */
export function writeJsonResponse(options: Pick<JsonServerOptions, 'contentType' | 'checksum'>, res: ServerResponse, response: JsonResponse): void {
  const payload = JSON.stringify(response.body);
  const headers: OutgoingHttpHeaders = {
    'content-type': options.contentType,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
    ...response.headers,
  };
  if (options.checksum === true) headers['x-amz-crc32'] = String(crc32(payload));
  res.writeHead(response.status, headers).end(payload);
}

/** The operation named by an `X-Amz-Target` header of `prefix`, if it names one. */
export function operationOf(target: unknown, prefix: string): string | undefined {
  const [actual, operation] = String(target ?? '').split('.');
  return actual === prefix && operation !== undefined && operation !== '' ? operation : undefined;
}

async function parseRequest(options: JsonServerOptions, req: IncomingMessage): Promise<JsonRequest> {
  const raw = await readBody(req);
  const operation = operationOf(req.headers['x-amz-target'], options.targetPrefix);
  if (req.method !== 'POST' || operation === undefined) {
    throw new AwsProtocolError(400, 'UnknownOperationException', `expected POST with X-Amz-Target ${options.targetPrefix}.<Operation>`);
  }
  let body: unknown;
  try {
    body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new AwsProtocolError(400, 'SerializationException', `request body is not JSON: ${(error as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AwsProtocolError(400, 'SerializationException', 'request body must be a JSON object');
  }
  return { operation, body: body as Record<string, unknown>, region: regionFromAuthorization(req.headers.authorization, options.defaultRegion), headers: req.headers };
}

function errorResponse(error: unknown): JsonResponse {
  if (error instanceof AwsProtocolError) return { status: error.status, body: error.body, headers: error.headers };
  return { status: 500, body: { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) } };
}

/** The whole body of a request or response. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Listens on 127.0.0.1 and wraps the server as a {@link LocalServer}. A port in use
 * fails with a message naming it.
 *
 * @example
 * const local = await listen(createServer(handler), 0);
 * console.log(local.url); // http://127.0.0.1:41234
 */
export function listen(server: Server, port: number): Promise<LocalServer> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on ${LOOPBACK} is already in use`, { cause: error }) : error);
    };
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      const address = server.address();
      const actual = typeof address === 'object' && address !== null ? address.port : port;
      resolve({ url: `http://${LOOPBACK}:${actual}`, port: actual, close: () => closeServer(server) });
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    // dynalite's close reports success as `null`, Node's as `undefined`.
    server.close((error?: Error | null) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** A keep-alive client posting JSON to one local server. */
export class JsonClient {
  private readonly agent = new Agent({ keepAlive: true });

  constructor(private readonly url: string) {}

  /**
   * Posts `body` and returns the status and the parsed JSON answer.
   *
   * @example
   * const { status, body } = await client.post({ 'x-amz-target': 'DynamoDB_20120810.ListTables' }, {});
   */
  post(headers: OutgoingHttpHeaders, body: unknown): Promise<{ status: number; body: unknown }> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpRequest(this.url, { method: 'POST', agent: this.agent, headers: { ...headers, 'content-length': Buffer.byteLength(payload) } }, (res) => {
        readBody(res).then((raw) => {
          try {
            resolve({ status: res.statusCode ?? 500, body: raw.length === 0 ? {} : JSON.parse(raw.toString('utf8')) });
          } catch (error) {
            reject(new Error(`${this.url} answered ${res.statusCode} with a body that is not JSON`, { cause: error }));
          }
        }, reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}
