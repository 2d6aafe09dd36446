/**
 * A local S3 (REST-XML, path-style) over a directory: ListObjectsV2 with prefix, delimiter and
 * continuation tokens (small pages, so pagination is exercised), GetObject with Range, and
 * injected failures (503 SlowDown a number of times per key, 403 AccessDenied on a prefix).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { startEndpoint, xml, xmlError, type LocalEndpoint } from './server';

export interface LocalS3Options {
  bucket: string;
  /** Directory whose files are the bucket's objects (keys: paths below it, `/`-separated). */
  root: string;
  /** Objects per ListObjectsV2 page. @default 7 */
  pageSize?: number;
  /** Key → how many GetObject calls answer 503 SlowDown before it succeeds. */
  slowDown?: Record<string, number>;
  /** Keys (or listing prefixes) starting with one of these answer 403 AccessDenied. */
  denied?: string[];
  /** Where PutObject stores objects (key → body), for buckets other than the trail's. */
  written?: Map<string, { body: string; contentType: string }>;
}

function keysOf(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? keysOf(root, p) : [path.relative(root, p).split(path.sep).join('/')];
  });
}

export async function startLocalS3(options: LocalS3Options): Promise<LocalEndpoint> {
  const pageSize = options.pageSize ?? 7;
  const slowDown = { ...(options.slowDown ?? {}) };
  const denied = options.denied ?? [];
  return startEndpoint((req, res) => {
    const [, bucket, ...rest] = req.path.split('/');
    if (req.method === 'PUT' && options.written) {
      options.written.set(`${bucket}/${rest.join('/')}`, {
        body: req.body,
        contentType: String(req.headers['content-type'] ?? ''),
      });
      res.setHeader('etag', '"local"');
      res.end();
      return;
    }
    if (bucket !== options.bucket)
      return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    const key = rest.join('/');
    if (req.method === 'GET' && key === '' && req.query.get('list-type') === '2') {
      const prefix = req.query.get('prefix') ?? '';
      if (denied.some((d) => prefix.startsWith(d)))
        return xmlError(res, 403, 'AccessDenied', 'Access Denied');
      const delimiter = req.query.get('delimiter') ?? '';
      const after = req.query.get('continuation-token') ?? '';
      const entries: { kind: 'key' | 'prefix'; name: string }[] = [];
      const prefixes = new Set<string>();
      for (const k of keysOf(options.root).sort()) {
        if (!k.startsWith(prefix)) continue;
        const restKey = k.slice(prefix.length);
        const cut = delimiter ? restKey.indexOf(delimiter) : -1;
        if (cut >= 0) {
          const cp = prefix + restKey.slice(0, cut + 1);
          if (!prefixes.has(cp)) {
            prefixes.add(cp);
            entries.push({ kind: 'prefix', name: cp });
          }
        } else entries.push({ kind: 'key', name: k });
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const start = after ? entries.findIndex((e) => e.name > after) : 0;
      const page = start < 0 ? [] : entries.slice(start, start + pageSize);
      const truncated = start >= 0 && start + pageSize < entries.length;
      const body = page
        .map((e) => {
          if (e.kind === 'prefix') return `<CommonPrefixes><Prefix>${xml(e.name)}</Prefix></CommonPrefixes>`;
          const file = path.join(options.root, ...e.name.split('/'));
          const st = statSync(file);
          const etag = createHash('md5').update(readFileSync(file)).digest('hex');
          return `<Contents><Key>${xml(e.name)}</Key><LastModified>${st.mtime.toISOString()}</LastModified><ETag>&quot;${etag}&quot;</ETag><Size>${st.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
        })
        .join('');
      res.setHeader('content-type', 'application/xml');
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${pageSize}</MaxKeys>${delimiter ? `<Delimiter>${xml(delimiter)}</Delimiter>` : ''}<IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${xml(page[page.length - 1].name)}</NextContinuationToken>` : ''}${body}</ListBucketResult>`,
      );
      return;
    }
    if (req.method === 'GET' && key !== '') {
      if (denied.some((d) => key.startsWith(d))) return xmlError(res, 403, 'AccessDenied', 'Access Denied');
      if ((slowDown[key] ?? 0) > 0) {
        slowDown[key]--;
        return xmlError(res, 503, 'SlowDown', 'Please reduce your request rate.');
      }
      let data: Buffer;
      try {
        data = readFileSync(path.join(options.root, ...key.split('/')));
      } catch {
        return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      }
      const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
      if (range) {
        const from = Number(range[1]);
        const to = Math.min(Number(range[2]), data.length - 1);
        res.statusCode = 206;
        res.setHeader('content-range', `bytes ${from}-${to}/${data.length}`);
        data = data.subarray(from, to + 1);
      }
      res.setHeader('content-length', String(data.length));
      res.setHeader('content-type', 'application/octet-stream');
      res.end(data);
      return;
    }
    xmlError(res, 400, 'InvalidRequest', 'not supported by the local S3');
  });
}
