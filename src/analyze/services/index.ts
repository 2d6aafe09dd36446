/**
 * The resource step for irregular services: picks the service's resolver (strategy) and turns its
 * outcome into permissions, findings and correlations. Regular services return undefined here
 * and use the data-driven path (`request-params.ts`, `data/resource-params.json`).
 */
import type { Catalog, CatalogAction } from '../../catalog/catalog';
import type { Finding } from '../../model/findings';
import type { Correlation, RequiredPermission } from '../../model/mapping';
import type { TrailEvent } from '../../model/trail-event';
import { compileArnTemplate, fillArnTemplate } from '../arn-template';
import type { Bindings } from '../request-params';
import { partitionOfContext } from '../validate';
import { athenaResolver } from './athena';
import { dynamodbResolver } from './dynamodb';
import { eventsResolver } from './events';
import { ec2Resolver } from './ec2';
import { glueResolver } from './glue';
import { iamResolver } from './iam';
import { kmsResolver } from './kms';
import { lambdaResolver } from './lambda';
import { s3Resolver } from './s3';
import { secretsmanagerResolver } from './secretsmanager';
import { ssmResolver } from './ssm';
import {
  RejectedValue,
  type ResourceOutcome,
  type ResourceRequest,
  type ServiceResourceResolver,
} from './types';

export type { ResourceOutcome, ResourceRequest, ServiceResourceResolver } from './types';
export { athenaQueryKey } from './athena';

const RESOLVERS: readonly ServiceResourceResolver[] = [
  athenaResolver,
  dynamodbResolver,
  ec2Resolver,
  eventsResolver,
  glueResolver,
  iamResolver,
  kmsResolver,
  lambdaResolver,
  s3Resolver,
  secretsmanagerResolver,
  ssmResolver,
];

const BY_PREFIX: ReadonlyMap<string, ServiceResourceResolver> = new Map(
  RESOLVERS.flatMap((r) => r.prefixes.map((p) => [p, r] as const)),
);

export interface ServiceResourceInput {
  catalog: Catalog;
  event: TrailEvent;
  /** Normalised event name. */
  eventName: string;
  /** `eventSource:eventName`. */
  detail: string;
  action: CatalogAction;
  /** Partition, Region, Account of the event. */
  base: Bindings;
  /** Validated ARNs of `resources[]`. */
  eventArns: readonly string[];
  bind?: Record<string, string>;
}

export type ServiceResourceResult =
  | { kind: 'rejected'; field: string; constraint: string }
  | { kind: 'done'; permissions: RequiredPermission[]; findings: Finding[]; provides: Correlation[] };

function unresolvedFinding(input: ServiceResourceInput, reason: string): Finding {
  const action = input.action.name;
  return {
    id: `PT-UNRESOLVED-RESOURCE[${action}]`,
    code: 'PT-UNRESOLVED-RESOURCE',
    severity: 'warning',
    message: `The resource of ${action} (from ${input.detail}) could not be determined: ${reason}; it is allowed on "*"`,
    count: 1,
    sampleEventIds: [input.event.eventId],
  };
}

/** Build the request a resolver sees. */
export function resourceRequest(input: ServiceResourceInput): ResourceRequest {
  const { catalog, action } = input;
  const prefix = action.name.slice(0, action.name.indexOf(':'));
  const types = new Set(action.resourceTypes.map((t) => t.name.toLowerCase()));
  const base: Bindings = { ...input.base };
  if (base.Region !== undefined)
    base.Partition = partitionOfContext(base.Region, [input.event.identity?.arn, ...input.eventArns]);
  const format = (key: string): string | undefined => catalog.resourceType(prefix, key)?.arn;
  const params = input.event.requestParameters;
  const response = input.event.responseElements;
  return {
    event: input.event,
    eventName: input.eventName,
    detail: input.detail,
    action,
    prefix,
    params: params && typeof params === 'object' ? params : {},
    response: response && typeof response === 'object' ? response : {},
    base,
    eventArns: input.eventArns,
    bind: input.bind,
    lists: (key) => types.has(key.toLowerCase()),
    arnOf: (key, bindings) => {
      if (!types.has(key.toLowerCase())) return undefined;
      const f = format(key);
      return f === undefined ? undefined : fillArnTemplate(f, { ...base, ...bindings });
    },
    fits: (key, arn) => {
      const f = format(key);
      return f !== undefined && compileArnTemplate(f).regex.test(arn);
    },
    formatOf: (key) => (types.has(key.toLowerCase()) ? format(key) : undefined),
    requires: (key) =>
      action.resourceTypes.some((t) => t.required && t.name.toLowerCase() === key.toLowerCase()),
  };
}

/** Run a resolver, turning a thrown RejectedValue into a rejected outcome. */
export function runResolver(r: ServiceResourceResolver, req: ResourceRequest): ResourceOutcome | undefined {
  try {
    return r.resolve(req);
  } catch (e) {
    if (e instanceof RejectedValue) return { kind: 'rejected', field: e.field, constraint: e.constraint };
    throw e;
  }
}

/**
 * Resources of one action of one event when its service is irregular; undefined when the
 * data-driven path applies.
 */
export function resolveServiceResources(input: ServiceResourceInput): ServiceResourceResult | undefined {
  const prefix = input.action.name.slice(0, input.action.name.indexOf(':'));
  const resolver = BY_PREFIX.get(prefix);
  if (!resolver) return undefined;
  const outcome = runResolver(resolver, resourceRequest(input));
  if (!outcome) return undefined;
  const action = input.action.name;
  const done = (
    permissions: RequiredPermission[],
    findings: Finding[] = [],
    provides: Correlation[] = [],
  ): ServiceResourceResult => ({ kind: 'done', permissions, findings, provides });
  switch (outcome.kind) {
    case 'rejected':
      return outcome;
    case 'not-needed':
      return done([]);
    case 'resources': {
      const arns = [...new Set(outcome.arns)].sort();
      return done(
        arns.map((resource) => ({ action, resource, origin: 'observed' as const })),
        outcome.findings,
        outcome.provides,
      );
    }
    case 'unresolved':
      return done(
        [{ action, resource: '*', origin: 'observed', wildcardReason: outcome.reason }],
        [unresolvedFinding(input, outcome.reason)],
        outcome.provides,
      );
    case 'correlated':
      return done(
        outcome.items.map((i) => ({
          action,
          resource: '*',
          origin: 'observed' as const,
          wildcardReason: i.reason,
          correlationKey: i.key,
        })),
        [],
        outcome.provides,
      );
  }
}
