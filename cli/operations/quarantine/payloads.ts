/**
 * Quarantined records stored apart from their queue message: a message too large for
 * the queue (or masked by redaction) points at the exact record in the payload bucket,
 * as the SQS extended clients do (`{ s3BucketName, s3Key }`).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PayloadUnavailableError } from '../../../shared/errors';

/** Where a payload is. */
export interface PayloadPointer {
  readonly bucket: string;
  readonly key: string;
}

/** Reads payloads. */
export interface PayloadReader {
  /**
   * The payload's text.
   *
   * @throws PayloadUnavailableError when it cannot be read
   */
  read(pointer: PayloadPointer): Promise<string>;
}

/** Payloads in S3. */
export class S3PayloadReader implements PayloadReader {
  constructor(private readonly s3: S3Client) {}

  async read(pointer: PayloadPointer): Promise<string> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: pointer.bucket, Key: pointer.key }));
      return (await object.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      throw new PayloadUnavailableError(pointer.bucket, pointer.key, { cause: error });
    }
  }
}

/**
 * The pointer a message holds, in the SQS extended clients' shape, or undefined.
 *
 * @example
 * pointerOf({ s3BucketName: 'concord-payloads-prod', s3Key: 'quarantine/…json' }); // { bucket, key }
 */
export function pointerOf(value: unknown): PayloadPointer | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { s3BucketName, s3Key } = value as { s3BucketName?: unknown; s3Key?: unknown };
  return typeof s3BucketName === 'string' && typeof s3Key === 'string' ? { bucket: s3BucketName, key: s3Key } : undefined;
}
