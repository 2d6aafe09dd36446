/**
 * The S3 trail source (`--trail s3://bucket/prefix`): lists only the delivery folders of the
 * window and reads each object through the same parser as local files (a ByteSource). The client
 * is injected as a narrow port (`Pick<S3Client, 'send'>`), so the CLI's credential chain, region
 * and `AWS_ENDPOINT_URL_S3` apply, and tests run the real SDK against a local server.
 *
 * Layout: `<prefix>/AWSLogs/[<org-id>/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>`. The walk
 * lists with a delimiter down to the region folders, then lists each day of the window directly
 * (never the years outside it); digest and Insights folders are skipped. A prefix below that
 * layout (a region, a day) or a flat prefix is listed as it is, and object keys whose path date
 * lies outside the window are left out. Listing and reads use the SDK's retries; what still fails
 * is a finding naming the object, never a silent gap.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { awsErrorName, describeAwsError, sdk } from '../sdk';
import { PassThrough, Readable } from 'node:stream';
import { UsageError } from '../errors';
import {
  dayOutsideWindow,
  deliveryDayOfSegments,
  isTraceFileName,
  type ByteSource,
  type FileProblem,
  type TimeWindow,
} from '../ingest';

export type S3Port = Pick<S3Client, 'send'>;

/** One object of the trail. */
export interface S3TraceObject {
  uri: string;
  bucket: string;
  key: string;
  size: number;
  /** ETag, for caches (changes with the content). */
  etag: string;
}

export interface S3Listing {
  objects: S3TraceObject[];
  ignored: number;
  outsideWindow: number;
  problems: FileProblem[];
  /** ListObjectsV2 requests made. */
  requests: number;
}

const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const SKIPPED_FOLDERS = new Set(['CloudTrail-Digest', 'CloudTrail-Insight']);
const DAY_MS = 86_400_000;
/** Listing depth from the prefix to the region folders (`AWSLogs/o-…/<account>/CloudTrail/`). */
const MAX_DEPTH = 6;

/** `s3://bucket/prefix` → bucket and prefix (a folder prefix ends with `/`). */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m || !BUCKET_RE.test(m[1]))
    throw new UsageError(`--trail ${JSON.stringify(uri.slice(0, 80))}: not an S3 URI (s3://bucket/prefix)`);
  const prefix = m[2];
  if (
    prefix.length > 1024 ||
    [...prefix].some((c) => c.charCodeAt(0) < 0x20) ||
    prefix.split('/').includes('..')
  )
    throw new UsageError(`--trail s3://${m[1]}/…: the prefix is not a plain S3 key prefix`);
  return { bucket: m[1], prefix };
}

function segmentsOf(prefix: string): string[] {
  return prefix.split('/').filter((s) => s !== '');
}

/** Lists the trail objects under `uri` for the window (see the file header). */
export async function listS3Trail(
  s3: S3Port,
  uri: string,
  window: TimeWindow,
  now: Date,
): Promise<S3Listing> {
  const { bucket, prefix } = parseS3Uri(uri);
  const out: S3Listing = { objects: [], ignored: 0, outsideWindow: 0, problems: [], requests: 0 };
  const since = window.since ?? new Date(now.getTime() - 90 * DAY_MS);
  const until = window.until ?? now;

  const take = (key: string, size: number, etag: string) => {
    if (!isTraceFileName(key)) {
      out.ignored++;
      return;
    }
    const segments = key.split('/');
    if (dayOutsideWindow(deliveryDayOfSegments(segments), { since, until })) {
      out.outsideWindow++;
      return;
    }
    out.objects.push({ uri: `s3://${bucket}/${key}`, bucket, key, size, etag });
  };

  /** All pages of one listing; a failure becomes a finding on that prefix. */
  const list = async (p: string, delimiter: boolean) => {
    const folders: string[] = [];
    let token: string | undefined;
    do {
      out.requests++;
      let page;
      try {
        page = await s3.send(
          new (sdk.s3().ListObjectsV2Command)({
            Bucket: bucket,
            Prefix: p,
            ...(delimiter ? { Delimiter: '/' } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
      } catch (err) {
        out.problems.push({
          file: `s3://${bucket}/${p}`,
          code: 'PT-FILE-UNREADABLE',
          reason: `cannot list: ${describeS3Error(err)}`,
        });
        return folders;
      }
      for (const o of page.Contents ?? []) if (o.Key) take(o.Key, o.Size ?? 0, o.ETag ?? '');
      for (const c of page.CommonPrefixes ?? []) if (c.Prefix) folders.push(c.Prefix);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return folders;
  };

  /** The days of the window under a region folder, listed one by one. */
  const listDays = async (regionPrefix: string) => {
    const first = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
    for (let t = first; t < until.getTime(); t += DAY_MS) {
      const d = new Date(t).toISOString().slice(0, 10).split('-');
      await list(`${regionPrefix}${d[0]}/${d[1]}/${d[2]}/`, false);
    }
  };

  const walk = async (p: string, depth: number): Promise<void> => {
    const segs = segmentsOf(p);
    if (segs.length >= 2 && segs[segs.length - 2] === 'CloudTrail' && REGION_RE.test(segs[segs.length - 1])) {
      await listDays(p.endsWith('/') ? p : `${p}/`);
      return;
    }
    const folders = await list(p, true);
    for (const f of folders.sort()) {
      const name = segmentsOf(f).pop() ?? '';
      if (SKIPPED_FOLDERS.has(name)) continue;
      if (depth < MAX_DEPTH || segmentsOf(f).includes('CloudTrail')) await walk(f, depth + 1);
      else
        out.problems.push({
          file: `s3://${bucket}/${f}`,
          code: 'PT-FILE-UNREADABLE',
          reason: 'too deep below the prefix: not listed',
        });
    }
  };

  await walk(prefix, 0);
  out.objects.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  return out;
}

/** One line for an S3 error (sdk.ts's describeAwsError, with S3's own not-found cases). */
export function describeS3Error(err: unknown): string {
  const name = (err as { name?: unknown })?.name;
  if (name === 'NoSuchBucket') return `${awsErrorName(err)} (no such bucket)`;
  if (name === 'NoSuchKey') return `${awsErrorName(err)} (the object is gone)`;
  const why = describeAwsError(err, 's3:GetObject and s3:ListBucket on the trail bucket');
  return why === awsErrorName(err) ? why : `${awsErrorName(err)}: ${why}`;
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  const b = body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined;
  if (!b?.transformToByteArray) throw new Error('GetObject returned no body');
  return Buffer.from(await b.transformToByteArray());
}

/** An S3 object as a byte source for the reader. */
export function s3Source(s3: S3Port, o: S3TraceObject): ByteSource {
  const get = (range?: string) =>
    s3.send(
      new (sdk.s3().GetObjectCommand)({ Bucket: o.bucket, Key: o.key, ...(range ? { Range: range } : {}) }),
    );
  return {
    name: o.uri,
    size: () => Promise.resolve(o.size),
    readAll: async () => bodyBytes((await get()).Body),
    head: async (n) => (o.size === 0 ? Buffer.alloc(0) : bodyBytes((await get(`bytes=0-${n - 1}`)).Body)),
    stream: () => {
      const out = new PassThrough();
      get().then(
        (r) => {
          const body = r.Body as Readable | undefined;
          if (!body || typeof body.pipe !== 'function')
            out.destroy(new Error('GetObject returned no stream'));
          else {
            body.on('error', (e) => out.destroy(e));
            body.pipe(out);
          }
        },
        (e: unknown) => out.destroy(e as Error),
      );
      return out;
    },
    describeError: describeS3Error,
  };
}
