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

/** Reads the snapshot documents live: IAM once, Lambda in each region. */
export async function readSnapshotLive(
  ports: LivePorts,
  regions: readonly string[],
  counts: RequestCounts = {},
): Promise<SnapshotDocuments> {
  const lambda = await readLambdaLive(ports, regions, counts);
  return { authorizationDetails: await authorizationDetails(ports.iam, counts), ...lambda, metrics: [] };
}
