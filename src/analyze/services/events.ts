/**
 * EventBridge. PutEvents is authorised on the bus of each entry (`entries[].eventBusName`, a name or
 * an ARN), the account's `default` bus when an entry names none. Rule calls name the rule in `name`
 * (PutRule, DescribeRule, DeleteRule, EnableRule, DisableRule) or `rule` (PutTargets, RemoveTargets,
 * ListTargetsByRule), on the bus `eventBusName` (default bus: `rule/<name>`, other buses:
 * `rule/<bus>/<name>`).
 */
import { isAccount, isRegion } from '../validate';
import { check, field, isObject, list, text } from './fields';
import {
  RejectedValue,
  type ResourceOutcome,
  type ResourceRequest,
  type ServiceResourceResolver,
} from './types';

const BUS_ARN_RE = /^arn:(aws(?:-[a-z]+)*):events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/;
const DEFAULT_BUS = 'default';

interface Bus {
  name: string;
  /** Set when the bus was given as an ARN (its partition, region and account win). */
  arn?: string;
  where?: { Partition: string; Region: string; Account: string };
}

function bus(value: string | undefined, path: string): Bus {
  if (value === undefined) return { name: DEFAULT_BUS };
  if (value.startsWith('arn:')) {
    const m = BUS_ARN_RE.exec(value);
    if (!m || !isRegion(m[2]) || !isAccount(m[3]))
      throw new RejectedValue(path, 'EventBridge event bus name or event bus ARN');
    check(m[4], path, 'event-bus-name');
    return { name: m[4], arn: value, where: { Partition: m[1], Region: m[2], Account: m[3] } };
  }
  return { name: check(value, path, 'event-bus-name') };
}

function busArn(req: ResourceRequest, b: Bus): string | undefined {
  return b.arn ?? req.arnOf('event-bus', { EventBusName: b.name });
}

export const eventsResolver: ServiceResourceResolver = {
  prefixes: ['events'],
  resolve(req): ResourceOutcome | undefined {
    if (req.eventName === 'PutEvents' && req.lists('event-bus')) {
      const path = 'requestParameters.entries';
      const entries = list(req.params, 'entries', path);
      const arns = new Set<string>();
      if (!entries || entries.length === 0) {
        const a = busArn(req, bus(undefined, path));
        if (a) arns.add(a);
      } else {
        for (const e of entries) {
          if (!isObject(e)) throw new RejectedValue(path, 'array of entries');
          const a = busArn(
            req,
            bus(text(e, 'eventBusName', `${path}[].eventBusName`), `${path}[].eventBusName`),
          );
          if (a) arns.add(a);
        }
      }
      if (arns.size === 0) return { kind: 'unresolved', reason: 'no account for the event bus' };
      return { kind: 'resources', arns: [...arns] };
    }
    if (req.lists('rule-on-default-event-bus') || req.lists('rule-on-custom-event-bus')) {
      const ruleField = field(req.params, 'rule') !== undefined ? 'rule' : 'name';
      const rule = text(req.params, ruleField, `requestParameters.${ruleField}`, 'events-rule-name');
      if (rule === undefined) return undefined;
      const b = bus(
        text(req.params, 'eventBusName', 'requestParameters.eventBusName'),
        'requestParameters.eventBusName',
      );
      const arn =
        b.name === DEFAULT_BUS
          ? req.arnOf('rule-on-default-event-bus', { ...b.where, RuleName: rule })
          : req.arnOf('rule-on-custom-event-bus', { ...b.where, EventBusName: b.name, RuleName: rule });
      if (!arn) return { kind: 'unresolved', reason: 'no account for the rule' };
      return { kind: 'resources', arns: [arn] };
    }
    return undefined;
  },
};
