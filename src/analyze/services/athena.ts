/**
 * Athena workgroups. Calls that name a workgroup (`workGroup`) are authorised on it; the ones that
 * default to `primary` when none is given use that. Calls naming only a query execution id
 * (GetQueryExecution, GetQueryResults, StopQueryExecution, GetQueryRuntimeStatistics,
 * BatchGetQueryExecution) are authorised on the workgroup the query ran in, which only the
 * StartQueryExecution event shows: they carry a correlation key `athena:query:<id>` and that event
 * `provides` the workgroup under the same key.
 */
import { UUID_RE } from '../validate';
import { check, field, list, text } from './fields';
import type { ResourceOutcome, ResourceRequest, ServiceResourceResolver } from './types';

/** Calls whose workgroup defaults to `primary` when the request names none (Athena API reference). */
const DEFAULT_PRIMARY = new Set([
  'StartQueryExecution',
  'ListQueryExecutions',
  'ListNamedQueries',
  'CreateNamedQuery',
  'ListPreparedStatements',
]);
const BY_QUERY_ID = new Set([
  'GetQueryExecution',
  'GetQueryResults',
  'StopQueryExecution',
  'GetQueryRuntimeStatistics',
]);

export const DEFAULT_WORKGROUP = 'primary';

export function athenaQueryKey(id: string): string {
  return `athena:query:${id.toLowerCase()}`;
}

function queryId(value: string, path: string): string {
  return check(value, path, 'uuid');
}

function workgroupArn(req: ResourceRequest, name: string): string | undefined {
  return req.arnOf('workgroup', { WorkGroupName: name });
}

export const athenaResolver: ServiceResourceResolver = {
  prefixes: ['athena'],
  resolve(req): ResourceOutcome | undefined {
    if (!req.lists('workgroup')) return undefined;
    const { eventName } = req;
    if (BY_QUERY_ID.has(eventName) || eventName === 'BatchGetQueryExecution') {
      const ids: string[] = [];
      const one = text(req.params, 'queryExecutionId', 'requestParameters.queryExecutionId');
      if (one !== undefined) ids.push(queryId(one, 'requestParameters.queryExecutionId'));
      for (const v of list(req.params, 'queryExecutionIds', 'requestParameters.queryExecutionIds') ?? []) {
        if (typeof v !== 'string')
          return {
            kind: 'rejected',
            field: 'requestParameters.queryExecutionIds',
            constraint: 'array of UUIDs',
          };
        ids.push(queryId(v, 'requestParameters.queryExecutionIds'));
      }
      if (ids.length === 0) return { kind: 'unresolved', reason: 'the event names no query execution id' };
      return {
        kind: 'correlated',
        items: [...new Set(ids.map((i) => i.toLowerCase()))].map((id) => ({
          key: athenaQueryKey(id),
          reason: `Athena query ${id} not started in the trail window`,
        })),
      };
    }
    const named = text(req.params, 'workGroup', 'requestParameters.workGroup', 'athena-workgroup');
    const name = named ?? (DEFAULT_PRIMARY.has(eventName) ? DEFAULT_WORKGROUP : undefined);
    if (name === undefined) return undefined;
    const arn = workgroupArn(req, name);
    if (!arn) return { kind: 'unresolved', reason: 'no account for the Athena workgroup' };
    if (eventName !== 'StartQueryExecution') return { kind: 'resources', arns: [arn] };
    const started = field(req.response, 'queryExecutionId');
    // The id comes from the response: only a well-formed one becomes a key; otherwise nothing is provided.
    const provides =
      typeof started === 'string' && UUID_RE.test(started)
        ? [{ key: athenaQueryKey(started), resource: arn }]
        : [];
    return { kind: 'resources', arns: [arn], provides };
  },
};
