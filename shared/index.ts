/**
 * Concord's public API: clocks, the envelope, writes, rules, merge, detection and the
 * law checker. Everything else under `shared/` is internal.
 */
export * from './errors';
export { HybridClock, parseClock, formatClock, isClock, type Clock, type ClockParts, type Tick } from './clock/hlc';
export { actorOf, actorRegion, dotOf, dotClock, dotActor, dotRegion, isDot, isActor, randomTag, LEGACY_DOT, type Actor, type Dot, type TagSource } from './clock/dot';
export { sees, covers, joinContexts, summarize, latestSeen, NOTHING_SEEN, type CausalContext, type ContextSummary } from './clock/context';
export { parseAttributeMap, parseAttributeValue, canonicalJson, attributeValuesEqual, type AttributeMap, type AttributeValue } from './dynamodb/attribute-value';
export { compareNumbers, wholeNumber } from './dynamodb/number';
export { decodeItem, readImage, emptyState, keyOf, describeKey, isOnLineOf, type ItemState, type RawImage, type DecodedImage, type Register, type CounterState, type SetState, type PnSlot, type Hold } from './item/state';
export { encodeItem, isDeleted, type Projection } from './item/encode';
export { applyWrite, lineClock, type AppliedWrite, type WriteStamp } from './write/apply-write';
export { validateChange, entityForChange, type Change, type PutChange, type UpdateChange, type DeleteChange } from './write/change';
export { defineRules, entityFor, ruleFor, isRuleSet } from './rules/define-rules';
export * from './rules/types';
export { merge, mergeStates, visibleOf, Outcome, EscalationReason, type MergeResult, type MergeOptions, type AttributeReport, type Escalation, type Sibling } from './merge/merge';
export { joinStates } from './merge/join';
export { certify, certifiableFloor } from './merge/certify';
export { conflictId } from './merge/conflict-id';
export { classify, Verdict, type Classification, type ClassifyOptions } from './detect/classify';
export { checkRuleLaws, mergeLawProperties, Law, type LawReport, type LawFailure, type LawCheckOptions } from './laws/check-laws';
export { ConcordTable, createConcordTable, WritePath, retryPolicy, type ConcordTableOptions, type GetOptions, type ItemWithEnvelope, type QueryInput, type QueryOutput, type UpdateInput, type WriteResult, type Envelope, type SortKeyCondition, type RetryOptions, type TranslateConfig, type ItemKey, type ItemValues, type CounterAttribute, type SetAttribute, type KeyValue } from './writer';
