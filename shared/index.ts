/**
 * Concord's public API: clocks, the envelope, writes, rules, merge, detection and the
 * law checker. Everything else under `shared/` is internal.
 */
export * from './errors';
export { HybridClock, parseClock, formatClock, isClock, clockRegion, type Clock, type ClockParts } from './clock/hlc';
export { Causality, compareVectors, dominates, joinVectors, latestClock, type VersionVector } from './clock/version-vector';
export { sees, covers, joinContexts, type CausalContext, type Gap, type Gaps } from './clock/context';
export { parseAttributeMap, parseAttributeValue, canonicalJson, attributeValuesEqual, type AttributeMap, type AttributeValue } from './dynamodb/attribute-value';
export { decodeItem, readImage, emptyState, keyOf, describeKey, contextOf, isExactFor, type ItemState, type RawImage, type DecodedImage, type Register, type CounterState, type SetState } from './item/state';
export { encodeItem, isDeleted, type Projection } from './item/encode';
export { applyWrite, type AppliedWrite } from './write/apply-write';
export { validateChange, entityForChange, type Change, type PutChange, type UpdateChange, type DeleteChange } from './write/change';
export { defineRules, entityFor, ruleFor, isRuleSet } from './rules/define-rules';
export * from './rules/types';
export { merge, mergeStates, visibleOf, Outcome, EscalationReason, type MergeResult, type MergeOptions, type AttributeReport, type Escalation, type Sibling } from './merge/merge';
export { joinStates } from './merge/join';
export { conflictId } from './merge/conflict-id';
export { classify, Verdict, type Classification, type ClassifyOptions } from './detect/classify';
export { checkRuleLaws, mergeLawProperties, Law, type LawReport, type LawFailure, type LawCheckOptions } from './laws/check-laws';
export { ConcordTable, createConcordTable, WritePath, retryPolicy, type ConcordTableOptions, type GetOptions, type ItemWithEnvelope, type QueryInput, type QueryOutput, type UpdateInput, type WriteResult, type Envelope, type SortKeyCondition, type RetryOptions, type TranslateConfig, type ItemKey, type ItemValues, type CounterAttribute, type SetAttribute, type KeyValue } from './writer';
