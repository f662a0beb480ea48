/**
 * Starts one DynamoDB Local for the whole engine run (each suite signs with an access key
 * of its own, so each gets its own database) and hands its endpoint to the suites.
 */
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local';
import { ENGINE_ENDPOINT_VARIABLE } from '../helpers/engine';

/** Where the teardown finds the process (Jest runs both in its parent process). */
export const ENGINE_GLOBAL = '__concordDynamoDbLocal';

export default async function globalSetup(): Promise<void> {
  const engine = await startDynamoDbLocal({ heapMb: 256 });
  process.env[ENGINE_ENDPOINT_VARIABLE] = engine.endpoint;
  (globalThis as Record<string, unknown>)[ENGINE_GLOBAL] = engine;
  process.stdout.write(`\nDynamoDB Local (heap capped at 256 MB) answered ${engine.startMs} ms after its start, on ${engine.endpoint}\n`);
}

/** The engine the setup started. */
export function startedEngine(): DynamoDbLocal | undefined {
  return (globalThis as Record<string, unknown>)[ENGINE_GLOBAL] as DynamoDbLocal | undefined;
}
