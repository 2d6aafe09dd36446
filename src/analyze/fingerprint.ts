/**
 * A fingerprint of the mapping's data (rules, resource parameters, dependent permissions,
 * required fields, conditions …): a cache of mapped usage is valid only for the same mapping.
 */
import { createHash } from 'node:crypto';
import apigateway from './data/apigateway-operations.json';
import conditions from './data/condition-context.json';
import dependent from './data/dependent-permissions.json';
import ec2 from './data/ec2-resources.json';
import rules from './data/event-rules.json';
import prefixes from './data/eventsource-prefix.json';
import noPermission from './data/no-permission.json';
import required from './data/required-fields.json';
import params from './data/resource-params.json';
import unmappable from './data/unmappable.json';

let memo: string | undefined;

/** SHA-256 (hex, 16 digits) of every mapping data file. */
export function mappingFingerprint(): string {
  memo ??= createHash('sha256')
    .update(
      JSON.stringify([
        apigateway,
        conditions,
        dependent,
        ec2,
        rules,
        prefixes,
        noPermission,
        required,
        params,
        unmappable,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  return memo;
}
