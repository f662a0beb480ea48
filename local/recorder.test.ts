import { Recorder } from './recorder';

describe('Recorder', () => {
  it('resolves a wait once enough matching items arrive', async () => {
    // Prepare
    const recorder = new Recorder<number>();
    const waited = recorder.waitFor(2, { filter: (n) => n % 2 === 0 });

    // Act
    [1, 2, 3, 4, 6].forEach((n) => recorder.push(n));

    // Assess
    await expect(waited).resolves.toEqual([2, 4]);
  });

  it('rejects a wait after its timeout, saying how many arrived', async () => {
    // Prepare
    const recorder = new Recorder<number>();
    recorder.push(1);

    // Act
    const waited = recorder.waitFor(2, { timeoutMs: 20 });

    // Assess
    await expect(waited).rejects.toThrow('waited 20 ms for 2 item(s), 1 arrived');
  });

  it('forgets items when cleared', () => {
    // Prepare
    const recorder = new Recorder<string>();
    recorder.push('a');

    // Act
    recorder.clear();

    // Assess
    expect(recorder.list()).toEqual([]);
  });
});
