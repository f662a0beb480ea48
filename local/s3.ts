/**
 * A local S3 endpoint for what Concord stores there (quarantined payloads too large for
 * a queue message): the REST protocol of @aws-sdk/client-s3 in path style
 * (`http://127.0.0.1:<port>/<bucket>/<key>`, which the SDK uses for an IP endpoint),
 * errors as S3's XML documents. Supported: CreateBucket, HeadBucket, PutObject,
 * GetObject, HeadObject, DeleteObject, ListObjectsV2 (prefix, max-keys, continuation).
 * Buckets are global, as on AWS; objects live in memory. Bodies sent with the SDK's
 * `aws-chunked` encoding (streams of unknown length) are decoded.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { CallCounter } from './call-counter';
import { ClientPool, localClientConfig } from './client-config';
import { listen, readBody } from './http';
import { Recorder } from './recorder';

/** An object as the local S3 holds it. */
export interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: Date;
}

/** Options of {@link startLocalS3}. */
export interface LocalS3Options {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Region of {@link LocalS3.client} (default `us-east-1`). */
  readonly region?: string;
  /** Called for every object written. */
  readonly onObject?: (object: StoredObject) => void;
}

/** A running local S3 endpoint. */
export interface LocalS3 {
  readonly endpoint: string;
  readonly region: string;
  readonly calls: CallCounter;
  /** Every object ever written (overwritten and deleted ones included), oldest first. */
  readonly written: Recorder<StoredObject>;
  /** Creates a bucket (idempotent). */
  createBucket(name: string): void;
  /** The object under `key`, if any. */
  object(bucket: string, key: string): StoredObject | undefined;
  /** The objects a bucket holds now, by key. */
  objects(bucket: string): StoredObject[];
  /** A client with dummy credentials; destroyed by {@link LocalS3.close}. */
  client(config?: Partial<S3ClientConfig>): S3Client;
  close(): Promise<void>;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MAX_KEYS = 1000;

/** An S3 error: HTTP status, code and message, answered as S3's XML document. */
class S3Error extends Error {
  override readonly name = 'S3Error';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const noSuchBucket = (bucket: string): S3Error => new S3Error(404, 'NoSuchBucket', `The specified bucket does not exist: ${bucket}`);

/**
 * Starts a local S3 endpoint on 127.0.0.1.
 *
 * @example
 * const s3 = await startLocalS3();
 * s3.createBucket('concord-payloads-dev');
 * await s3.client().send(new PutObjectCommand({ Bucket: 'concord-payloads-dev', Key: 'a.json', Body: '{}' }));
 * await s3.close();
 */
export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const region = options.region ?? 'us-east-1';
  const buckets = new Map<string, Map<string, StoredObject>>();
  const calls = new CallCounter();
  const written = new Recorder<StoredObject>();
  const clients = new ClientPool();

  const bucketOf = (name: string): Map<string, StoredObject> => {
    const bucket = buckets.get(name);
    if (bucket === undefined) throw noSuchBucket(name);
    return bucket;
  };
  const objectOf = (bucket: string, key: string): StoredObject => {
    const object = bucketOf(bucket).get(key);
    if (object === undefined) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    return object;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [bucket = '', ...rest] = url.pathname.slice(1).split('/');
    const key = decodeURIComponent(rest.join('/'));
    const method = req.method ?? 'GET';
    if (bucket === '') throw new S3Error(400, 'InvalidRequest', 'The local S3 answers path-style requests only: /<bucket>/<key>');
    if (key === '') {
      if (method === 'PUT') {
        calls.record('CreateBucket');
        await readBody(req);
        if (!BUCKET_NAME.test(bucket)) throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.');
        if (!buckets.has(bucket)) buckets.set(bucket, new Map());
        return void res.writeHead(200, { location: `/${bucket}` }).end();
      }
      if (method === 'HEAD') {
        calls.record('HeadBucket');
        bucketOf(bucket);
        return void res.writeHead(200).end();
      }
      if (method === 'GET' && url.searchParams.get('list-type') === '2') {
        calls.record('ListObjectsV2');
        return sendXml(res, 200, listObjects(bucket, bucketOf(bucket), url.searchParams));
      }
      throw new S3Error(405, 'MethodNotAllowed', `${method} on a bucket is not supported by the local S3`);
    }
    switch (method) {
      case 'PUT': {
        calls.record('PutObject');
        const target = bucketOf(bucket);
        const body = decodeBody(req, await readBody(req));
        const object: StoredObject = { bucket, key, body, contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'), etag: `"${createHash('md5').update(body).digest('hex')}"`, lastModified: new Date() };
        target.set(key, object);
        written.push(object);
        options.onObject?.(object);
        return void res.writeHead(200, { etag: object.etag }).end();
      }
      case 'GET':
      case 'HEAD': {
        calls.record(method === 'GET' ? 'GetObject' : 'HeadObject');
        const object = objectOf(bucket, key);
        res.writeHead(200, { 'content-type': object.contentType, 'content-length': object.body.length, etag: object.etag, 'last-modified': object.lastModified.toUTCString() });
        return void res.end(method === 'GET' ? object.body : undefined);
      }
      case 'DELETE':
        calls.record('DeleteObject');
        bucketOf(bucket).delete(key);
        return void res.writeHead(204).end();
      default:
        throw new S3Error(405, 'MethodNotAllowed', `${method} is not supported by the local S3`);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const failure = error instanceof S3Error ? error : new S3Error(500, 'InternalError', error instanceof Error ? error.message : String(error));
      req.resume();
      // A HEAD answer has no body, as on S3: the SDK reads the code from the status.
      if (req.method === 'HEAD') return void res.writeHead(failure.status).end();
      sendXml(res, failure.status, `<Error><Code>${failure.code}</Code><Message>${escapeXml(failure.message)}</Message><RequestId>${randomUUID()}</RequestId></Error>`);
    });
  });
  const local = await listen(server, options.port ?? 0);

  return {
    endpoint: local.url,
    region,
    calls,
    written,
    createBucket(name) {
      if (!buckets.has(name)) buckets.set(name, new Map());
    },
    object: (bucket, key) => buckets.get(bucket)?.get(key),
    objects: (bucket) => [...(buckets.get(bucket)?.values() ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1)),
    client: (config = {}) => clients.track(new S3Client({ ...localClientConfig(local.url, region), forcePathStyle: true, ...config })),
    async close() {
      clients.destroyAll();
      await local.close();
    },
  };
}

function listObjects(name: string, bucket: Map<string, StoredObject>, params: URLSearchParams): string {
  const prefix = params.get('prefix') ?? '';
  const maxKeys = Math.min(Number(params.get('max-keys') ?? MAX_KEYS), MAX_KEYS);
  const after = params.get('continuation-token') ?? params.get('start-after') ?? '';
  const keys = [...bucket.keys()].filter((key) => key.startsWith(prefix) && key > after).sort();
  const page = keys.slice(0, maxKeys);
  const truncated = keys.length > page.length;
  const contents = page
    .map((key) => bucket.get(key) as StoredObject)
    .map((object) => `<Contents><Key>${escapeXml(object.key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>${escapeXml(object.etag)}</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`)
    .join('');
  const next = truncated ? `<NextContinuationToken>${escapeXml(page[page.length - 1] as string)}</NextContinuationToken>` : '';
  return `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${escapeXml(name)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`;
}

/** The object's bytes: an `aws-chunked` body (the SDK's streaming upload with a trailing checksum) is decoded. */
function decodeBody(req: IncomingMessage, raw: Buffer): Buffer {
  if (!String(req.headers['content-encoding'] ?? '').includes('aws-chunked')) return raw;
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(raw.subarray(offset, lineEnd).toString('latin1').split(';')[0] as string, 16);
    if (!(size > 0)) break;
    chunks.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks);
}

function sendXml(res: ServerResponse, status: number, body: string): void {
  const payload = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(payload), 'x-amz-request-id': randomUUID() }).end(payload);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
