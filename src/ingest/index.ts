/**
 * Ingest: from trace files on disk to validated {@link TrailEvent}s.
 *
 * `discoverTraceFiles` lists the files, `readTraceFile` yields their raw items, `parseRecord`
 * checks each item, and `inWindow` filters by time.
 */
export type { TrailEvent } from '../model/trail-event';
export {
  inWindow,
  normalisedWindowTest,
  parseTimeBound,
  timeKeyOf,
  windowKeys,
  type TimeWindow,
} from './time-window';
export {
  dayOutsideWindow,
  deliveryDayOf,
  deliveryDayOfSegments,
  checkTrailInputs,
  describeFsError,
  discoverTraceFiles,
  isTraceFileName,
  type DiscoveryResult,
  type FileProblem,
  type TraceFile,
} from './discover';
export {
  DEFAULT_MAX_BUFFERED_BYTES,
  NOT_CLOUDTRAIL_REASON,
  localSource,
  memorySource,
  readTraceFile,
  type ByteSource,
  type FileReadOutcome,
  type Prefilter,
  type ReadTraceFileOptions,
  type RecordSink,
} from './read-file';
export {
  canonicalKeyValid,
  isEventSource,
  normaliseTime,
  parseRecord,
  type ParseRecordResult,
} from './parse-record';
export type { ScannedRecord } from './record-scan';
