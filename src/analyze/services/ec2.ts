/**
 * EC2: resources named by id fields anywhere in the request (`vpcId`, `subnetId`,
 * `instancesSet.items[].instanceId`, the newer `{"<Op>Request": {…}}` wrapper …), per resource
 * type of the action (data/ec2-resources.json). A required type the request does not name is
 *
 * - the resource the call creates (`CreateVpc` → `vpc/*`, `RunInstances` → `instance/*`,
 *   `volume/*`, `network-interface/*`): IAM authorises it on the type's ARN with `*` for the id,
 *   not yet known, in the event's account and region;
 * - a default the call falls back to (`RunInstances` without a subnet uses the default subnet):
 *   the type's ARN with `*` for the id, reported as a wildcard;
 * - otherwise undefined: the event does not name it (the caller reports `*`).
 * Ids are validated (`<prefix>-<hex>`), never written otherwise.
 */
import type { Finding } from '../../model/findings';
import data from '../data/ec2-resources.json';
import {
  RejectedValue,
  type ResourceOutcome,
  type ResourceRequest,
  type ServiceResourceResolver,
} from './types';

interface TypeSpec {
  fields: string[];
  createdBy?: string[];
  default?: string[];
}

const TYPES = data.types as Record<string, TypeSpec>;
const ID_RE = /^[a-z]{1,16}-[0-9a-f]{8,17}$/;
const KEY_NAME_RE = /^[\x20-\x7e]{1,255}$/;
const SCOPE = new Set(['Partition', 'Region', 'Account']);
const MAX_DEPTH = 5;
const MAX_VALUES = 200;

/** Every string value of `names` anywhere in `obj` (objects and arrays, bounded). */
function collect(
  obj: unknown,
  names: ReadonlySet<string>,
  path: string,
  out: Map<string, string>,
  depth = 0,
): void {
  if (depth > MAX_DEPTH || out.size > MAX_VALUES || obj === null || typeof obj !== 'object') return;
  if (Array.isArray(obj)) {
    for (const v of obj.slice(0, MAX_VALUES)) collect(v, names, `${path}[]`, out, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const p = `${path}.${k}`;
    // The {"<Op>Request": {…}} wrapper spells fields in PascalCase (TrafficMirrorTargetId).
    if (names.has(k) || names.has(k.charAt(0).toLowerCase() + k.slice(1))) {
      if (typeof v === 'string') out.set(v, p);
      else if (v !== null && typeof v !== 'object') throw new RejectedValue(p, 'EC2 resource id string');
      else collect(v, names, p, out, depth + 1);
    } else collect(v, names, p, out, depth + 1);
  }
}

function idVariable(format: string): string | undefined {
  const vars = [...format.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]).filter((v) => !SCOPE.has(v));
  return vars.length === 1 ? vars[0] : undefined;
}

export const ec2Resolver: ServiceResourceResolver = {
  prefixes: ['ec2'],
  resolve(req: ResourceRequest): ResourceOutcome | undefined {
    const arns: string[] = [];
    const findings: Finding[] = [];
    let named = false;
    let missingRequired = false;
    for (const [type, spec] of Object.entries(TYPES)) {
      const format = req.formatOf(type);
      if (!format) continue;
      const variable = idVariable(format);
      if (!variable) continue;
      const found = new Map<string, string>();
      collect(req.params, new Set(spec.fields), 'requestParameters', found);
      const ids = [...found].filter(([id, path]) => {
        const ok = type === 'key-pair' ? KEY_NAME_RE.test(id) && !/[*?]/.test(id) : ID_RE.test(id);
        if (!ok)
          throw new RejectedValue(
            path,
            type === 'key-pair' ? 'EC2 key pair name' : 'EC2 resource id <prefix>-<hex>',
          );
        return true;
      });
      if (ids.length > 0) {
        named = true;
        for (const [id] of ids) {
          const arn = req.arnOf(type, { [variable]: id });
          if (arn) arns.push(arn);
        }
        continue;
      }
      const created = spec.createdBy?.includes(req.eventName);
      // A created type counts even where the SAR marks it optional (RunInstances creates the
      // instance's root volume: volume/* is needed for every EBS-backed AMI).
      if (!created && !req.requires(type)) continue;
      const fallback = spec.default?.includes(req.eventName);
      if (created || fallback) {
        const arn = req.arnOf(type, { [variable]: '*' });
        if (!arn) continue;
        arns.push(arn);
        if (!created) {
          findings.push({
            id: `PT-WILDCARD-RESOURCE[${req.action.name}:${type}]`,
            code: 'PT-WILDCARD-RESOURCE',
            severity: 'info',
            message: `${req.action.name} (from ${req.detail}) is allowed on every ${type} of its account and region: the call used a default ${type} it does not name`,
            count: 1,
            sampleEventIds: [req.event.eventId],
          });
        }
      } else missingRequired = true;
    }
    if (arns.length === 0) return undefined;
    // A required type neither named nor created: the event does not say enough; `*` stays honest.
    if (missingRequired && !named) return undefined;
    if (missingRequired)
      return {
        kind: 'unresolved',
        reason: 'the event names only some of the resources the action is authorised on',
      };
    return { kind: 'resources', arns: [...new Set(arns)].sort(), findings };
  },
};
