/**
 * A local Secrets Manager (JSON 1.1, `secretsmanager.ListSecrets`) serving the secrets-REGION.json
 * files of a snapshot directory, one secret a page (NextToken), the region read from the
 * request's SigV4 scope; timestamps as epoch seconds, as the service sends them. `deny` answers
 * AccessDeniedException. It holds no secret value (ListSecrets returns none).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startEndpoint, type LocalEndpoint } from './server';

const DATES = [
  'LastRotatedDate',
  'LastChangedDate',
  'LastAccessedDate',
  'DeletedDate',
  'NextRotationDate',
  'CreatedDate',
];

export async function startLocalSecretsManager(options: {
  snapshot: string;
  deny?: boolean;
}): Promise<LocalEndpoint> {
  const files = readdirSync(options.snapshot);
  return startEndpoint((req, res) => {
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    const region =
      /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ??
      'us-east-1';
    if (String(req.headers['x-amz-target'] ?? '') !== 'secretsmanager.ListSecrets') {
      res.statusCode = 400;
      res.end(JSON.stringify({ __type: 'UnknownOperationException', message: 'not supported' }));
      return;
    }
    if (options.deny) {
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          __type: 'AccessDeniedException',
          message: 'User is not authorized to perform: secretsmanager:ListSecrets',
        }),
      );
      return;
    }
    const file = files.find((f) => f === `secrets-${region}.json`);
    const list: Record<string, unknown>[] = file
      ? JSON.parse(readFileSync(path.join(options.snapshot, file), 'utf8')).SecretList
      : [];
    const from = Number((JSON.parse(req.body || '{}') as { NextToken?: string }).NextToken ?? '0');
    const page = list.slice(from, from + 1).map((s) => {
      const o = { ...s };
      for (const k of DATES) if (typeof o[k] === 'string') o[k] = Date.parse(o[k] as string) / 1000;
      return o;
    });
    res.end(
      JSON.stringify({
        SecretList: page,
        ...(from + 1 < list.length ? { NextToken: String(from + 1) } : {}),
      }),
    );
  });
}
