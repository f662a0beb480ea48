/** Stops the DynamoDB Local the global setup started, saying how much memory it took at its peak. */
import { startedEngine } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const engine = startedEngine();
  if (engine === undefined) return;
  const peak = engine.peakRssBytes();
  if (peak !== undefined) process.stdout.write(`DynamoDB Local peak resident memory: ${Math.round(peak / 2 ** 20)} MB\n`);
  await engine.close();
}
