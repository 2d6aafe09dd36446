/**
 * Account snapshot directory (contract, docs/DESIGN "Account snapshot directory"): plain AWS CLI
 * outputs, read offline.
 *
 * - `authorization-details.json`: `aws iam get-account-authorization-details` (one object, or a JSON
 *   array of pages that are merged)
 * - `functions*.json`: `aws lambda list-functions` (any number of files, e.g. one per region)
 * - `event-source-mappings*.json`: `aws lambda list-event-source-mappings` (optional)
 * - `get-metric-data-REGION.json`: `aws cloudwatch get-metric-data` of Invocations (optional)
 * - `function-policies-REGION.json`, `function-url-configs-REGION.json`, `secrets-REGION.json`:
 *   the audit's parts (optional; audit-parts.ts)
 *
 * This is the I/O edge; the parsing functions below it are pure and exported for reuse (the live
 * account reader feeds the same shapes through them).
 */
import { promises as fs } from 'fs';
import * as path from 'path';

import { InputError } from '../errors';
import type {
  AccountState,
  EventSourceMappingInfo,
  FunctionInfo,
  FunctionPolicyInfo,
  FunctionUrlInfo,
  GroupInfo,
  InvocationMetric,
  ManagedPolicyInfo,
  PolicyDocumentLike,
  RoleInfo,
  SecretInfo,
  UserInfo,
} from '../model/account';

export const AUTHORIZATION_DETAILS_FILE = 'authorization-details.json';
const FUNCTIONS_FILE = /^functions.*\.json$/;
const MAPPINGS_FILE = /^event-source-mappings.*\.json$/;
/** `aws cloudwatch get-metric-data` exports of the Invocations metric, one per region. */
const METRICS_FILE = /^get-metric-data-([a-z]{2}(?:-[a-z]+)+-\d+)\.json$/;

type Json = Record<string, unknown>;

/** Reads an account snapshot directory. Every problem is an InputError with a one-line message. */
export async function loadAccountSnapshot(dir: string): Promise<AccountState> {
  let entries: string[];
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) throw new InputError(`account snapshot is not a directory: ${dir}`);
    entries = (await fs.readdir(dir)).sort();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`account snapshot not found: ${dir}`, { cause: e });
  }

  if (!entries.includes(AUTHORIZATION_DETAILS_FILE)) {
    const file = path.join(dir, AUTHORIZATION_DETAILS_FILE);
    throw new InputError(
      `account snapshot has no ${AUTHORIZATION_DETAILS_FILE}: ${file} (make it with ` +
        `\`aws iam get-account-authorization-details > ${file}\`)`,
    );
  }
  const docs: SnapshotDocuments = {
    authorizationDetails: await readJson(path.join(dir, AUTHORIZATION_DETAILS_FILE)),
    functions: [],
    mappings: [],
    metrics: [],
  };
  for (const name of entries.filter((e) => FUNCTIONS_FILE.test(e)))
    docs.functions.push({ name, json: await readJson(path.join(dir, name)) });
  for (const name of entries.filter((e) => MAPPINGS_FILE.test(e)))
    docs.mappings.push({ name, json: await readJson(path.join(dir, name)) });
  for (const name of entries) {
    const m = METRICS_FILE.exec(name);
    if (m) docs.metrics.push({ name, region: m[1], json: await readJson(path.join(dir, name)) });
  }
  // The audit's parts: undefined without a file of the kind, a list (maybe empty) with one.
  for (const part of Object.keys(AUDIT_PART_FILES) as AuditPart[]) {
    for (const name of entries) {
      const m = AUDIT_PART_FILES[part].exec(name);
      if (m) (docs[part] ??= []).push({ name, region: m[1], json: await readJson(path.join(dir, name)) });
    }
  }
  return accountStateFrom(docs);
}

/**
 * The documents of a snapshot, as the AWS CLI (or the live reader) produced them: the contract
 * of docs/snapshot.md, before parsing. `name` is the file name, for messages.
 */
export interface SnapshotDocuments {
  authorizationDetails: unknown;
  functions: { name: string; json: unknown }[];
  mappings: { name: string; json: unknown }[];
  metrics: { name: string; region: string; json: unknown }[];
  /** `function-policies-REGION.json` documents; undefined: not read (the audit's rules not run). */
  functionPolicies?: RegionDocument[];
  /** `function-url-configs-REGION.json` documents; as above. */
  functionUrls?: RegionDocument[];
  /** `secrets-REGION.json` documents; as above. */
  secrets?: RegionDocument[];
}

/** A document of one region (the region is in its file name). */
export interface RegionDocument {
  name: string;
  region: string;
  json: unknown;
}

/** The optional parts of the account state the audit reads. */
export type AuditPart = 'functionPolicies' | 'functionUrls' | 'secrets';

/** Parses snapshot documents into the account state (the same for files and live reads). */
export function accountStateFrom(docs: SnapshotDocuments): AccountState {
  const iam = parseAuthorizationDetails(docs.authorizationDetails, AUTHORIZATION_DETAILS_FILE);
  const metrics = docs.metrics.flatMap((m) => parseInvocationMetrics(m.json, m.region, m.name));
  const metricRegions = [...new Set(docs.metrics.map((m) => m.region))].sort();
  const functions = mergeFunctions(docs.functions.map((f) => parseFunctionList(f.json, f.name)));
  const state: AccountState = {
    ...iam,
    functions,
    eventSourceMappings: mergeMappings(docs.mappings.map((m) => parseEventSourceMappings(m.json, m.name))),
    ...(metricRegions.length > 0 ? { invocationMetrics: metrics, metricRegions } : {}),
  };
  const partRegions: NonNullable<AccountState['partRegions']> = {};
  const regionsOf = (list: RegionDocument[]) => [...new Set(list.map((d) => d.region))].sort(cmp);
  if (docs.functionPolicies) {
    state.functionPolicies = uniqueBy(
      docs.functionPolicies.flatMap((d): FunctionPolicyInfo[] =>
        parseFunctionPolicies(d.json, d.region, d.name, functions),
      ),
      (p) => p.functionArn,
    ).sort((a, b) => cmp(a.functionArn, b.functionArn));
    partRegions.functionPolicies = regionsOf(docs.functionPolicies);
  }
  if (docs.functionUrls) {
    state.functionUrls = uniqueBy(
      docs.functionUrls.flatMap((d): FunctionUrlInfo[] => parseFunctionUrlConfigs(d.json, d.region, d.name)),
      (u) => u.functionArn,
    ).sort((a, b) => cmp(a.functionArn, b.functionArn));
    partRegions.functionUrls = regionsOf(docs.functionUrls);
  }
  if (docs.secrets) {
    state.secrets = uniqueBy(
      docs.secrets.flatMap((d): SecretInfo[] => parseSecretList(d.json, d.region, d.name)),
      (x) => x.arn,
    ).sort((a, b) => cmp(a.arn, b.arn));
    partRegions.secrets = regionsOf(docs.secrets);
  }
  if (Object.keys(partRegions).length > 0) state.partRegions = partRegions;
  return state;
}

const METRIC_LABEL_RE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Parses an `aws cloudwatch get-metric-data` export (`{"MetricDataResults":[{Label, Timestamps,
 * Values}]}`) whose queries are the Invocations sums of functions, each result labelled with the
 * function name (docs/snapshot.md). A result that is not complete or not labelled with a function
 * name is an InputError naming the file: a partial export must not read as "no invocations".
 */
export function parseInvocationMetrics(json: unknown, region: string, fileName: string): InvocationMetric[] {
  const items = pageItems(json, 'MetricDataResults', fileName, '`aws cloudwatch get-metric-data`');
  return items
    .map((r, i): InvocationMetric => {
      if (!isObject(r) || typeof r.Label !== 'string' || !METRIC_LABEL_RE.test(r.Label))
        throw new InputError(`${fileName}: MetricDataResults[${i}] has no Label naming a function`);
      if (r.StatusCode !== undefined && r.StatusCode !== 'Complete')
        throw new InputError(
          `${fileName}: MetricDataResults[${i}] (${r.Label}) is ${String(r.StatusCode)}, not Complete: export it again`,
        );
      const times = Array.isArray(r.Timestamps) ? r.Timestamps : [];
      const values = Array.isArray(r.Values) ? r.Values : [];
      if (times.length !== values.length)
        throw new InputError(
          `${fileName}: MetricDataResults[${i}] (${r.Label}) has Timestamps and Values of different lengths`,
        );
      const points = times.map((t, j) => {
        const v = values[j];
        if (typeof t !== 'string' || Number.isNaN(Date.parse(t)) || typeof v !== 'number' || !(v >= 0))
          throw new InputError(`${fileName}: MetricDataResults[${i}] (${r.Label}) has an invalid datapoint`);
        return { time: new Date(t).toISOString(), value: v };
      });
      points.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
      return { region, functionName: r.Label, points };
    })
    .sort((a, b) => (a.functionName < b.functionName ? -1 : a.functionName > b.functionName ? 1 : 0));
}

async function readJson(file: string): Promise<unknown> {
  const name = path.basename(file);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`${name}: cannot read ${file}: ${oneLine(e)}`, { cause: e });
  }
  return parseJsonText(text, name);
}

/** JSON.parse with a one-line InputError naming the file; tolerates a UTF-8 BOM. */
export function parseJsonText(text: string, fileName: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new InputError(`${fileName}: file is empty`);
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new InputError(`${fileName}: invalid JSON (${oneLine(e)})`, { cause: e });
  }
}

// ---------------------------------------------------------------------------------------------
// IAM: get-account-authorization-details

const GAAD_LISTS = ['RoleDetailList', 'UserDetailList', 'GroupDetailList', 'Policies'] as const;

/** Parses `aws iam get-account-authorization-details` output (one page or an array of pages). */
export function parseAuthorizationDetails(
  json: unknown,
  fileName = AUTHORIZATION_DETAILS_FILE,
): Pick<AccountState, 'roles' | 'users' | 'groups' | 'policies'> {
  const pages = Array.isArray(json) ? json : [json];
  if (pages.length === 0) throw new InputError(`${fileName}: empty array, expected ${GAAD_SHAPE}`);
  const merged: Record<(typeof GAAD_LISTS)[number], unknown[]> = {
    RoleDetailList: [],
    UserDetailList: [],
    GroupDetailList: [],
    Policies: [],
  };
  pages.forEach((page, i) => {
    const where = pages.length > 1 ? `${fileName}: page ${i + 1}` : fileName;
    if (!isObject(page) || !GAAD_LISTS.some((k) => k in page)) {
      throw new InputError(`${where}: not the output of ${GAAD_SHAPE}`);
    }
    for (const key of GAAD_LISTS) {
      const list = page[key];
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw new InputError(`${where}: ${key} is not an array`);
      merged[key].push(...list);
    }
  });

  const account = guessAccountId(merged.RoleDetailList, merged.UserDetailList);
  const roles = uniqueBy(
    merged.RoleDetailList.map((r, i) => parseRole(r, i, fileName)),
    (r) => r.arn,
  );
  const users = uniqueBy(
    merged.UserDetailList.map((u, i) => parseUser(u, i, fileName)),
    (u) => u.arn,
  );
  const groups = uniqueBy(
    merged.GroupDetailList.map((g, i) => parseGroup(g, i, fileName)),
    (g) => g.arn,
  );
  const policies = uniqueBy(
    merged.Policies.map((p, i) => parseManagedPolicy(p, i, fileName, account)),
    (p) => p.arn,
  );
  return {
    roles: roles.sort((a, b) => cmp(a.arn, b.arn)),
    users: users.sort((a, b) => cmp(a.arn, b.arn)),
    ...(groups.length > 0 ? { groups: groups.sort((a, b) => cmp(a.arn, b.arn)) } : {}),
    policies: policies.sort((a, b) => cmp(a.arn, b.arn)),
  };
}

/** An inline policy list (RolePolicyList, UserPolicyList, GroupPolicyList: botocore PolicyDetail). */
function parseInlineList(
  list: unknown,
  key: string,
  who: string,
  fileName: string,
): { name: string; document: PolicyDocumentLike }[] {
  return optionalArray(list, `${fileName}: ${who}: ${key}`)
    .map((p, j) => {
      if (!isObject(p) || typeof p.PolicyName !== 'string') {
        throw new InputError(`${fileName}: ${who}: ${key}[${j}] has no PolicyName`);
      }
      const what = `${fileName}: ${who}: inline policy ${p.PolicyName}`;
      return { name: p.PolicyName, document: decodePolicyDocument(p.PolicyDocument, what) ?? {} };
    })
    .sort((a, b) => cmp(a.name, b.name));
}

/** AttachedManagedPolicies (botocore AttachedPolicy: PolicyArn), unique and sorted. */
function parseAttachedList(list: unknown, who: string, fileName: string): string[] {
  const arns = optionalArray(list, `${fileName}: ${who}: AttachedManagedPolicies`).map((a, j) => {
    if (!isObject(a) || typeof a.PolicyArn !== 'string') {
      throw new InputError(`${fileName}: ${who}: AttachedManagedPolicies[${j}] has no PolicyArn`);
    }
    return a.PolicyArn;
  });
  return [...new Set(arns)].sort(cmp);
}

/**
 * One UserDetailList entry. Field names from the IAM API model (botocore
 * botocore/data/iam/2010-05-08/service-2.json, shape UserDetail): UserName, Arn, UserPolicyList
 * (PolicyDetail: PolicyName, PolicyDocument), GroupList (group names), AttachedManagedPolicies
 * (AttachedPolicy: PolicyArn), PermissionsBoundary (AttachedPermissionsBoundary:
 * PermissionsBoundaryArn).
 */
function parseUser(u: unknown, i: number, fileName: string): UserInfo {
  if (!isObject(u) || typeof u.UserName !== 'string' || typeof u.Arn !== 'string') {
    throw new InputError(`${fileName}: UserDetailList[${i}] has no UserName or Arn`);
  }
  const who = `user ${u.UserName}`;
  const groupNames = optionalArray(u.GroupList, `${fileName}: ${who}: GroupList`).map((g, j) => {
    if (typeof g !== 'string')
      throw new InputError(`${fileName}: ${who}: GroupList[${j}] is not a group name`);
    return g;
  });
  const user: UserInfo = {
    userName: u.UserName,
    arn: u.Arn,
    inlinePolicies: parseInlineList(u.UserPolicyList, 'UserPolicyList', who, fileName),
    attachedPolicyArns: parseAttachedList(u.AttachedManagedPolicies, who, fileName),
    groupNames: [...new Set(groupNames)].sort(cmp),
  };
  if (isObject(u.PermissionsBoundary) && typeof u.PermissionsBoundary.PermissionsBoundaryArn === 'string') {
    user.permissionsBoundaryArn = u.PermissionsBoundary.PermissionsBoundaryArn;
  }
  return user;
}

/**
 * One GroupDetailList entry (botocore iam/2010-05-08 service-2.json, shape GroupDetail: GroupName,
 * Arn, GroupPolicyList, AttachedManagedPolicies).
 */
function parseGroup(g: unknown, i: number, fileName: string): GroupInfo {
  if (!isObject(g) || typeof g.GroupName !== 'string' || typeof g.Arn !== 'string') {
    throw new InputError(`${fileName}: GroupDetailList[${i}] has no GroupName or Arn`);
  }
  const who = `group ${g.GroupName}`;
  return {
    groupName: g.GroupName,
    arn: g.Arn,
    inlinePolicies: parseInlineList(g.GroupPolicyList, 'GroupPolicyList', who, fileName),
    attachedPolicyArns: parseAttachedList(g.AttachedManagedPolicies, who, fileName),
  };
}

const GAAD_SHAPE = '`aws iam get-account-authorization-details` (expected RoleDetailList, Policies, …)';

function parseRole(r: unknown, i: number, fileName: string): RoleInfo {
  if (!isObject(r) || typeof r.RoleName !== 'string' || typeof r.Arn !== 'string') {
    throw new InputError(`${fileName}: RoleDetailList[${i}] has no RoleName or Arn`);
  }
  const roleName = r.RoleName;
  const who = `role ${roleName}`;
  const role: RoleInfo = {
    roleName,
    arn: r.Arn,
    path: typeof r.Path === 'string' && r.Path !== '' ? r.Path : '/',
    inlinePolicies: parseInlineList(r.RolePolicyList, 'RolePolicyList', who, fileName),
    attachedPolicyArns: parseAttachedList(r.AttachedManagedPolicies, who, fileName),
  };
  if (typeof r.RoleId === 'string') role.roleId = r.RoleId;
  const profiles = optionalArray(r.InstanceProfileList, `${fileName}: role ${roleName}: InstanceProfileList`)
    .map((p) => (isObject(p) && typeof p.Arn === 'string' ? p.Arn : undefined))
    .filter((a): a is string => a !== undefined);
  if (profiles.length > 0) role.instanceProfileArns = [...new Set(profiles)].sort(cmp);
  if (isObject(r.PermissionsBoundary) && typeof r.PermissionsBoundary.PermissionsBoundaryArn === 'string') {
    role.permissionsBoundaryArn = r.PermissionsBoundary.PermissionsBoundaryArn;
  }
  const created = isoDate(r.CreateDate);
  if (created) role.createDate = created;
  if (isObject(r.RoleLastUsed)) {
    const last = isoDate(r.RoleLastUsed.LastUsedDate);
    if (last) role.lastUsedDate = last;
    if (typeof r.RoleLastUsed.Region === 'string') role.lastUsedRegion = r.RoleLastUsed.Region;
  }
  const trust = decodePolicyDocument(
    r.AssumeRolePolicyDocument,
    `${fileName}: role ${roleName}: trust policy`,
  );
  if (trust) role.trustPolicy = trust;
  return role;
}

function parseManagedPolicy(
  p: unknown,
  i: number,
  fileName: string,
  account: string | undefined,
): ManagedPolicyInfo {
  if (!isObject(p) || typeof p.PolicyName !== 'string') {
    throw new InputError(`${fileName}: Policies[${i}] has no PolicyName`);
  }
  const name = p.PolicyName;
  let arn = typeof p.Arn === 'string' ? p.Arn : undefined;
  if (!arn) {
    // Some hand-made snapshots omit Arn; a customer managed policy's ARN follows from path + name.
    if (!account) throw new InputError(`${fileName}: policy ${name} has no Arn`);
    arn = `arn:aws:iam::${account}:policy${typeof p.Path === 'string' ? p.Path : '/'}${name}`;
  }
  const info: ManagedPolicyInfo = { arn, name };
  const defaultVersionId = typeof p.DefaultVersionId === 'string' ? p.DefaultVersionId : undefined;
  if (defaultVersionId) info.defaultVersionId = defaultVersionId;
  const versions = optionalArray(p.PolicyVersionList, `${fileName}: policy ${name}: PolicyVersionList`);
  const chosen =
    versions.find((v) => isObject(v) && v.IsDefaultVersion === true) ??
    versions.find((v) => isObject(v) && defaultVersionId !== undefined && v.VersionId === defaultVersionId);
  if (isObject(chosen)) {
    if (!info.defaultVersionId && typeof chosen.VersionId === 'string')
      info.defaultVersionId = chosen.VersionId;
    const doc = decodePolicyDocument(
      chosen.Document,
      `${fileName}: policy ${name} version ${String(chosen.VersionId ?? '?')}`,
    );
    if (doc) info.document = doc;
  }
  return info;
}

/**
 * A policy document as the AWS CLI prints it (an object) or as the raw IAM API returns it (a
 * URL-encoded JSON string). Undefined when absent; InputError naming `what` when undecodable.
 */
export function decodePolicyDocument(doc: unknown, what: string): PolicyDocumentLike | undefined {
  if (doc === undefined || doc === null) return undefined;
  if (isObject(doc)) return doc as PolicyDocumentLike;
  if (typeof doc !== 'string') throw new InputError(`${what}: policy document is neither JSON nor a string`);
  let parsed: unknown;
  const text = doc.trim();
  try {
    parsed = JSON.parse(text.startsWith('{') ? text : decodeURIComponent(text));
  } catch {
    try {
      parsed = JSON.parse(decodeURIComponent(text.replace(/\+/g, ' ')));
    } catch (e) {
      throw new InputError(`${what}: policy document cannot be decoded (${oneLine(e)})`, { cause: e });
    }
  }
  if (!isObject(parsed)) throw new InputError(`${what}: policy document is not a JSON object`);
  return parsed as PolicyDocumentLike;
}

function guessAccountId(...lists: unknown[][]): string | undefined {
  for (const list of lists) {
    for (const item of list) {
      const m =
        isObject(item) && typeof item.Arn === 'string' ? /^arn:[^:]+:iam::(\d{12}):/.exec(item.Arn) : null;
      if (m) return m[1];
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Lambda: list-functions, list-event-source-mappings

/** Parses `aws lambda list-functions` output (`{"Functions":[…]}`, or an array of such pages). */
export function parseFunctionList(json: unknown, fileName: string): FunctionInfo[] {
  const items = pageItems(json, 'Functions', fileName, '`aws lambda list-functions`');
  const out = items.map((f, i): FunctionInfo => {
    if (!isObject(f) || typeof f.FunctionName !== 'string' || typeof f.FunctionArn !== 'string') {
      throw new InputError(`${fileName}: Functions[${i}] has no FunctionName or FunctionArn`);
    }
    const arnParts = f.FunctionArn.split(':');
    if (arnParts.length < 7 || arnParts[2] !== 'lambda' || !arnParts[3]) {
      throw new InputError(
        `${fileName}: function ${f.FunctionName}: not a Lambda function ARN: ${f.FunctionArn}`,
      );
    }
    if (typeof f.Role !== 'string')
      throw new InputError(`${fileName}: function ${f.FunctionName} has no Role`);
    const info: FunctionInfo = {
      name: f.FunctionName,
      arn: f.FunctionArn,
      region: arnParts[3],
      roleArn: f.Role,
      config: f,
    };
    if (typeof f.Runtime === 'string') info.runtime = f.Runtime;
    return info;
  });
  return out;
}

/** Parses `aws lambda list-event-source-mappings` output (`{"EventSourceMappings":[…]}`). */
export function parseEventSourceMappings(json: unknown, fileName: string): EventSourceMappingInfo[] {
  const items = pageItems(json, 'EventSourceMappings', fileName, '`aws lambda list-event-source-mappings`');
  return items.map((m, i): EventSourceMappingInfo => {
    if (!isObject(m) || typeof m.UUID !== 'string' || typeof m.FunctionArn !== 'string') {
      throw new InputError(`${fileName}: EventSourceMappings[${i}] has no UUID or FunctionArn`);
    }
    const info: EventSourceMappingInfo = { uuid: m.UUID, functionArn: m.FunctionArn, config: m };
    if (typeof m.EventSourceArn === 'string') info.eventSourceArn = m.EventSourceArn;
    if (typeof m.State === 'string') info.state = m.State;
    return info;
  });
}

function pageItems(json: unknown, key: string, fileName: string, command: string): unknown[] {
  const pages = Array.isArray(json) ? json : [json];
  const out: unknown[] = [];
  pages.forEach((page, i) => {
    const where = pages.length > 1 ? `${fileName}: page ${i + 1}` : fileName;
    if (!isObject(page) || !(key in page)) {
      throw new InputError(`${where}: not the output of ${command} (expected {"${key}": […]})`);
    }
    if (!Array.isArray(page[key])) throw new InputError(`${where}: ${key} is not an array`);
    out.push(...(page[key] as unknown[]));
  });
  return out;
}

function mergeFunctions(lists: FunctionInfo[][]): FunctionInfo[] {
  // The same function listed in two files (e.g. overlapping exports) counts once: first file wins.
  return uniqueBy(lists.flat(), (f) => f.arn).sort(
    (a, b) => cmp(a.name, b.name) || cmp(a.region, b.region) || cmp(a.arn, b.arn),
  );
}

function mergeMappings(lists: EventSourceMappingInfo[][]): EventSourceMappingInfo[] {
  return uniqueBy(lists.flat(), (m) => m.uuid).sort(
    (a, b) =>
      cmp(a.functionArn, b.functionArn) ||
      cmp(a.eventSourceArn ?? '', b.eventSourceArn ?? '') ||
      cmp(a.uuid, b.uuid),
  );
}

// ---------------------------------------------------------------------------------------------
// The audit's parts: function-policies-REGION.json, function-url-configs-REGION.json,
// secrets-REGION.json (shapes from botocore/data/lambda/2015-03-31/service-2.json and
// botocore/data/secretsmanager/2017-10-17/service-2.json, boto/botocore 0e6e240)

const REGION_RE = '([a-z]{2}(?:-[a-z]+)+-\\d+)';
/** The audit's optional files, each with its region in the name. */
export const AUDIT_PART_FILES: Record<AuditPart, RegExp> = {
  functionPolicies: new RegExp(`^function-policies-${REGION_RE}\\.json$`),
  functionUrls: new RegExp(`^function-url-configs-${REGION_RE}\\.json$`),
  secrets: new RegExp(`^secrets-${REGION_RE}\\.json$`),
};

/** A Lambda function name (botocore FunctionName, name-only form: at most 64 characters). */
const FUNCTION_NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** `{ "<function name>": <output>, … }`, its entries sorted, each key a function name. */
function byFunctionName(json: unknown, fileName: string, command: string): [string, unknown][] {
  if (!isObject(json))
    throw new InputError(
      `${fileName}: not a JSON object of \`${command}\` outputs by function name ({"<function name>": …})`,
    );
  return Object.entries(json)
    .map(([name, out]): [string, unknown] => {
      if (!FUNCTION_NAME_RE.test(name))
        throw new InputError(`${fileName}: key ${JSON.stringify(name.slice(0, 80))} is not a function name`);
      return [name, out];
    })
    .sort((a, b) => cmp(a[0], b[0]));
}

/**
 * Parses `function-policies-REGION.json`: `{ "<function name>": <aws lambda get-policy output> }`,
 * each output `{"Policy": "<policy document as a JSON string>", "RevisionId": "…"}` (botocore
 * GetPolicyResponse). The function's ARN is its ARN in `functions` (the same region), else the
 * policy's Resource when that is the function's ARN. A Policy that is not a JSON policy document
 * is an InputError naming the file.
 */
export function parseFunctionPolicies(
  json: unknown,
  region: string,
  fileName: string,
  functions: readonly FunctionInfo[],
): FunctionPolicyInfo[] {
  return byFunctionName(json, fileName, 'aws lambda get-policy').map(([name, out]): FunctionPolicyInfo => {
    const what = `${fileName}: function ${name}`;
    if (!isObject(out) || !('Policy' in out))
      throw new InputError(`${what}: not the output of \`aws lambda get-policy\` (expected {"Policy": "…"})`);
    let document: unknown = out.Policy;
    if (typeof document === 'string') {
      try {
        document = JSON.parse(document);
      } catch (e) {
        throw new InputError(`${what}: Policy is not a JSON policy document (${oneLine(e)})`, { cause: e });
      }
    }
    if (!isObject(document)) throw new InputError(`${what}: Policy is not a JSON policy document`);
    const arn =
      functions.find((f) => f.name === name && f.region === region)?.arn ??
      resourceArn(document, name, region);
    if (!arn)
      throw new InputError(
        `${what}: the function is not in a functions file of ${region} and its policy names no function ARN`,
      );
    const info: FunctionPolicyInfo = { functionArn: arn, functionName: name, region, document };
    if (typeof out.RevisionId === 'string') info.revisionId = out.RevisionId;
    return info;
  });
}

/** The function ARN a Lambda resource policy's statements name (Lambda writes it as Resource). */
function resourceArn(doc: Json, name: string, region: string): string | undefined {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  for (const st of statements) {
    const resources: unknown[] = isObject(st)
      ? Array.isArray(st.Resource)
        ? st.Resource
        : [st.Resource]
      : [];
    for (const r of resources) {
      const m = typeof r === 'string' ? /^(arn:[^:]+:lambda:([^:]+):\d{12}:function:([^:]+))/.exec(r) : null;
      if (m && m[2] === region && m[3] === name) return m[1];
    }
  }
  return undefined;
}

function stringList(x: unknown, what: string): string[] | undefined {
  if (x === undefined || x === null) return undefined;
  if (!Array.isArray(x) || !x.every((v) => typeof v === 'string'))
    throw new InputError(`${what} is not a list of strings`);
  return x as string[];
}

/**
 * Parses `function-url-configs-REGION.json`: `{ "<function name>": <aws lambda
 * list-function-url-configs output> }`, each `{"FunctionUrlConfigs": [{FunctionUrl, FunctionArn,
 * AuthType, Cors, InvokeMode, …}]}` (botocore ListFunctionUrlConfigsResponse, FunctionUrlConfig;
 * or a JSON array of such pages).
 */
export function parseFunctionUrlConfigs(json: unknown, region: string, fileName: string): FunctionUrlInfo[] {
  return byFunctionName(json, fileName, 'aws lambda list-function-url-configs').flatMap(([name, out]) =>
    pageItems(
      out,
      'FunctionUrlConfigs',
      `${fileName}: function ${name}`,
      '`aws lambda list-function-url-configs`',
    ).map((c, i): FunctionUrlInfo => {
      const what = `${fileName}: function ${name}: FunctionUrlConfigs[${i}]`;
      if (
        !isObject(c) ||
        typeof c.FunctionUrl !== 'string' ||
        typeof c.FunctionArn !== 'string' ||
        typeof c.AuthType !== 'string'
      )
        throw new InputError(`${what} has no FunctionUrl, FunctionArn or AuthType`);
      const info: FunctionUrlInfo = {
        functionArn: c.FunctionArn,
        functionName: name,
        region,
        url: c.FunctionUrl,
        authType: c.AuthType,
      };
      if (typeof c.InvokeMode === 'string') info.invokeMode = c.InvokeMode;
      if (c.Cors !== undefined && c.Cors !== null) {
        if (!isObject(c.Cors)) throw new InputError(`${what}: Cors is not an object`);
        const cors: NonNullable<FunctionUrlInfo['cors']> = {};
        const lists = [
          ['AllowOrigins', 'allowOrigins'],
          ['AllowMethods', 'allowMethods'],
          ['AllowHeaders', 'allowHeaders'],
          ['ExposeHeaders', 'exposeHeaders'],
        ] as const;
        for (const [key, field] of lists) {
          const v = stringList(c.Cors[key], `${what}: Cors.${key}`);
          if (v) cors[field] = v;
        }
        if (typeof c.Cors.AllowCredentials === 'boolean') cors.allowCredentials = c.Cors.AllowCredentials;
        if (typeof c.Cors.MaxAge === 'number') cors.maxAge = c.Cors.MaxAge;
        info.cors = cors;
      }
      return info;
    }),
  );
}

/**
 * Parses `secrets-REGION.json`: `aws secretsmanager list-secrets` output (`{"SecretList":[{ARN,
 * Name, KmsKeyId?, …}]}`, botocore ListSecretsResponse / SecretListEntry, or a JSON array of
 * pages). Only the metadata the audit needs is kept; list-secrets returns no secret value.
 */
export function parseSecretList(json: unknown, region: string, fileName: string): SecretInfo[] {
  return pageItems(json, 'SecretList', fileName, '`aws secretsmanager list-secrets`').map(
    (x, i): SecretInfo => {
      if (!isObject(x) || typeof x.ARN !== 'string' || typeof x.Name !== 'string')
        throw new InputError(`${fileName}: SecretList[${i}] has no ARN or Name`);
      const info: SecretInfo = { arn: x.ARN, name: x.Name, region };
      if (typeof x.KmsKeyId === 'string' && x.KmsKeyId !== '') info.kmsKeyId = x.KmsKeyId;
      if (typeof x.PrimaryRegion === 'string') info.primaryRegion = x.PrimaryRegion;
      return info;
    },
  );
}

// ---------------------------------------------------------------------------------------------
// helpers

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function optionalArray(x: unknown, what: string): unknown[] {
  if (x === undefined || x === null) return [];
  if (!Array.isArray(x)) throw new InputError(`${what} is not an array`);
  return x;
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Code-point order (locale independent, so the same everywhere). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ISO 8601 (UTC) for the date formats AWS tools print ("2022-08-07 12:55:43+00:00", …). */
function isoDate(x: unknown): string | undefined {
  if (typeof x === 'number' && Number.isFinite(x)) return new Date(x < 1e11 ? x * 1000 : x).toISOString();
  if (typeof x !== 'string' || x === '') return undefined;
  const t = Date.parse(x);
  return Number.isNaN(t) ? x : new Date(t).toISOString();
}

function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/\s+/g, ' ').trim();
}
