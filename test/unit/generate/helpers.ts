import { loadCatalog, type Catalog } from '../../../src/catalog/catalog';
import type { RequiredPermission, TrailEvent, UsageAggregate } from '../../../src/model';
import { addDenied, addPermission, emptyAggregate } from '../../../src/usage';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';

let catalog: Promise<Catalog> | undefined;
/** The real IAM catalog with the services the tests use loaded. */
export function testCatalog(): Promise<Catalog> {
  catalog ??= loadCatalog().then(async (c) => {
    for (const s of [
      's3',
      'dynamodb',
      'logs',
      'sqs',
      'kms',
      'xray',
      'cloudwatch',
      'sns',
      'ssm',
      'secretsmanager',
    ])
      await c.ensureService(s);
    return c;
  });
  return catalog;
}

let n = 0;
/** A fresh event with the next id (ids sort in creation order). */
export function event(): TrailEvent {
  n++;
  return {
    eventId: `ev-${String(n).padStart(6, '0')}`,
    eventTime: '2026-11-02T00:00:00Z',
    eventSource: 'x',
    eventName: 'y',
    awsRegion: 'us-east-1',
    identity: { type: 'AssumedRole' },
  };
}

/** Usage from `[action, resource]` pairs (resource `*` gets wildcardReason no-resource-type). */
export function usageOf(calls: [string, string][], denied: [string, string][] = []): UsageAggregate {
  const agg = emptyAggregate();
  for (const [action, resource] of calls) {
    const p: RequiredPermission = {
      action,
      resource,
      origin: 'observed',
      ...(resource === '*' ? { wildcardReason: 'no-resource-type' } : {}),
    };
    addPermission(agg, p, event());
  }
  for (const [action, resource] of denied) addDenied(agg, { action, resource, origin: 'observed' }, event());
  return agg;
}

export const s3obj = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
export const table = (name: string, region = 'us-east-1', account = ACCOUNT) =>
  `arn:aws:dynamodb:${region}:${account}:table/${name}`;
