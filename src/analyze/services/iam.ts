/**
 * IAM: ARNs carry the entity's path (`role/service-role/name`), which most calls do not log (they
 * name `roleName` only). So a name becomes two resources, the root path and any path
 * (`role/NAME`, `role/*\/NAME`): exactly that name, wherever it lives. Where the event knows the
 * path (the `path` field of a create call, the ARN in `responseElements`), the exact ARN is used.
 * Calls that act on users and name none act on the calling IAM user (IAM: "If you do not specify
 * a user name, IAM determines the user name implicitly based on the AWS access key ID used to sign
 * the request"): the caller's ARN. ARN fields (`policyArn`, `openIDConnectProviderArn` …) are
 * taken as they are, once validated.
 */
import { check, text } from './fields';
import {
  RejectedValue,
  type ResourceOutcome,
  type ResourceRequest,
  type ServiceResourceResolver,
} from './types';

interface Entity {
  /** Catalog resource type, also the ARN's path segment (`role`, `user` …). */
  type: string;
  /** Request field with the entity's name, and the ARN format variable it fills. */
  nameField?: string;
  /** `…WithPath` variables take the entity's path before the name; the others have none. */
  variable?: string;
  /** Request field with its ARN. */
  arnField?: string;
  /** Key of `responseElements` whose `arn` is the entity's ARN (create/get calls). */
  responseKey?: string;
  /** The calling IAM user when no name is given. */
  callerImplicit?: boolean;
}

const ENTITIES: readonly Entity[] = [
  { type: 'role', nameField: 'roleName', variable: 'RoleNameWithPath', responseKey: 'role' },
  {
    type: 'user',
    nameField: 'userName',
    variable: 'UserNameWithPath',
    responseKey: 'user',
    callerImplicit: true,
  },
  { type: 'group', nameField: 'groupName', variable: 'GroupNameWithPath', responseKey: 'group' },
  {
    type: 'policy',
    nameField: 'policyName',
    variable: 'PolicyNameWithPath',
    arnField: 'policyArn',
    responseKey: 'policy',
  },
  {
    type: 'instance-profile',
    nameField: 'instanceProfileName',
    variable: 'InstanceProfileNameWithPath',
    responseKey: 'instanceProfile',
  },
  { type: 'server-certificate', nameField: 'serverCertificateName', variable: 'CertificateNameWithPath' },
  { type: 'oidc-provider', arnField: 'openIDConnectProviderArn' },
  { type: 'saml-provider', arnField: 'sAMLProviderArn', nameField: 'name', variable: 'SamlProviderName' },
  {
    type: 'mfa',
    arnField: 'serialNumber',
    nameField: 'virtualMFADeviceName',
    variable: 'MfaTokenIdWithPath',
  },
];

const PATH_RE = /^\/(?:[\x21-\x7e]{1,510}\/)?$/;
const IAM_ARN_RE = /^arn:(aws[a-z-]*):iam::(\d{12}|aws):([a-z-]+)\/(.+)$/;

function validArn(req: ResourceRequest, e: Entity, value: string, field: string): string {
  const m = IAM_ARN_RE.exec(value);
  // An MFA serial number may be a hardware device's serial, not an ARN: then it names no resource.
  if (!m || m[3] !== e.type || !req.fits(e.type, value))
    throw new RejectedValue(field, `IAM ${e.type} ARN arn:<partition>:iam::<account>:${e.type}/<path><name>`);
  return value;
}

function responseArn(req: ResourceRequest, e: Entity): string | undefined {
  if (!e.responseKey) return undefined;
  const obj = req.response[e.responseKey];
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const arn = (obj as Record<string, unknown>).arn;
  return typeof arn === 'string' && IAM_ARN_RE.test(arn) && req.fits(e.type, arn) ? arn : undefined;
}

/** The resources of one IAM entity type for this call, or undefined when the event names none. */
function entityArns(req: ResourceRequest, e: Entity): string[] | undefined {
  if (e.arnField) {
    const v = text(req.params, e.arnField, `requestParameters.${e.arnField}`);
    if (v !== undefined && (e.type !== 'mfa' || v.startsWith('arn:')))
      return [validArn(req, e, v, `requestParameters.${e.arnField}`)];
  }
  // Calls about any entity (GenerateServiceLastAccessedDetails, ListPoliciesGrantingServiceAccess)
  // name it by a generic `arn` field: the entity of that type, when the ARN is of it.
  const generic = text(req.params, 'arn', 'requestParameters.arn');
  if (generic !== undefined) {
    const m = IAM_ARN_RE.exec(generic);
    if (!m) throw new RejectedValue('requestParameters.arn', 'IAM entity ARN');
    if (m[3] === e.type) return [validArn(req, e, generic, 'requestParameters.arn')];
  }
  const fromResponse = responseArn(req, e);
  if (fromResponse) return [fromResponse];
  const name = e.nameField ? text(req.params, e.nameField, `requestParameters.${e.nameField}`) : undefined;
  if (name !== undefined) {
    check(name, `requestParameters.${e.nameField}`, 'iam-name');
    const arnOf = (value: string) => req.arnOf(e.type, { [e.variable ?? '']: value });
    if (!e.variable?.endsWith('WithPath')) {
      const arn = arnOf(name);
      return arn ? [arn] : undefined;
    }
    // A create call without `path` creates the entity at the root path `/` (IAM's default).
    const path =
      text(req.params, 'path', 'requestParameters.path') ??
      (req.eventName.startsWith('Create') ? '/' : undefined);
    if (path !== undefined) {
      if (!PATH_RE.test(path))
        throw new RejectedValue('requestParameters.path', 'IAM path /…/ of at most 512 characters');
      const exact = arnOf(`${path.slice(1)}${name}`);
      return exact ? [exact] : undefined;
    }
    const root = arnOf(name);
    const nested = arnOf(`*/${name}`);
    return root && nested ? [root, nested] : undefined;
  }
  if (e.callerImplicit && req.event.identity.type === 'IAMUser') {
    const arn = req.event.identity.arn;
    if (typeof arn === 'string' && IAM_ARN_RE.test(arn) && req.fits('user', arn)) return [arn];
  }
  return undefined;
}

export const iamResolver: ServiceResourceResolver = {
  prefixes: ['iam'],
  resolve(req): ResourceOutcome | undefined {
    const arns: string[] = [];
    for (const e of ENTITIES) {
      if (!req.lists(e.type)) continue;
      const got = entityArns(req, e);
      if (got) arns.push(...got);
    }
    return arns.length > 0 ? { kind: 'resources', arns: [...new Set(arns)].sort() } : undefined;
  },
};
