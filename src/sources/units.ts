/**
 * Trace units: the trail files to read, wherever they are (local files, S3 objects), each a
 * ByteSource for the one reader, with what a cache keys it by. One discovery for every source.
 */
import path from 'node:path';
import { UsageError } from '../errors';
import {
  discoverTraceFiles,
  localSource,
  type ByteSource,
  type FileProblem,
  type TimeWindow,
} from '../ingest';
import { lookupEvents, type CloudTrailPort, type LookupEventsOptions } from './lookup-events';
import type { QuerySource } from './query';
import { listS3Trail, s3Source, type S3Port } from './s3';

export interface TraceUnit {
  source: ByteSource;
  /** What findings call it (a path, `s3://bucket/key`). */
  name: string;
  size: number;
  /** The delivery folder it belongs to (a day of one region in the S3 layout). */
  folder: string;
  /** Changes when the content changes: size and mtime of a file, the ETag of an object. */
  version: string;
  /** A local file (a worker can open it by its name). */
  local?: boolean;
}

export interface UnitDiscovery {
  /** Sorted by name. */
  units: TraceUnit[];
  ignored: number;
  outsideWindow: number;
  problems: FileProblem[];
  /** S3 listing requests made. */
  s3Requests: number;
  /** LookupEvents requests made. */
  lookupRequests?: number;
}

export interface SourceDeps {
  /** The S3 client (port), for `s3://` inputs. */
  s3?: S3Port;
  /** CloudTrail's event history (`--lookup-events`): read in addition to the inputs. */
  lookupEvents?: {
    client: CloudTrailPort;
    region: string;
    progress?: LookupEventsOptions['progress'];
  };
  /** A query engine over the trail (Athena, CloudWatch Logs Insights): read in addition to the inputs. */
  query?: QuerySource;
  now?: Date;
}

/** Discovers the units of every input: local paths and `s3://` URIs. */
export async function discoverUnits(
  inputs: readonly string[],
  window: TimeWindow,
  deps: SourceDeps = {},
): Promise<UnitDiscovery> {
  const local = inputs.filter((i) => !i.startsWith('s3://'));
  const remote = inputs.filter((i) => i.startsWith('s3://'));
  const out: UnitDiscovery = { units: [], ignored: 0, outsideWindow: 0, problems: [], s3Requests: 0 };
  if (local.length > 0) {
    const found = await discoverTraceFiles(local, window);
    out.ignored += found.ignored;
    out.outsideWindow += found.outsideWindow;
    out.problems.push(...found.problems);
    for (const f of found.files)
      out.units.push({
        source: localSource(f.path),
        name: f.path,
        size: f.size,
        folder: path.dirname(f.path),
        version: `${f.size}:${f.mtimeMs}`,
        local: true,
      });
  }
  for (const uri of remote) {
    if (!deps.s3)
      throw new UsageError(`--trail ${uri.slice(0, 80)} reads S3: it cannot be used with --offline`);
    const listing = await listS3Trail(deps.s3, uri, window, deps.now ?? new Date());
    out.ignored += listing.ignored;
    out.outsideWindow += listing.outsideWindow;
    out.problems.push(...listing.problems);
    out.s3Requests += listing.requests;
    for (const o of listing.objects)
      out.units.push({
        source: s3Source(deps.s3, o),
        name: o.uri,
        size: o.size,
        folder: o.uri.slice(0, o.uri.lastIndexOf('/')),
        version: `${o.size}:${o.etag}`,
      });
  }
  if (deps.lookupEvents) {
    const l = deps.lookupEvents;
    const history = await lookupEvents(l.client, window, deps.now ?? new Date(), {
      region: l.region,
      ...(l.progress ? { progress: l.progress } : {}),
    });
    out.units.push(...history.units);
    out.problems.push(...history.problems);
    out.lookupRequests = history.requests;
  }
  const seen = new Set<string>();
  out.units = out.units
    .filter((u) => (seen.has(u.name) ? false : (seen.add(u.name), true)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}
