/**
 * The lab: a local multi-region Global Tables emulation on a virtual clock, the real
 * resolver on each region's stream, and a checker that judges the final state by the
 * truth of every client write (what each version really holds). `npm start` (./cli.ts)
 * is its command; these are its parts.
 */
export { runScenario, LAB_NAMES, type RunOutcome, type RunStats, type RunProgress, type RunOptions } from './run';
export { runScenarioInChild, runsInChild } from './run-child';
export { DEFAULT_SCENARIO, LAB_EPOCH_MS, RunMode, scenarioWith, type Scenario, type PartitionSpec } from './scenario';
export { check, type CheckInput, type CheckResult, type SizeStats } from './checker';
export { trackTruth, type ClientWrite, type Truth, type TrueVersion } from './truth';
export { PlainTable, type LabWriter } from './plain-table';
export { findLosses, EXISTENCE, LossReason, type Loss, type LossKind } from './losses';
export { compare, summarize, formatComparison, settingsText, concordProblems, verdict, type ComparisonSummary, type RunSummary, type Problem } from './summary';
export { parseSpan, formatSpan, SPAN_UNITS } from './span';
export { renderReport, writeReport, type ReportInput } from './report';
export { runLabCommand, quietLabEnvironment, USAGE_EXIT_CODE, type CommandIo, type CommandOptions } from './command';
export { parseLabArgs, KNOWN_REGIONS, USAGE, type LabArgs } from './args';
export { VirtualScheduler, RunStop, type RunOptions as SchedulerRunOptions } from './scheduler';
export { Region, type RegionOptions } from './region';
export { RegionStream, WriteOrigin, TTL_USER_IDENTITY, streamArn, compareSequenceNumbers, type CapturedRecord, type ItemChange } from './stream';
export { Replication, type ReplicationStats, type ReplicationStamp } from './replication';
export { Network, type Partition, type NetworkOptions } from './network';
export { EventSourceMapping, DEFAULT_MAPPING_SETTINGS, NO_MAPPING_FAULTS, type MappingSettings, type MappingFaults, type MappingStats, type StreamFunction } from './event-source-mapping';
export { interpretBatchResponse, type BatchVerdict } from './batch-response';
export { onFailureMessage, DiscardCondition, type OnFailureMessage } from './on-failure';
export { labResolver, type LabResolverOptions } from './resolver';
export { LabClients, DEFAULT_CLIENT_TIMING, type ClientTiming } from './clients';
export { planFaults, FaultLevel, FAULT_LEVELS, type FaultPlan } from './faults';
export { generateWorkload, changeOf, perform, Workload, WORKLOADS, type Operation, type WriterCall, type PlainKey } from './workload';
export { Draw, deriveSeed, uuidOf } from './draw';
export { LabError, ConcurrentTaskError, InjectedCrashError } from './errors';
