/**
 * The hook for a CONFLICT record that was quarantined, whatever the reason (a merge
 * that can never succeed, a write DynamoDB refuses, an audit event EventBridge refuses,
 * or a transient failure that outlasted CONCORD_GIVE_UP_AFTER_SECONDS). The item then
 * keeps the version Global Tables left, which may lack the old image's writes until the
 * record is replayed from the quarantine queue.
 *
 * It runs after the quarantine queue accepted the record (its payload is safe), within
 * the record's processing: an error it throws fails the record, which is then retried
 * (and quarantined again, under the same id). Today it does nothing; this is where a
 * "hold" write on the item belongs.
 */
import type { ResolverContext } from './dependencies';
import type { ItemStore } from './item-store';
import type { StreamRecord } from './stream-record';

/** What the hook is given: the record, why it was quarantined, and the batch's context and item store. */
export type ConflictQuarantineHook = (record: StreamRecord, reason: Error, context: ResolverContext, store: ItemStore) => Promise<void>;

/** Called by `quarantine` for every quarantined record whose verdict is `conflict`; a documented no-op for now. */
export const onConflictQuarantined: ConflictQuarantineHook = async () => undefined;
