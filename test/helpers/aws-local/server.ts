/**
 * Local AWS endpoints for tests: an HTTP server on 127.0.0.1 that the real SDK v3 clients talk to
 * (through `endpoint` or `AWS_ENDPOINT_URL_*`), with each service's wire protocol, multi-page
 * results, throttling and failures injected per request. Every request is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface LocalEndpoint {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 (a free port) answering with `handler`. */
export async function startEndpoint(handler: Handler): Promise<LocalEndpoint> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const r: RecordedRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(r);
      Promise.resolve(handler(r, res)).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** XML-escapes text. */
export function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An AWS XML error response (S3 and Query protocols). */
export function xmlError(res: ServerResponse, status: number, code: string, message = code): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/xml');
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error>`,
  );
}

/** A local SNS (Query protocol): Publish answers a message id; every request is recorded. */
export async function startLocalSns(): Promise<LocalEndpoint> {
  return startEndpoint((req, res) => {
    const form = new URLSearchParams(req.body);
    if (form.get('Action') !== 'Publish') return xmlError(res, 400, 'InvalidAction');
    res.setHeader('content-type', 'text/xml');
    res.end(
      '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>',
    );
  });
}

/**
 * A local CloudTrail (JSON 1.1) answering LookupEvents over `records`: newest first, 50 a page
 * at most (the request's MaxResults), NextToken paging, the time range applied; the first
 * `throttle` requests answer ThrottlingException.
 */
export async function startLocalCloudTrail(
  records: Record<string, unknown>[],
  throttle = 0,
): Promise<LocalEndpoint> {
  let left = throttle;
  return startEndpoint((req, res) => {
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    if (!String(req.headers['x-amz-target'] ?? '').endsWith('.LookupEvents')) {
      res.statusCode = 400;
      res.end(JSON.stringify({ __type: 'UnknownOperationException', message: 'not supported' }));
      return;
    }
    if (left > 0) {
      left--;
      res.statusCode = 400;
      res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
      return;
    }
    const body = JSON.parse(req.body || '{}') as {
      StartTime?: number;
      EndTime?: number;
      MaxResults?: number;
      NextToken?: string;
    };
    const inRange = records
      .filter((r) => {
        const t = Date.parse(String(r.eventTime)) / 1000;
        return (
          (body.StartTime === undefined || t >= body.StartTime) &&
          (body.EndTime === undefined || t <= body.EndTime)
        );
      })
      .sort((a, b) =>
        String(a.eventTime) < String(b.eventTime) ? 1 : String(a.eventTime) > String(b.eventTime) ? -1 : 0,
      );
    const from = Number(body.NextToken ?? '0');
    const size = Math.min(50, body.MaxResults ?? 50);
    const page = inRange.slice(from, from + size).map((r) => ({
      EventId: r.eventID,
      EventName: r.eventName,
      EventTime: Date.parse(String(r.eventTime)) / 1000,
      EventSource: r.eventSource,
      CloudTrailEvent: JSON.stringify(r),
    }));
    res.end(
      JSON.stringify({
        Events: page,
        ...(from + size < inRange.length ? { NextToken: String(from + size) } : {}),
      }),
    );
  });
}
