import { chunkEntries, MAX_ENTRIES_PER_CALL } from './publisher';

const sized = (sizeBytes: number) => ({ sized: { entry: {}, sizeBytes } });

describe('chunkEntries', () => {
  it('puts 100 small entries in 10 calls of 10', () => {
    // Act
    const calls = chunkEntries(Array.from({ length: 100 }, () => sized(1_000)), 256 * 1024);

    // Assess
    expect(calls.map((call) => call.length)).toEqual(Array(10).fill(MAX_ENTRIES_PER_CALL));
  });

  it('closes a call before the entry that would take it over the byte budget', () => {
    // Act
    const calls = chunkEntries([sized(400), sized(400), sized(300), sized(100)], 1_000);

    // Assess
    expect(calls.map((call) => call.map((entry) => entry.sized.sizeBytes))).toEqual([[400, 400], [300, 100]]);
  });

  it('keeps the entries in order', () => {
    // Prepare
    const entries = Array.from({ length: 25 }, (_, i) => sized(i + 1));

    // Act
    const calls = chunkEntries(entries, 256 * 1024);

    // Assess
    expect(calls.flat()).toEqual(entries);
  });
});
