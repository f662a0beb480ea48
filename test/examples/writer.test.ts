/**
 * README's writer example is examples/writer.ts, shown whole, and it runs as written
 * against the local stack that `npm run local` starts, given the environment that
 * command exports.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_STACK_NAMES, startLocalStack, type LocalStack } from '../../local';

const ROOT = join(__dirname, '..', '..');
const TSX_CLI = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const EXAMPLE = join(ROOT, 'examples', 'writer.ts');

/** Runs the example as a reader would, in a shell holding the stack's exports. */
function runExample(env: Readonly<Record<string, string>>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, EXAMPLE], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() }));
  });
}

describe('examples/writer.ts', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(() => stack.close());

  it('runs against the local stack and leaves the items it wrote', async () => {
    // Act
    const run = await runExample(stack.env);

    // Assess
    const order = await stack.dynamo.call('GetItem', { TableName: LOCAL_STACK_NAMES.table, Key: { pk: { S: 'ORDER#1' }, sk: { S: 'ORDER' } }, ConsistentRead: true });
    expect({ code: run.code, err: run.err, deleted: run.out.includes('cart after delete: undefined'), status: (order.body.Item as Record<string, unknown> | undefined)?.status }).toEqual({
      code: 0,
      err: '',
      deleted: true,
      status: { S: 'PENDING' },
    });
  });

  it('is shown whole in the README', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`\`\`\`ts\n${readFileSync(EXAMPLE, 'utf8')}\`\`\``);
  });
});
