/**
 * The resolver: everything `functions/resolver/handler.ts` and the lab need.
 */
export { createResolverHandler, type ResolverHandler } from './create-handler';
export { withDefaults, SERVICE_NAME, type ResolverDependencies, type ResolverContext } from './dependencies';
export { loadConfig, ResolveIn, CONFIG_DEFAULTS, type ResolverConfig } from './config';
export { loadRules, loadRulesModule } from './load-rules';
export { createResolverClients, requestTimeouts, resolverClientConfig, type ResolverClients } from './clients';
export { Redactor } from './redaction';
export { onConflictQuarantined, type ConflictQuarantineHook } from './conflict-quarantine-hook';
export type { PayloadPointer } from './payload-store';
export { loadShadowRules, compareUnderRules, type ShadowComparison, type ShadowAttribute } from './shadow';
export { processBatch } from './process-batch';
export { readBatch, groupByKey, StreamRecord } from './stream-record';
export { ConflictOutcome, SupersededBy, type Resolution } from './write-back';
export { PolicyOutcome } from './policies';
export { AuditEventType, REDACTED, type AuditDetail, type AuditEvent, type AttributeDetail, type EscalationDetail, type VersionSummary } from './audit/events';
export { MAX_ENTRY_BYTES } from './audit/entry';
export { MAX_ENTRIES_PER_CALL } from './audit/publisher';
export { MAX_ITEM_BYTES, itemSizeBytes } from './item-size';
export { MetricName } from './tally';
export type { QuarantineMessage } from './quarantine';
export { validateStreamEvent, type ValidateStreamEventOptions } from './middlewares/validate-stream-event';
export { logBatchOutcome, type LogBatchOutcomeOptions } from './middlewares/log-batch-outcome';
