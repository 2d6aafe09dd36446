/**
 * Per-service resource resolvers (strategy pattern): one interface, one small module per service
 * whose request parameters do not fit the data-driven path of `request-params.ts`
 * (`data/resource-params.json`). A resolver turns one event + one IAM action into the resource
 * ARNs the action is authorised on, filling the catalog's ARN formats.
 */
import type { CatalogAction } from '../../catalog/catalog';
import type { Finding } from '../../model/findings';
import type { Correlation } from '../../model/mapping';
import type { TrailEvent } from '../../model/trail-event';
import type { Bindings } from '../request-params';

export interface ResourceRequest {
  event: TrailEvent;
  /** Normalised event name (`GetFunction20150331v2` → `GetFunction`). */
  eventName: string;
  /** `eventSource:eventName`, for messages. */
  detail: string;
  action: CatalogAction;
  /** The action's service prefix. */
  prefix: string;
  /** `requestParameters` (empty object when absent). */
  params: Record<string, unknown>;
  /** `responseElements` (empty object when absent). */
  response: Record<string, unknown>;
  /** Partition, Region and (when known) Account of the event. */
  base: Bindings;
  /** Validated ARNs of the event's `resources[]`. */
  eventArns: readonly string[];
  /** Fixed bindings of the rule (e.g. `ObjectName: *`). */
  bind?: Record<string, string>;
  /** Does the action list resource type `key` (case-insensitive)? */
  lists(key: string): boolean;
  /** The catalog's ARN format of type `key` filled with base + `bindings`; undefined if a variable is unbound. */
  arnOf(key: string, bindings: Bindings): string | undefined;
  /** Does `arn` fit the ARN format of type `key`? */
  fits(key: string, arn: string): boolean;
  /** The catalog's ARN format of type `key` (with `${Placeholders}`), when the action lists it. */
  formatOf(key: string): string | undefined;
  /** Is resource type `key` required by the action (Service Authorization Reference)? */
  requires(key: string): boolean;
}

export type ResourceOutcome =
  /** The action is authorised on these ARNs (plus optional findings and correlations). */
  | { kind: 'resources'; arns: string[]; findings?: Finding[]; provides?: Correlation[] }
  /** A value breaks its constraint: the event is rejected (field + constraint, never the value). */
  | { kind: 'rejected'; field: string; constraint: string }
  /** The resource cannot be determined: `*` + PT-UNRESOLVED-RESOURCE with this reason (no raw values). */
  | { kind: 'unresolved'; reason: string; provides?: Correlation[] }
  /** Another event of the trail may name the resource: `*` with a correlation key, no finding. */
  | { kind: 'correlated'; items: { key: string; reason: string }[]; provides?: Correlation[] }
  /** This event does not need the action (TransactWriteItems without a Put item needs no PutItem). */
  | { kind: 'not-needed' };

export interface ServiceResourceResolver {
  /** IAM service prefixes of the actions it resolves. */
  readonly prefixes: readonly string[];
  /** Undefined: not irregular for this event/action, the data-driven path applies. */
  resolve(req: ResourceRequest): ResourceOutcome | undefined;
}

/** Thrown inside resolvers for a value that breaks its constraint; caught by `resolveServiceResources`. */
export class RejectedValue extends Error {
  constructor(
    readonly field: string,
    readonly constraint: string,
  ) {
    super(`${field}: ${constraint}`);
  }
}
