/**
 * KMS keys. `keyId` may be a key id (UUID or multi-Region `mrk-…`), a key ARN, an alias name
 * (`alias/x`) or an alias ARN. Cryptographic and key-management actions are authorised on the KEY,
 * never on the alias (KMS developer guide, "Using aliases to control access": an alias in
 * `Resource` does not match); an alias names no key, so the key ARN comes from the event's
 * `resources[]` (KMS events list it), else `*` with a PT-UNRESOLVED-RESOURCE finding. Alias
 * management (CreateAlias/UpdateAlias/DeleteAlias) is authorised on the alias and the key.
 */
import { parseArn } from '../validate';
import { check, text } from './fields';
import {
  RejectedValue,
  type ResourceOutcome,
  type ResourceRequest,
  type ServiceResourceResolver,
} from './types';

const KEY_ID_RE =
  /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$/;
const KEY_CONSTRAINT = 'KMS key id (UUID or mrk- id), key ARN, alias name or alias ARN';

type KeyRef = { kind: 'key'; arn: string } | { kind: 'alias'; arn?: string } | { kind: 'none' };

function keyRef(req: ResourceRequest, param: string): KeyRef {
  const path = `requestParameters.${param}`;
  const v = text(req.params, param, path);
  if (v === undefined) return { kind: 'none' };
  if (v.startsWith('arn:')) {
    const p = parseArn(v);
    if (!p || p.service !== 'kms') throw new RejectedValue(path, KEY_CONSTRAINT);
    if (req.fits('key', v)) return { kind: 'key', arn: v };
    if (req.fits('alias', v)) return { kind: 'alias', arn: v };
    throw new RejectedValue(path, KEY_CONSTRAINT);
  }
  if (KEY_ID_RE.test(v)) {
    const arn = req.arnOf('key', { KeyId: v });
    return arn ? { kind: 'key', arn } : { kind: 'none' };
  }
  check(v, path, 'kms-alias');
  return { kind: 'alias', arn: req.arnOf('alias', { Alias: v.slice('alias/'.length) }) };
}

const ALIAS_ACTIONS = new Set(['CreateAlias', 'UpdateAlias', 'DeleteAlias']);

export const kmsResolver: ServiceResourceResolver = {
  prefixes: ['kms'],
  resolve(req): ResourceOutcome | undefined {
    if (!req.lists('key')) return undefined;
    const eventKeys = req.eventArns.filter((a) => req.fits('key', a));
    if (ALIAS_ACTIONS.has(req.eventName) && req.lists('alias')) {
      const alias = text(req.params, 'aliasName', 'requestParameters.aliasName', 'kms-alias');
      const arns: string[] = [];
      const aliasArn = alias ? req.arnOf('alias', { Alias: alias.slice('alias/'.length) }) : undefined;
      if (aliasArn) arns.push(aliasArn);
      const target = keyRef(req, 'targetKeyId');
      if (target.kind === 'key') arns.push(target.arn);
      else arns.push(...eventKeys);
      // The alias and the key are both required.
      if (!aliasArn || arns.length < 2)
        return { kind: 'unresolved', reason: 'the event does not name both the alias and its key' };
      return { kind: 'resources', arns };
    }
    const ref = keyRef(req, 'keyId');
    if (ref.kind === 'key') return { kind: 'resources', arns: [ref.arn] };
    if (eventKeys.length > 0) return { kind: 'resources', arns: eventKeys };
    return {
      kind: 'unresolved',
      reason:
        ref.kind === 'alias'
          ? 'the request names a KMS alias and the event lists no key ARN (aliases are not authorised, keys are)'
          : 'the request names no key (Decrypt reads it from the ciphertext) and the event lists no key ARN',
    };
  },
};
