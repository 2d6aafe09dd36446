export { discoverUnits, type SourceDeps, type TraceUnit, type UnitDiscovery } from './units';
export {
  describeS3Error,
  listS3Trail,
  parseS3Uri,
  s3Source,
  type S3Listing,
  type S3Port,
  type S3TraceObject,
} from './s3';
export {
  emptyCounters,
  type GroupedRecord,
  type OtherEvents,
  type QueryCounters,
  type QueryResult,
  type QueryScope,
  type QuerySource,
} from './query';
export {
  athenaLiteral,
  athenaQuery,
  athenaTableName,
  type AthenaQuery,
  type AthenaQueryOptions,
} from './athena-sql';
export {
  athenaSource,
  recordOfAthenaRow,
  rowsToResult,
  type AthenaPort,
  type AthenaSourceOptions,
} from './athena';
export {
  logsInsightsQuery,
  logsInsightsSource,
  type CloudWatchLogsPort,
  type LogsInsightsOptions,
} from './logs-insights';
export { lakeEventDataStoreId, lakeQuery } from './lake-sql';
export { lakeSource, type LakePort, type LakeSourceOptions } from './lake';
