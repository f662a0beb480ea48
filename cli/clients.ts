/**
 * The AWS SDK clients of a command, made on first use and destroyed when it ends. They
 * find their endpoints as the resolver's do (`AWS_ENDPOINT_URL_<SERVICE>`, else AWS);
 * `--endpoint R=URL` points region R's DynamoDB elsewhere (one endpoint per region, as
 * the lab runs them). Every failed call is remembered with its service and operation, so
 * that the error a person sees names the call that failed.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

/** The service call an error came from. */
export interface FailedCall {
  readonly service: string;
  readonly operation: string;
}

const failedCalls = new WeakMap<object, FailedCall>();

/**
 * The call that threw `error`, when an SDK client of the CLI threw it.
 *
 * @example
 * failedCallOf(error); // { service: 'DynamoDB', operation: 'GetItem' }
 */
export function failedCallOf(error: unknown): FailedCall | undefined {
  return typeof error === 'object' && error !== null ? failedCalls.get(error) : undefined;
}

interface SdkClient {
  readonly middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void };
  destroy(): void;
}

/** Remembers the service and operation of every call of `client` that fails. */
function rememberFailures<C extends SdkClient>(client: C): C {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (error) {
        if (typeof error === 'object' && error !== null && !failedCalls.has(error)) {
          failedCalls.set(error, { service: (context.clientName ?? 'AWS').replace(/Client$/, ''), operation: (context.commandName ?? 'call').replace(/Command$/, '') });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'concordFailedCall' },
  );
  return client;
}

/** The clients of one command run. */
export class AwsClients {
  private readonly made: SdkClient[] = [];
  private readonly dynamoByRegion = new Map<string, DynamoDBClient>();
  private readonly single = new Map<string, SdkClient>();

  constructor(
    /** The region the command works in. */
    readonly region: string,
    /** DynamoDB endpoints by region (`--endpoint`); a region not listed uses the SDK's own. */
    readonly endpoints: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** DynamoDB in `region` (the command's region unless given). */
  dynamodb(region: string = this.region): DynamoDBClient {
    let client = this.dynamoByRegion.get(region);
    if (client === undefined) {
      const endpoint = this.endpoints.get(region);
      client = this.track(new DynamoDBClient({ region, ...(endpoint === undefined ? {} : { endpoint }) }));
      this.dynamoByRegion.set(region, client);
    }
    return client;
  }

  streams(): DynamoDBStreamsClient {
    return this.one('streams', () => new DynamoDBStreamsClient({ region: this.region }));
  }

  sqs(): SQSClient {
    return this.one('sqs', () => new SQSClient({ region: this.region }));
  }

  eventBridge(): EventBridgeClient {
    return this.one('eventBridge', () => new EventBridgeClient({ region: this.region }));
  }

  /** CloudWatch Logs in `region` (the central audit log group lives in the audit region). */
  logs(region: string = this.region): CloudWatchLogsClient {
    return this.one(`logs ${region}`, () => new CloudWatchLogsClient({ region }));
  }

  s3(): S3Client {
    return this.one('s3', () => new S3Client({ region: this.region }));
  }

  /** Destroys every client made, so that no socket keeps the process alive. */
  destroy(): void {
    for (const client of this.made.splice(0)) client.destroy();
  }

  private one<C extends SdkClient>(name: string, make: () => C): C {
    let client = this.single.get(name) as C | undefined;
    if (client === undefined) {
      client = this.track(make());
      this.single.set(name, client);
    }
    return client;
  }

  private track<C extends SdkClient>(client: C): C {
    this.made.push(client);
    return rememberFailures(client);
  }
}
