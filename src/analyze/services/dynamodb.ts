/**
 * DynamoDB: tables named by `tableName` (a name or, since 2024, a table ARN); Query/Scan on an
 * index are authorised on the index ARN only; BatchGetItem/BatchWriteItem name their tables in
 * `requestItems` (keys, or `tableName` of array items); TransactGetItems/TransactWriteItems name a
 * table per item, and TransactWriteItems needs PutItem/UpdateItem/DeleteItem/ConditionCheckItem only
 * for the item kinds present.
 */
import { isAccount, isRegion } from '../validate';
import { check, field, isObject, keysOf, list, text } from './fields';
import {
  RejectedValue,
  type ResourceOutcome,
  type ResourceRequest,
  type ServiceResourceResolver,
} from './types';

/** TransactWriteItems item kind → the action it needs (SAR has no dynamodb:TransactWriteItems). */
const WRITE_KIND: Record<string, string> = {
  put: 'dynamodb:PutItem',
  update: 'dynamodb:UpdateItem',
  delete: 'dynamodb:DeleteItem',
  conditionCheck: 'dynamodb:ConditionCheckItem',
};

const TABLE_ARN_RE = /^arn:(aws(?:-[a-z]+)*):dynamodb:([a-z0-9-]+):(\d{12}):table\/([^/]+)$/;

/** A table name or table ARN → the table ARN. */
function tableArn(req: ResourceRequest, value: string, path: string): string {
  if (value.startsWith('arn:')) {
    const m = TABLE_ARN_RE.exec(value);
    if (!m || !isRegion(m[2]) || !isAccount(m[3]))
      throw new RejectedValue(path, 'DynamoDB table name or table ARN');
    check(m[4], path, 'dynamodb-name');
    return value;
  }
  check(value, path, 'dynamodb-name');
  const arn = req.arnOf('table', { TableName: value });
  if (!arn) throw new RejectedValue(path, 'DynamoDB table name or table ARN');
  return arn;
}

function batchTables(req: ResourceRequest): string[] | undefined {
  const path = 'requestParameters.requestItems';
  const keys = keysOf(req.params, 'requestItems', path);
  if (keys) return keys.map((k) => tableArn(req, k, path));
  const items = list(req.params, 'requestItems', path);
  if (!items) return undefined;
  const out: string[] = [];
  for (const it of items) {
    const t = text(it, 'tableName', `${path}[].tableName`);
    if (t !== undefined) out.push(tableArn(req, t, `${path}[].tableName`));
  }
  return out;
}

/** Tables of the transaction items of `kind` (`get`, `put`, ...); undefined when no items are logged. */
function transactTables(req: ResourceRequest, kinds: string[]): string[] | undefined {
  const path = 'requestParameters.transactItems';
  const items = list(req.params, 'transactItems', path);
  if (!items) return undefined;
  const out: string[] = [];
  for (const it of items) {
    if (!isObject(it)) throw new RejectedValue(path, 'array of transaction items');
    for (const kind of kinds) {
      const op = field(it, kind);
      if (op === undefined) continue;
      const t = text(op, 'tableName', `${path}[].${kind}.tableName`);
      if (t === undefined) throw new RejectedValue(`${path}[].${kind}.tableName`, 'DynamoDB table name');
      out.push(tableArn(req, t, `${path}[].${kind}.tableName`));
    }
  }
  return out;
}

export const dynamodbResolver: ServiceResourceResolver = {
  prefixes: ['dynamodb'],
  resolve(req): ResourceOutcome | undefined {
    const { eventName, action } = req;
    if (eventName === 'BatchGetItem' || eventName === 'BatchWriteItem') {
      const arns = batchTables(req);
      if (!arns || arns.length === 0)
        return { kind: 'unresolved', reason: 'the event lists no requestItems tables' };
      return { kind: 'resources', arns };
    }
    if (eventName === 'TransactGetItems') {
      const arns = transactTables(req, ['get']);
      if (!arns || arns.length === 0)
        return { kind: 'unresolved', reason: 'the event lists no transactItems tables' };
      return { kind: 'resources', arns };
    }
    if (eventName === 'TransactWriteItems') {
      const kind = Object.keys(WRITE_KIND).find((k) => WRITE_KIND[k] === action.name);
      if (!kind) return undefined;
      const all = transactTables(req, Object.keys(WRITE_KIND));
      if (!all) return { kind: 'unresolved', reason: 'the event lists no transactItems' };
      const arns = transactTables(req, [kind]) ?? [];
      return arns.length === 0 ? { kind: 'not-needed' } : { kind: 'resources', arns };
    }
    const tableName = text(req.params, 'tableName', 'requestParameters.tableName');
    if (tableName === undefined || !req.lists('table')) return undefined;
    // Plain names without an index: the data-driven path (resource-params.json) fills them.
    if (!tableName.startsWith('arn:') && field(req.params, 'indexName') === undefined) return undefined;
    const table = tableArn(req, tableName, 'requestParameters.tableName');
    const indexName = text(req.params, 'indexName', 'requestParameters.indexName', 'dynamodb-name');
    if (indexName !== undefined && req.lists('index')) {
      // Query/Scan on an index is authorised on the index ARN, not the table's.
      return { kind: 'resources', arns: [`${table}/index/${indexName}`] };
    }
    return { kind: 'resources', arns: [table] };
  },
};
