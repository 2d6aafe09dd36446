/**
 * policy-tighten as a library: the public API, each export described in docs/api.md. The package's
 * `exports` map makes this module the only entry point (`require('policy-tighten')`); everything
 * else under dist/ is internal and may change in any release.
 *
 * scripts/bench.js and scripts/corpora-coverage.js load the built copy (dist/index.js): keep what
 * they use (runGenerate, runReport, loadCatalog, createMapper, readTraceFile, parseRecord,
 * countResolution, totalResolution) exported.
 */

// The two jobs, end to end (what the CLI's `generate` and `report --unused` run).
export { runGenerate, type RunGenerateOptions, type RunGenerateResult } from './pipeline/run-generate';
export { runReport, type ReportOptions, type ReportResult } from './pipeline/run-report';
export { runAudit, type AuditOptions, type AuditRunResult } from './pipeline/run-audit';
export {
  AUDIT_RULES,
  type AuditFinding,
  type AuditResult,
  type AuditRule,
  type AuditSeverity,
} from './audit';
export type { TargetRequest } from './pipeline/resolve-target';
export type { Progress } from './pipeline/collect-usage';
export type { Workers } from './pipeline/worker-pool';
export { parseTimeBound, type TimeWindow } from './ingest';
export { loadConfig, type PolicyTightenConfig, type Suppression } from './config';
export { loadAccountSnapshot } from './account/snapshot';

// Renderers: the CLI's output formats, from the results above.
export {
  renderPolicyJson,
  renderCanonicalJson,
  renderProvenanceJson,
  renderReviewMarkdown,
  renderTerraform,
  renderCloudFormation,
  type ProvenanceInput,
  type ReviewInput,
  type IacInput,
} from './render';
export { renderReportMarkdown } from './render/report-markdown';
export { renderReportHtml } from './render/report-html';

// Errors and exit codes (docs/cli.md).
export {
  ExitCode,
  PolicyTightenError,
  UsageError,
  InputError,
  VerificationError,
  type ExitCodeValue,
} from './errors';

// Building blocks: the IAM catalog, reading trail files, mapping events, generating and verifying.
export { loadCatalog, type Catalog } from './catalog/catalog';
export {
  discoverTraceFiles,
  readTraceFile,
  parseRecord,
  type DiscoveryResult,
  type TraceFile,
  type FileProblem,
  type RecordSink,
  type FileReadOutcome,
  type ReadTraceFileOptions,
  type ParseRecordResult,
} from './ingest';
export { createMapper, countResolution, totalResolution, type Mapper, type ResolutionCount } from './analyze';
export {
  generatePolicies,
  verifyPolicies,
  callsOf,
  DEFAULT_GRANULARITY,
  type Granularity,
  type GeneratePoliciesOptions,
  type GeneratePoliciesResult,
  type StatementOrigin,
  type ObservedCall,
} from './generate';

// The data model: what the functions above take and return.
export { PARTIAL_CODES } from './model';
export type {
  PolicyDocument,
  PolicyStatement,
  Finding,
  FindingCode,
  Severity,
  TrailEvent,
  MappingResult,
  RequiredPermission,
  UsageAggregate,
  UsageEntry,
  RunStats,
  AccountAggregate,
  AccountState,
  RoleInfo,
  FunctionInfo,
} from './model';
export type {
  PolicyDiff,
  RemovedEntry,
  NarrowedEntry,
  KeptEntry,
  AddedEntry,
  NotObservableEntry,
} from './diff';
export type { UnusedReport, UnusedRole, UnusedFunction, RolePermissions, SharedRole } from './report';
