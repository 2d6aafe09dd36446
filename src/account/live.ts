/**
 * The account state read live through the AWS SDK v3 (the I/O edge beside snapshot.ts): IAM's
 * account authorization details (roles, users, policies with their versions, boundaries,
 * RoleLastUsed) and, per region, Lambda's functions and event source mappings. It produces the
 * snapshot documents (docs/snapshot.md), so `snapshot --out DIR` writes exactly what a later
 * offline run reads, and live and offline runs parse the same way (accountStateFrom).
 *
 * With `auditParts`, also the audit's optional parts (function resource policies, function URL
 * configs, Secrets Manager secrets' metadata): a denial of one of those reads leaves its part
 * unread (undefined: the audit lists its rules as not run) with a one-line note naming the
 * permission, and the run goes on.
 *
 * Clients come in as narrow ports (`Pick<Client, 'send'>`), made by the CLI from the standard
 * credential chain; every page is followed. Failures become one InputError line naming what
 * failed and, for a denial, the permission it needs.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describeAwsError, sdk } from '../sdk';
import { InputError } from '../errors';
import {
  decodePolicyDocument,
  type AuditPart,
  type RegionDocument,
  type SnapshotDocuments,
} from './snapshot';

export type IamPort = Pick<IAMClient, 'send'>;
export type LambdaPort = Pick<LambdaClient, 'send'>;
export type SecretsManagerPort = Pick<SecretsManagerClient, 'send'>;

export interface LivePorts {
  iam: IamPort;
  /** A Lambda client for a region. */
  lambda(region: string): LambdaPort;
  /** A Secrets Manager client for a region (the audit's secrets; without it they are not read). */
  secretsManager?(region: string): SecretsManagerPort;
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
 * the roles `focus` picks from Lambda's functions (undefined: the whole account). With `parts`,
 * also the audit's parts (readAuditPartsLive), their notes appended to `parts.notes`.
 */
export async function readSnapshotLive(
  ports: LivePorts,
  regions: readonly string[],
  counts: RequestCounts = {},
  focus?: (lambda: Pick<SnapshotDocuments, 'functions' | 'mappings'>) => string[] | undefined,
  parts?: { notes: string[] },
): Promise<SnapshotDocuments> {
  const lambda = await readLambdaLive(ports, regions, counts);
  const roles = focus?.(lambda);
  const docs: SnapshotDocuments = {
    authorizationDetails: roles
      ? await roleAuthorizationDetails(ports.iam, roles, counts)
      : await authorizationDetails(ports.iam, counts),
    ...lambda,
    metrics: [],
  };
  if (parts) {
    const read = await readAuditPartsLive(ports, regions, lambda.functions, counts);
    Object.assign(docs, read.docs);
    parts.notes.push(...read.notes);
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------
// The audit's parts. Operations and shapes: boto/botocore 0e6e240,
// botocore/data/lambda/2015-03-31/service-2.json (GetPolicy: GET
// /2015-03-31/functions/{FunctionName}/policy -> {Policy, RevisionId}, ResourceNotFoundException
// (404) for a function without a policy; ListFunctionUrlConfigs: GET
// /2021-10-31/functions/{FunctionName}/urls -> {FunctionUrlConfigs, NextMarker}, paginated by
// Marker, paginators-1.json) and botocore/data/secretsmanager/2017-10-17/service-2.json
// (ListSecrets: JSON 1.1 -> {SecretList, NextToken}, paginated by NextToken; SecretListEntry holds
// no secret value). IAM actions (Service Authorization Reference): lambda:GetPolicy and
// lambda:ListFunctionUrlConfigs on the function, secretsmanager:ListSecrets on `*`.

/** An SDK error that is a denial (the part is then not read; see describeAwsError). */
function isDenied(err: unknown): boolean {
  const e = err as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === 'AccessDenied' || e?.name === 'AccessDeniedException' || e?.$metadata?.httpStatusCode === 403
  );
}

function isResourceNotFound(err: unknown): boolean {
  return (err as { name?: unknown })?.name === 'ResourceNotFoundException';
}

/** What each part is, for the notes. */
const PART_TITLES: Record<AuditPart, string> = {
  functionPolicies: 'function resource policies',
  functionUrls: 'function URL configs',
  secrets: 'Secrets Manager secrets',
};

/** A denied read: its part is not read at all (a part read in some regions only is not one). */
class PartDenied extends Error {
  constructor(
    readonly note: string,
    options: { cause: unknown },
  ) {
    super(note, options);
  }
}

/** One counted request of a part; a denial is PartDenied, any other failure an InputError line. */
async function partCall<T>(
  counts: RequestCounts,
  api: string,
  part: AuditPart,
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  counts[api] = (counts[api] ?? 0) + 1;
  try {
    return plain(await call());
  } catch (err) {
    if (isDenied(err))
      throw new PartDenied(
        `${PART_TITLES[part]} not read: access denied to ${api} (${what}); the audit rules that need them are not run`,
        { cause: err },
      );
    throw err;
  }
}

/** The function names of a region's `functions-REGION.json` document. */
function functionNamesOf(functions: SnapshotDocuments['functions'], region: string): string[] {
  const doc = functions.find((f) => f.name === `functions-${region}.json`)?.json as Json | undefined;
  const list = (doc?.Functions as Json[] | undefined) ?? [];
  return [
    ...new Set(list.map((f) => f.FunctionName).filter((n): n is string => typeof n === 'string')),
  ].sort();
}

async function policiesOf(
  lambda: LambdaPort,
  region: string,
  names: string[],
  counts: RequestCounts,
): Promise<Json> {
  const out: Json = {};
  for (const name of names) {
    try {
      const got = await partCall(
        counts,
        'lambda:GetPolicy',
        'functionPolicies',
        `function ${name} in ${region}`,
        () => lambda.send(new (sdk.lambda().GetPolicyCommand)({ FunctionName: name })),
      );
      out[name] = {
        Policy: got.Policy,
        ...(got.RevisionId !== undefined ? { RevisionId: got.RevisionId } : {}),
      };
    } catch (err) {
      // A function without a resource policy: get-policy's ResourceNotFoundException (no key).
      if (isResourceNotFound(err)) continue;
      if (err instanceof PartDenied) throw err;
      throw new InputError(
        failed(err, `reading Lambda in ${region} (GetPolicy ${name})`, 'lambda:GetPolicy'),
        { cause: err },
      );
    }
  }
  return out;
}

async function urlConfigsOf(
  lambda: LambdaPort,
  region: string,
  names: string[],
  counts: RequestCounts,
): Promise<Json> {
  const out: Json = {};
  for (const name of names) {
    const configs: unknown[] = [];
    let marker: string | undefined;
    try {
      do {
        const page = await partCall(
          counts,
          'lambda:ListFunctionUrlConfigs',
          'functionUrls',
          `function ${name} in ${region}`,
          () =>
            lambda.send(
              new (sdk.lambda().ListFunctionUrlConfigsCommand)({
                FunctionName: name,
                ...(marker ? { Marker: marker } : {}),
              }),
            ),
        );
        configs.push(...(page.FunctionUrlConfigs ?? []));
        marker = typeof page.NextMarker === 'string' && page.NextMarker !== '' ? page.NextMarker : undefined;
      } while (marker);
    } catch (err) {
      // The function was deleted since it was listed.
      if (isResourceNotFound(err)) continue;
      if (err instanceof PartDenied) throw err;
      throw new InputError(
        failed(
          err,
          `reading Lambda in ${region} (ListFunctionUrlConfigs ${name})`,
          'lambda:ListFunctionUrlConfigs',
        ),
        { cause: err },
      );
    }
    out[name] = { FunctionUrlConfigs: configs };
  }
  return out;
}

async function secretsOf(sm: SecretsManagerPort, region: string, counts: RequestCounts): Promise<Json> {
  const list: unknown[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await partCall(counts, 'secretsmanager:ListSecrets', 'secrets', `in ${region}`, () =>
        sm.send(new (sdk.secretsManager().ListSecretsCommand)({ ...(token ? { NextToken: token } : {}) })),
      );
      list.push(...(page.SecretList ?? []));
      token = typeof page.NextToken === 'string' && page.NextToken !== '' ? page.NextToken : undefined;
    } while (token);
  } catch (err) {
    if (err instanceof PartDenied) throw err;
    throw new InputError(
      failed(err, `reading Secrets Manager in ${region} (ListSecrets)`, 'secretsmanager:ListSecrets'),
      { cause: err },
    );
  }
  return { SecretList: list };
}

/**
 * The audit's parts of each region, as the snapshot files `function-policies-REGION.json`,
 * `function-url-configs-REGION.json` and `secrets-REGION.json` (docs/snapshot.md): GetPolicy and
 * ListFunctionUrlConfigs (every page) per function of `functions` (readLambdaLive's documents),
 * ListSecrets (every page) per region. A denied part is left out (undefined) with a note; a
 * part is read in every region or not at all.
 */
export async function readAuditPartsLive(
  ports: LivePorts,
  regions: readonly string[],
  functions: SnapshotDocuments['functions'],
  counts: RequestCounts = {},
): Promise<{ docs: Pick<SnapshotDocuments, AuditPart>; notes: string[] }> {
  const docs: Pick<SnapshotDocuments, AuditPart> = {};
  const notes: string[] = [];
  const sorted = [...new Set(regions)].sort();
  const readPart = async (
    part: AuditPart,
    file: string,
    read: (region: string) => Promise<Json>,
  ): Promise<void> => {
    const out: RegionDocument[] = [];
    try {
      for (const region of sorted)
        out.push({ name: `${file}-${region}.json`, region, json: await read(region) });
    } catch (err) {
      if (!(err instanceof PartDenied)) throw err;
      notes.push(err.note);
      return;
    }
    docs[part] = out;
  };
  await readPart('functionPolicies', 'function-policies', (region) =>
    policiesOf(ports.lambda(region), region, functionNamesOf(functions, region), counts),
  );
  await readPart('functionUrls', 'function-url-configs', (region) =>
    urlConfigsOf(ports.lambda(region), region, functionNamesOf(functions, region), counts),
  );
  const secretsManager = ports.secretsManager;
  if (secretsManager)
    await readPart('secrets', 'secrets', (region) => secretsOf(secretsManager(region), region, counts));
  else
    notes.push(
      `${PART_TITLES.secrets} not read: no Secrets Manager client; the audit rules that need them are not run`,
    );
  return { docs, notes };
}
