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
