/**
 * policy-tighten as a library. The pure stages (attribution, usage, generate, render) take and
 * return plain values; the I/O edges (ingest, account) read files; runGenerate wires them.
 */
export * from './model';
export * from './errors';
export * from './attribution';
export * from './usage';
export * from './generate';
export * from './render';
export * from './diff';
export { currentPoliciesOf } from './account/current-policies';
export { runGenerate, type RunGenerateOptions, type RunGenerateResult } from './pipeline/run-generate';
export { runReport, type ReportOptions, type ReportResult } from './pipeline/run-report';
export type { UnusedReport } from './report';
export { processFile, collectUsage, type ProcessContext } from './pipeline';
export { resolveTarget, type TargetRequest } from './pipeline/resolve-target';
export { loadAccountSnapshot } from './account/snapshot';
export { loadCatalog, type Catalog } from './catalog/catalog';
export { createMapper, countResolution, totalResolution, type Mapper, type ResolutionCount } from './analyze';
export { discoverTraceFiles, readTraceFile, parseRecord, parseTimeBound, type TimeWindow } from './ingest';
