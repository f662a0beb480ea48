import { createServer, type Server } from 'node:net';
import { formatExports, startLocalStack } from './stack';

describe('startLocalStack', () => {
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
  });

  it('fails naming a port that is already in use', async () => {
    // Act
    const started = startLocalStack({ ports: { sqs: busyPort } });

    // Assess
    await expect(started).rejects.toThrow(`port ${busyPort} on 127.0.0.1 is already in use`);
  });
});

describe('formatExports', () => {
  it('writes plain values bare and quotes values a shell would split', () => {
    // Act
    const text = formatExports({ AWS_REGION: 'us-east-1', NOTE: "it's two words" });

    // Assess
    expect(text).toBe(`export AWS_REGION=us-east-1\nexport NOTE='it'\\''s two words'\n`);
  });
});
