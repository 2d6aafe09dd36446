/**
 * Local IAM (Query protocol, XML) and Lambda (REST-JSON) endpoints serving an account snapshot
 * directory: GetAccountAuthorizationDetails in pages of a few roles (Marker), ListFunctions and
 * ListEventSourceMappings per region (the region read from the request's SigV4 scope) in pages
 * of two (NextMarker), GetPolicy (ResourceNotFoundException without a policy) and
 * ListFunctionUrlConfigs (one config a page) from function-policies-REGION.json and
 * function-url-configs-REGION.json, with injected throttling and denials.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { startEndpoint, xml, xmlError, type LocalEndpoint } from './server';

const DOCUMENT_KEYS = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']);

/** AWS Query-protocol XML of a value: lists as `<member>`, documents URL-encoded as IAM sends them. */
function toXml(key: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${key}>${value.map((v) => toXml('member', v)).join('')}</${key}>`;
  if (typeof value === 'object') {
    if (DOCUMENT_KEYS.has(key)) return `<${key}>${xml(encodeURIComponent(JSON.stringify(value)))}</${key}>`;
    return `<${key}>${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v))
      .join('')}</${key}>`;
  }
  return `<${key}>${xml(String(value))}</${key}>`;
}

function regionOf(authorization: string | undefined): string {
  return /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(authorization ?? '')?.[1] ?? 'us-east-1';
}

export interface LocalAccountOptions {
  /** Snapshot directory to serve (authorization-details.json, functions-REGION.json …). */
  snapshot: string;
  /** Roles per GetAccountAuthorizationDetails page. @default 3 */
  rolesPerPage?: number;
  /** How many first IAM requests answer Throttling. @default 0 */
  throttleIam?: number;
  /** Deny these APIs (`GetAccountAuthorizationDetails`, `ListFunctions`, …) with AccessDenied. */
  deny?: string[];
}

type Json = Record<string, unknown>;

/** A Query-protocol answer `<ActionResponse><ActionResult>…` of `fields`. */
function result(res: ServerResponse, action: string, fields: Json): void {
  res.setHeader('content-type', 'text/xml');
  res.end(
    `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${action}Result>` +
      Object.entries(fields)
        .map(([k, v]) => toXml(k, v))
        .join('') +
      `</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`,
  );
}

/** One item a page (Marker = index): every list call of the per-role reading is paged for real. */
function paged(items: unknown[], form: URLSearchParams, key: string): Json {
  const from = Number(form.get('Marker') ?? '0');
  const more = from + 1 < items.length;
  return {
    [key]: items.slice(from, from + 1),
    IsTruncated: more,
    ...(more ? { Marker: String(from + 1) } : {}),
  };
}

function noSuchEntity(res: ServerResponse, what: string): void {
  res.statusCode = 404;
  res.setHeader('content-type', 'text/xml');
  res.end(
    `<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The ${xml(what)} cannot be found.</Message></Error><RequestId>n</RequestId></ErrorResponse>`,
  );
}

/**
 * The per-role IAM reads (GetRole, ListRolePolicies, GetRolePolicy, ListAttachedRolePolicies,
 * ListInstanceProfilesForRole, GetPolicy, GetPolicyVersion) answered from the same
 * authorization details, as IAM answers them.
 */
function roleApi(details: Json, action: string, form: URLSearchParams, res: ServerResponse): void {
  const roles = details.RoleDetailList as Json[];
  const policies = details.Policies as Json[];
  const roleName = form.get('RoleName');
  const role = roles.find((r) => r.RoleName === roleName);
  const policy = policies.find((p) => p.Arn === form.get('PolicyArn'));
  switch (action) {
    case 'GetRole': {
      if (!role) return noSuchEntity(res, `role ${roleName ?? ''}`);
      const { RolePolicyList, AttachedManagedPolicies, InstanceProfileList, ...rest } = role;
      void RolePolicyList;
      void AttachedManagedPolicies;
      void InstanceProfileList;
      return result(res, action, { Role: rest });
    }
    case 'ListRolePolicies':
      if (!role) return noSuchEntity(res, `role ${roleName ?? ''}`);
      return result(
        res,
        action,
        paged(
          ((role.RolePolicyList as Json[]) ?? []).map((p) => p.PolicyName),
          form,
          'PolicyNames',
        ),
      );
    case 'GetRolePolicy': {
      const p = ((role?.RolePolicyList as Json[]) ?? []).find((x) => x.PolicyName === form.get('PolicyName'));
      if (!role || !p) return noSuchEntity(res, 'role policy');
      return result(res, action, {
        RoleName: roleName,
        PolicyName: p.PolicyName,
        PolicyDocument: p.PolicyDocument,
      });
    }
    case 'ListAttachedRolePolicies':
      if (!role) return noSuchEntity(res, `role ${roleName ?? ''}`);
      return result(
        res,
        action,
        paged((role.AttachedManagedPolicies as Json[]) ?? [], form, 'AttachedPolicies'),
      );
    case 'ListInstanceProfilesForRole':
      if (!role) return noSuchEntity(res, `role ${roleName ?? ''}`);
      return result(res, action, paged((role.InstanceProfileList as Json[]) ?? [], form, 'InstanceProfiles'));
    case 'GetPolicy': {
      if (!policy) return noSuchEntity(res, 'policy');
      const { PolicyVersionList, ...rest } = policy;
      void PolicyVersionList;
      return result(res, action, { Policy: rest });
    }
    case 'GetPolicyVersion': {
      const v = ((policy?.PolicyVersionList as Json[]) ?? []).find(
        (x) => x.VersionId === form.get('VersionId'),
      );
      if (!policy || !v) return noSuchEntity(res, 'policy version');
      return result(res, action, { PolicyVersion: v });
    }
    default:
      return xmlError(res, 400, 'InvalidAction');
  }
}

export async function startLocalIam(options: LocalAccountOptions): Promise<LocalEndpoint> {
  const details = JSON.parse(readFileSync(path.join(options.snapshot, 'authorization-details.json'), 'utf8'));
  const perPage = options.rolesPerPage ?? 3;
  let throttle = options.throttleIam ?? 0;
  return startEndpoint((req, res) => {
    const form = new URLSearchParams(req.body);
    const action = form.get('Action');
    if (throttle > 0) {
      throttle--;
      res.statusCode = 400;
      res.setHeader('content-type', 'text/xml');
      res.end(
        '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>t</RequestId></ErrorResponse>',
      );
      return;
    }
    if ((options.deny ?? []).includes(action ?? '')) {
      res.statusCode = 403;
      res.setHeader('content-type', 'text/xml');
      res.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: iam:${xml(action ?? '')}</Message></Error><RequestId>d</RequestId></ErrorResponse>`,
      );
      return;
    }
    if (action !== 'GetAccountAuthorizationDetails') return roleApi(details, action ?? '', form, res);
    const page = Number(form.get('Marker') ?? '0');
    const roles = details.RoleDetailList.slice(page * perPage, (page + 1) * perPage);
    const last = (page + 1) * perPage >= details.RoleDetailList.length;
    const first = page === 0;
    res.setHeader('content-type', 'text/xml');
    res.end(
      `<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult>` +
        `<IsTruncated>${!last}</IsTruncated>${last ? '' : `<Marker>${page + 1}</Marker>`}` +
        toXml('UserDetailList', first ? details.UserDetailList : []) +
        toXml('GroupDetailList', first ? details.GroupDetailList : []) +
        toXml('RoleDetailList', roles) +
        toXml('Policies', first ? details.Policies : []) +
        `</GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>r${page}</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>`,
    );
  });
}

export async function startLocalLambda(options: LocalAccountOptions): Promise<LocalEndpoint> {
  const files = readdirSync(options.snapshot);
  const load = (prefix: string, region: string, key: string): unknown[] => {
    const f = files.find((x) => x === `${prefix}-${region}.json`);
    return f ? JSON.parse(readFileSync(path.join(options.snapshot, f), 'utf8'))[key] : [];
  };
  const byName = (prefix: string, region: string): Record<string, Json> => {
    const f = files.find((x) => x === `${prefix}-${region}.json`);
    return f ? JSON.parse(readFileSync(path.join(options.snapshot, f), 'utf8')) : {};
  };
  return startEndpoint((req, res) => {
    const region = regionOf(req.headers.authorization as string | undefined);
    const json = (status: number, body: unknown, type?: string) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      if (type) res.setHeader('x-amzn-errortype', type);
      res.end(JSON.stringify(body));
    };
    const policy = /^\/2015-03-31\/functions\/([^/]+)\/policy$/.exec(req.path);
    const urls = /^\/2021-10-31\/functions\/([^/]+)\/urls$/.exec(req.path);
    const api = policy
      ? 'GetPolicy'
      : urls
        ? 'ListFunctionUrlConfigs'
        : req.path.startsWith('/2015-03-31/functions')
          ? 'ListFunctions'
          : 'ListEventSourceMappings';
    if ((options.deny ?? []).includes(api))
      return json(403, { message: `not authorized to perform: lambda:${api}` }, 'AccessDeniedException');
    const notFound = (name: string) =>
      json(404, { Type: 'User', Message: `Function not found: ${name}` }, 'ResourceNotFoundException');
    if (policy) {
      const got = byName('function-policies', region)[policy[1]];
      return got ? json(200, got) : notFound(policy[1]);
    }
    if (urls) {
      const got = byName('function-url-configs', region)[urls[1]];
      if (!got) return notFound(urls[1]);
      const configs = (got.FunctionUrlConfigs as unknown[]) ?? [];
      const from = Number(req.query.get('Marker') ?? '0');
      return json(200, {
        FunctionUrlConfigs: configs.slice(from, from + 1),
        ...(from + 1 < configs.length ? { NextMarker: String(from + 1) } : {}),
      });
    }
    const [items, key] =
      api === 'ListFunctions'
        ? [load('functions', region, 'Functions'), 'Functions']
        : [load('event-source-mappings', region, 'EventSourceMappings'), 'EventSourceMappings'];
    const from = Number(req.query.get('Marker') ?? '0');
    // On the wire, Lambda's timestamps (an event source mapping's LastModified) are epoch seconds.
    const page = items.slice(from, from + 2).map((item) => {
      const o = { ...(item as Record<string, unknown>) };
      if (api === 'ListEventSourceMappings' && typeof o.LastModified === 'string')
        o.LastModified = Date.parse(o.LastModified) / 1000;
      return o;
    });
    json(200, { [key]: page, ...(from + 2 < items.length ? { NextMarker: String(from + 2) } : {}) });
  });
}
