/**
 * The account state read live through the AWS SDK v3 (the I/O edge beside snapshot.ts): IAM's
 * account authorization details (roles, users, policies with their versions, boundaries,
 * RoleLastUsed) and, per region, Lambda's functions and event source mappings. It produces the
 * snapshot documents (docs/snapshot.md), so `snapshot --out DIR` writes exactly what a later
 * offline run reads, and live and offline runs parse the same way (accountStateFrom).
 *
 * Clients come in as narrow ports (`Pick<Client, 'send'>`), made by the CLI from the standard
 * credential chain; every page is followed. Failures become one InputError line naming what
 * failed and, for a denial, the permission it needs.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { describeAwsError, sdk } from '../sdk';
import { InputError } from '../errors';
import { decodePolicyDocument, type SnapshotDocuments } from './snapshot';

export type IamPort = Pick<IAMClient, 'send'>;
export type LambdaPort = Pick<LambdaClient, 'send'>;

export interface LivePorts {
  iam: IamPort;
  /** A Lambda client for a region. */
  lambda(region: string): LambdaPort;
}

/** Requests made, per API, for the closing summary and docs/permissions.md. */
export type RequestCounts = Record<string, number>;

/** One line for a failed read: what failed, then why (sdk.ts's describeAwsError). */
function failed(err: unknown, what: string, permission: string): string {
  return `${what}: ${describeAwsError(err, permission)}`;
}

/** Dates as ISO strings, as the AWS CLI prints them (the snapshot format). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

type Json = Record<string, unknown>;

/** IAM returns policy documents URL-encoded: decoded, as the AWS CLI prints them. */
function decodeDocuments(details: Json): Json {
  const decode = (doc: unknown, what: string) =>
    typeof doc === 'string' ? (decodePolicyDocument(doc, what) ?? doc) : doc;
  for (const r of (details.RoleDetailList as Json[] | undefined) ?? []) {
    r.AssumeRolePolicyDocument = decode(
      r.AssumeRolePolicyDocument,
      `role ${String(r.RoleName)} trust policy`,
    );
    for (const p of (r.RolePolicyList as Json[] | undefined) ?? [])
      p.PolicyDocument = decode(
        p.PolicyDocument,
        `role ${String(r.RoleName)} policy ${String(p.PolicyName)}`,
      );
  }
  for (const u of (details.UserDetailList as Json[] | undefined) ?? [])
    for (const p of (u.UserPolicyList as Json[] | undefined) ?? [])
      p.PolicyDocument = decode(
        p.PolicyDocument,
        `user ${String(u.UserName)} policy ${String(p.PolicyName)}`,
      );
  for (const g of (details.GroupDetailList as Json[] | undefined) ?? [])
    for (const p of (g.GroupPolicyList as Json[] | undefined) ?? [])
      p.PolicyDocument = decode(
        p.PolicyDocument,
        `group ${String(g.GroupName)} policy ${String(p.PolicyName)}`,
      );
  for (const m of (details.Policies as Json[] | undefined) ?? [])
    for (const v of (m.PolicyVersionList as Json[] | undefined) ?? [])
      v.Document = decode(v.Document, `policy ${String(m.PolicyName)} ${String(v.VersionId)}`);
  return details;
}

/** `aws iam get-account-authorization-details`, every page merged. */
async function authorizationDetails(iam: IamPort, counts: RequestCounts): Promise<Json> {
  const out: Json = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  let marker: string | undefined;
  do {
    counts['iam:GetAccountAuthorizationDetails'] = (counts['iam:GetAccountAuthorizationDetails'] ?? 0) + 1;
    let page;
    try {
      page = await iam.send(
        new (sdk.iam().GetAccountAuthorizationDetailsCommand)({ ...(marker ? { Marker: marker } : {}) }),
      );
    } catch (err) {
      throw new InputError(
        failed(err, 'reading IAM (GetAccountAuthorizationDetails)', 'iam:GetAccountAuthorizationDetails'),
        { cause: err },
      );
    }
    const p = plain(page) as unknown as Json;
    for (const k of ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'])
      (out[k] as unknown[]).push(...((p[k] as unknown[] | undefined) ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return decodeDocuments(out);
}

/** An IAM call, counted, its failure one line naming the permission. */
async function iamCall<T>(
  iam: IamPort,
  counts: RequestCounts,
  api: string,
  what: string,
  make: (m: ReturnType<typeof sdk.iam>) => unknown,
): Promise<T> {
  counts[`iam:${api}`] = (counts[`iam:${api}`] ?? 0) + 1;
  try {
    // Each command's own types; the port takes any command of the client.
    return plain(await iam.send(make(sdk.iam()) as never)) as unknown as T;
  } catch (err) {
    throw new InputError(failed(err, `reading IAM (${api} ${what})`, `iam:${api}`), { cause: err });
  }
}

/** Every page of an IAM list call (Marker / IsTruncated), the items under `key`. */
async function iamPages(
  iam: IamPort,
  counts: RequestCounts,
  api: string,
  what: string,
  key: string,
  make: (m: ReturnType<typeof sdk.iam>, marker: string | undefined) => unknown,
): Promise<unknown[]> {
  const items: unknown[] = [];
  let marker: string | undefined;
  do {
    const page = await iamCall<Json>(iam, counts, api, what, (m) => make(m, marker));
    items.push(...((page[key] as unknown[] | undefined) ?? []));
    marker = page.IsTruncated === true && typeof page.Marker === 'string' ? page.Marker : undefined;
  } while (marker);
  return items;
}

function isNoSuchEntity(err: unknown): boolean {
  const cause = (err as { cause?: { name?: string } })?.cause;
  return cause?.name === 'NoSuchEntityException' || cause?.name === 'NoSuchEntity';
}

/**
 * The authorization details of only `roleNames` (what `generate` needs, not the whole account):
 * each role (GetRole: trust policy, boundary, RoleLastUsed), its inline policies, its attached
 * managed policies and its boundary with their default versions, and its instance profiles, in
 * the shape of `get-account-authorization-details` so that it parses like a snapshot. A role
 * that does not exist is left out (the target's resolution says so).
 */
export async function roleAuthorizationDetails(
  iam: IamPort,
  roleNames: readonly string[],
  counts: RequestCounts = {},
): Promise<Json> {
  const roles: Json[] = [];
  const policyArns = new Set<string>();
  for (const name of [...new Set(roleNames)].sort()) {
    let role: Json;
    try {
      role = (
        await iamCall<Json>(iam, counts, 'GetRole', name, (m) => new m.GetRoleCommand({ RoleName: name }))
      ).Role as Json;
    } catch (err) {
      if (isNoSuchEntity(err)) continue;
      throw err;
    }
    const inlineNames = (await iamPages(
      iam,
      counts,
      'ListRolePolicies',
      name,
      'PolicyNames',
      (m, marker) => new m.ListRolePoliciesCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }),
    )) as string[];
    const inline: Json[] = [];
    for (const policyName of inlineNames.sort()) {
      const got = await iamCall<Json>(
        iam,
        counts,
        'GetRolePolicy',
        `${name} ${policyName}`,
        (m) => new m.GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }),
      );
      inline.push({ PolicyName: policyName, PolicyDocument: got.PolicyDocument });
    }
    const attached = (await iamPages(
      iam,
      counts,
      'ListAttachedRolePolicies',
      name,
      'AttachedPolicies',
      (m, marker) =>
        new m.ListAttachedRolePoliciesCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }),
    )) as Json[];
    const profiles = await iamPages(
      iam,
      counts,
      'ListInstanceProfilesForRole',
      name,
      'InstanceProfiles',
      (m, marker) =>
        new m.ListInstanceProfilesForRoleCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }),
    );
    for (const a of attached) if (typeof a.PolicyArn === 'string') policyArns.add(a.PolicyArn);
    const boundary = role.PermissionsBoundary as Json | undefined;
    if (typeof boundary?.PermissionsBoundaryArn === 'string') policyArns.add(boundary.PermissionsBoundaryArn);
    roles.push({
      ...role,
      RolePolicyList: inline,
      AttachedManagedPolicies: attached,
      InstanceProfileList: profiles,
    });
  }
  const policies: Json[] = [];
  for (const arn of [...policyArns].sort()) {
    const policy = (
      await iamCall<Json>(iam, counts, 'GetPolicy', arn, (m) => new m.GetPolicyCommand({ PolicyArn: arn }))
    ).Policy as Json;
    const version = typeof policy.DefaultVersionId === 'string' ? policy.DefaultVersionId : undefined;
    const versions: Json[] = [];
    if (version) {
      const got = await iamCall<Json>(
        iam,
        counts,
        'GetPolicyVersion',
        `${arn} ${version}`,
        (m) => new m.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: version }),
      );
      versions.push({ ...(got.PolicyVersion as Json), IsDefaultVersion: true });
    }
    policies.push({ ...policy, PolicyVersionList: versions });
  }
  return decodeDocuments({
    UserDetailList: [],
    GroupDetailList: [],
    RoleDetailList: roles,
    Policies: policies,
  });
}

/** Every page of a Lambda list call, as `{ key: [...] }` (the CLI's shape). */
async function lambdaList(
  lambda: LambdaPort,
  region: string,
  key: 'Functions' | 'EventSourceMappings',
  counts: RequestCounts,
): Promise<Json> {
  const items: unknown[] = [];
  const api = key === 'Functions' ? 'lambda:ListFunctions' : 'lambda:ListEventSourceMappings';
  let marker: string | undefined;
  do {
    counts[api] = (counts[api] ?? 0) + 1;
    let page: Json;
    try {
      const input = marker ? { Marker: marker } : {};
      page = plain(
        key === 'Functions'
          ? await lambda.send(new (sdk.lambda().ListFunctionsCommand)(input))
          : await lambda.send(new (sdk.lambda().ListEventSourceMappingsCommand)(input)),
      ) as unknown as Json;
    } catch (err) {
      throw new InputError(failed(err, `reading Lambda in ${region} (${api.split(':')[1]})`, api), {
        cause: err,
      });
    }
    items.push(...((page[key] as unknown[] | undefined) ?? []));
    marker = typeof page.NextMarker === 'string' ? page.NextMarker : undefined;
  } while (marker);
  return { [key]: items };
}

/** Lambda's documents (functions, event source mappings) of each region. */
export async function readLambdaLive(
  ports: LivePorts,
  regions: readonly string[],
  counts: RequestCounts = {},
): Promise<Pick<SnapshotDocuments, 'functions' | 'mappings'>> {
  const out: Pick<SnapshotDocuments, 'functions' | 'mappings'> = { functions: [], mappings: [] };
  for (const region of [...new Set(regions)].sort()) {
    const lambda = ports.lambda(region);
    out.functions.push({
      name: `functions-${region}.json`,
      json: await lambdaList(lambda, region, 'Functions', counts),
    });
    out.mappings.push({
      name: `event-source-mappings-${region}.json`,
      json: await lambdaList(lambda, region, 'EventSourceMappings', counts),
    });
  }
  return out;
}

/**
 * Reads the snapshot documents live: Lambda in each region, then IAM: the whole account, or only
 * the roles `focus` picks from Lambda's functions (undefined: the whole account).
 */
export async function readSnapshotLive(
  ports: LivePorts,
  regions: readonly string[],
  counts: RequestCounts = {},
  focus?: (lambda: Pick<SnapshotDocuments, 'functions' | 'mappings'>) => string[] | undefined,
): Promise<SnapshotDocuments> {
  const lambda = await readLambdaLive(ports, regions, counts);
  const roles = focus?.(lambda);
  return {
    authorizationDetails: roles
      ? await roleAuthorizationDetails(ports.iam, roles, counts)
      : await authorizationDetails(ports.iam, counts),
    ...lambda,
    metrics: [],
  };
}
