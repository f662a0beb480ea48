/**
 * The writer library: the application's side of Concord. `createConcordTable` is the
 * entry point; the step functions are exported for callers that compose their own
 * pipeline (middleware, instrumentation) around the same logic.
 */
export { ConcordTable, createConcordTable, type ConcordTableOptions, type GetOptions, type ItemWithEnvelope, type QueryInput, type QueryOutput, type UpdateInput } from './concord-table';
export { WritePath, type WriteResult, type WriterContext } from './context';
export { buildFastUpdate, sendFastUpdate, type FastWrite, type FastOutcome } from './fast-path';
export { writeSlowly, readCurrent, type CurrentItem, type SlowOutcome } from './slow-path';
export { writeChange } from './write-change';
export { buildLiveQuery, queryLiveItems, readLiveItem, envelopeOf, type Envelope, type SortKeyCondition, type LivePage, type LiveQuery } from './read';
export { retryPolicy, backoffDelay, type RetryOptions, type RetryPolicy } from './retry';
export type { TranslateConfig } from './values';
export type { ItemKey, ItemValues, CounterAttribute, SetAttribute, KeyValue } from './typing';
