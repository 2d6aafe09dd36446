/**
 * Implied needs: what a Lambda function's execution role needs that CloudTrail never shows, read
 * from the function's configuration and its event source mappings. Pure: values in, values out.
 *
 * The rules and their sources are data (`data/implied-rules.json`); this file turns one function's
 * configuration into (action, resource) pairs labelled with the configuration that implies them.
 * Every pair is checked against the IAM catalog (the action exists, the ARN fits one of its
 * resource types); a need whose resource cannot be determined becomes a PT-IMPLIED-UNRESOLVED
 * finding, never a silent `*`.
 */
import { parseArn, type ParsedArn } from '../analyze/validate';
import type { Catalog } from '../catalog/catalog';
import type { EventSourceMappingInfo, FunctionInfo } from '../model/account';
import type { Finding, Severity } from '../model/findings';
import type { RequiredPermission } from '../model/mapping';
import rulesData from './data/implied-rules.json';
import { checkResourceFit } from './fit';

export interface ImpliedInput {
  fn: FunctionInfo;
  /** All mappings of the account (or of the function): those of other functions are ignored. */
  eventSourceMappings: EventSourceMappingInfo[];
  /** Must have the services of IMPLIED_SERVICE_PREFIXES loaded (see loadImpliedServices). */
  catalog: Catalog;
}

export interface ImpliedResult {
  /** Sorted by action, then resource; deduplicated (notes of duplicates joined with `; `). */
  permissions: RequiredPermission[];
  /** Sorted by id. */
  findings: Finding[];
}

/** Service prefixes whose catalog data impliedPermissions needs. */
export const IMPLIED_SERVICE_PREFIXES: readonly string[] = [
  'ec2',
  'dynamodb',
  'elasticfilesystem',
  'events',
  'kafka',
  'kinesis',
  'lambda',
  'logs',
  's3',
  'secretsmanager',
  'sns',
  'sqs',
  'xray',
];

/** Loads the catalog services impliedPermissions needs (call once before it). */
export async function loadImpliedServices(catalog: Catalog): Promise<void> {
  await Promise.all(IMPLIED_SERVICE_PREFIXES.map((p) => catalog.ensureService(p)));
}

const RULES = rulesData.rules;

/** Reason recorded on `*` resources of actions that have no resource type in the catalog. */
export const NO_RESOURCE_TYPE = 'no-resource-type';

const LOG_GROUP_RE = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const FUNCTION_NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;
const SUBNET_RE = /^subnet-[0-9a-f]{1,32}$/;
const SECURITY_GROUP_RE = /^sg-[0-9a-f]{1,32}$/;
const UUID_RE = /^[0-9a-zA-Z-]{1,64}$/;

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Function ARN without a qualifier (`…:function:NAME:ALIAS` → `…:function:NAME`). */
function unqualified(arn: string): string {
  const parts = arn.split(':');
  return parts.length > 7 ? parts.slice(0, 7).join(':') : arn;
}

class Collector {
  private readonly perms = new Map<string, RequiredPermission>();
  private readonly findings = new Map<string, Finding>();
  /** Resources whose encryption with a customer managed key would add KMS needs. */
  readonly kmsHints: string[] = [];

  constructor(
    private readonly catalog: Catalog,
    readonly fnLabel: string,
  ) {}

  /** Adds one permission after checking it against the catalog. */
  add(action: string, resource: string, note: string, wildcardReason?: string): void {
    const fit = checkResourceFit(this.catalog, action, resource, wildcardReason !== undefined);
    if (!fit.ok) {
      if (fit.reason === 'service-not-loaded') {
        throw new Error(
          `impliedPermissions: catalog service of ${action} is not loaded (await loadImpliedServices(catalog) first)`,
        );
      }
      this.finding(
        `catalog:${action}`,
        'warning',
        `${this.fnLabel}: ${action} on ${resource}, implied by ${note}, does not fit the IAM catalog (${fit.reason}); left out: review it manually`,
      );
      return;
    }
    const canonical = this.catalog.action(action)?.name ?? action;
    const key = `${canonical} ${resource}`;
    const existing = this.perms.get(key);
    if (existing) {
      const notes = new Set([...(existing.note ?? '').split('; '), note].filter((n) => n !== ''));
      existing.note = [...notes].sort(cmp).join('; ');
      return;
    }
    const p: RequiredPermission = { action: canonical, resource, origin: 'implied-by-config', note };
    if (resource === '*') p.wildcardReason = wildcardReason ?? NO_RESOURCE_TYPE;
    this.perms.set(key, p);
  }

  /** An action that has no resource type: `*`. */
  addUnscoped(action: string, note: string): void {
    this.add(action, '*', note, NO_RESOURCE_TYPE);
  }

  finding(detail: string, severity: Severity, message: string): void {
    const id = `PT-IMPLIED-UNRESOLVED[${detail}]`;
    if (this.findings.has(id)) return;
    this.findings.set(id, {
      id,
      code: 'PT-IMPLIED-UNRESOLVED',
      severity,
      message,
      count: 1,
      sampleEventIds: [],
    });
  }

  result(): ImpliedResult {
    return {
      permissions: [...this.perms.values()].sort(
        (a, b) => cmp(a.action, b.action) || cmp(a.resource, b.resource),
      ),
      findings: [...this.findings.values()].sort((a, b) => cmp(a.id, b.id)),
    };
  }
}

interface FnContext {
  c: Collector;
  /** Finding-id prefix: the function name. */
  name: string;
  partition: string;
  region: string;
  account: string;
}

/**
 * What `fn` needs that CloudTrail never records, each with `origin: 'implied-by-config'` and a
 * `note` naming the configuration that implies it. Region, account and partition come from the
 * function ARN (targets named by ARN keep their own).
 */
export function impliedPermissions(input: ImpliedInput): ImpliedResult {
  const { fn, catalog } = input;
  const fnArn = parseArn(fn.arn);
  const nameFromArn = fnArn ? /^function:([^:]+)/.exec(fnArn.resource)?.[1] : undefined;
  const name = nameFromArn && FUNCTION_NAME_RE.test(nameFromArn) ? nameFromArn : undefined;
  const c = new Collector(catalog, `function ${name ?? '(invalid name)'}`);
  if (!fnArn || fnArn.service !== 'lambda' || !name || !/^\d{12}$/.test(fnArn.account) || !fnArn.region) {
    c.finding(
      'function-arn',
      'error',
      'function ARN is not a valid Lambda function ARN: no implied permission can be computed',
    );
    return c.result();
  }
  const ctx: FnContext = {
    c,
    name,
    partition: fnArn.partition,
    region: fnArn.region,
    account: fnArn.account,
  };
  const cfg = isObject(fn.config) ? fn.config : {};

  logging(ctx, cfg);
  tracing(ctx, cfg);
  vpc(ctx, cfg);
  deadLetter(ctx, cfg);
  asyncDestinations(ctx, cfg);
  fileSystems(ctx, cfg);
  // KMSKeyArn (environment variables) and PackageType Image: nothing on the role (rules env-kms, image).

  const own = unqualified(fn.arn);
  input.eventSourceMappings
    .filter((m) => unqualified(m.functionArn) === own)
    .sort((a, b) => cmp(a.uuid, b.uuid))
    .forEach((m, i) => eventSourceMapping(ctx, m, i));

  if (c.kmsHints.length > 0) {
    c.finding(
      `${name}:kms`,
      'info',
      `function ${name}: if any of these is encrypted with a customer managed KMS key, the role also needs ` +
        `that key (the snapshot does not say which): ${[...new Set(c.kmsHints)].sort(cmp).join('; ')}`,
    );
  }
  return c.result();
}

// ---------------------------------------------------------------------------------------------
// rules

function logging(ctx: FnContext, cfg: Json): void {
  const lc = isObject(cfg.LoggingConfig) ? cfg.LoggingConfig : undefined;
  const configured = lc && typeof lc.LogGroup === 'string' && lc.LogGroup !== '' ? lc.LogGroup : undefined;
  const group = configured ?? `/aws/lambda/${ctx.name}`;
  if (!LOG_GROUP_RE.test(group)) {
    ctx.c.finding(
      `${ctx.name}:log-group`,
      'warning',
      `function ${ctx.name}: LoggingConfig.LogGroup is not a valid log group name: the logs permissions (${RULES.logging.actions.join(', ')}) must be added manually`,
    );
    return;
  }
  const note = configured
    ? `LoggingConfig.LogGroup=${group}`
    : `default log group ${group} (no LoggingConfig.LogGroup)`;
  const arn = `arn:${ctx.partition}:logs:${ctx.region}:${ctx.account}:log-group:${group}:*`;
  for (const action of RULES.logging.actions) ctx.c.add(action, arn, note);
}

function tracing(ctx: FnContext, cfg: Json): void {
  const tc = isObject(cfg.TracingConfig) ? cfg.TracingConfig : undefined;
  if (tc?.Mode !== 'Active') return;
  for (const action of RULES.tracing.actions) ctx.c.addUnscoped(action, 'TracingConfig.Mode=Active');
}

function ec2Arn(ctx: Pick<FnContext, 'partition' | 'region' | 'account'>, resource: string): string {
  return `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:${resource}`;
}

function stringList(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : [];
}

function vpc(ctx: FnContext, cfg: Json): void {
  const vc = isObject(cfg.VpcConfig) ? cfg.VpcConfig : undefined;
  const rawSubnets = stringList(vc?.SubnetIds);
  if (rawSubnets.length === 0) return;
  const subnets = rawSubnets.filter((s) => SUBNET_RE.test(s));
  const groups = stringList(vc?.SecurityGroupIds).filter((s) => SECURITY_GROUP_RE.test(s));
  const invalid =
    rawSubnets.length - subnets.length + (stringList(vc?.SecurityGroupIds).length - groups.length);
  if (invalid > 0) {
    ctx.c.finding(
      `${ctx.name}:vpc`,
      'warning',
      `function ${ctx.name}: ${invalid} subnet or security group id(s) in VpcConfig are not valid ids and were left out of ec2:CreateNetworkInterface`,
    );
  }
  if (subnets.length === 0) return;
  const note = `VpcConfig.SubnetIds`;
  const eni = ec2Arn(ctx, 'network-interface/*');
  const rule = RULES.vpc;
  for (const action of Object.keys(rule.scoped)) ctx.c.add(action, eni, note);
  for (const s of subnets) ctx.c.add('ec2:CreateNetworkInterface', ec2Arn(ctx, `subnet/${s}`), note);
  for (const g of groups) {
    ctx.c.add('ec2:CreateNetworkInterface', ec2Arn(ctx, `security-group/${g}`), 'VpcConfig.SecurityGroupIds');
  }
  for (const action of rule.unscoped) ctx.c.addUnscoped(action, note);
}

function deadLetter(ctx: FnContext, cfg: Json): void {
  const dlc = isObject(cfg.DeadLetterConfig) ? cfg.DeadLetterConfig : undefined;
  const target = dlc?.TargetArn;
  if (typeof target !== 'string' || target === '') return;
  destination(ctx, target, 'DeadLetterConfig.TargetArn', RULES.destination.deadLetterServices);
}

/** Asynchronous invocation destinations, when the configuration carries them. */
function asyncDestinations(ctx: FnContext, cfg: Json): void {
  const sources: [Json | undefined, string][] = [
    [isObject(cfg.DestinationConfig) ? cfg.DestinationConfig : undefined, 'DestinationConfig'],
    [
      isObject(cfg.EventInvokeConfig) && isObject(cfg.EventInvokeConfig.DestinationConfig)
        ? cfg.EventInvokeConfig.DestinationConfig
        : undefined,
      'EventInvokeConfig.DestinationConfig',
    ],
  ];
  for (const [dc, path] of sources) {
    if (!dc) continue;
    for (const which of ['OnSuccess', 'OnFailure']) {
      const d = isObject(dc[which]) ? (dc[which] as Json).Destination : undefined;
      if (typeof d === 'string' && d !== '') {
        destination(ctx, d, `${path}.${which}.Destination`, Object.keys(RULES.destination.byService));
      }
    }
  }
}

/** A target Lambda sends records to (DLQ, destination, ESM on-failure destination). */
function destination(ctx: FnContext, target: string, note: string, allowed: string[]): void {
  const arn = parseArn(target);
  const byService = RULES.destination.byService as Record<string, string[]>;
  if (!arn || !allowed.includes(arn.service) || !byService[arn.service]) {
    ctx.c.finding(
      `${ctx.name}:${note}`,
      'warning',
      `function ${ctx.name}: ${note} is not an ARN of ${allowed.join('/')}: the permission to send to it must be added manually`,
    );
    return;
  }
  const label = `${note} (${arn.service.toUpperCase()} ${target})`;
  if (arn.service === 's3') {
    const bucket = arn.resource;
    if (bucket.includes('/') || arn.region !== '' || arn.account !== '') {
      ctx.c.finding(
        `${ctx.name}:${note}`,
        'warning',
        `function ${ctx.name}: ${note} is not an S3 bucket ARN: the permission to write to it must be added manually`,
      );
      return;
    }
    ctx.c.add('s3:PutObject', `${target}/*`, label);
    ctx.c.add('s3:ListBucket', target, label);
    ctx.c.kmsHints.push(`kms:GenerateDataKey for S3 bucket ${target}`);
    return;
  }
  for (const action of byService[arn.service]) ctx.c.add(action, target, label);
  if (arn.service === 'sqs' || arn.service === 'sns') {
    ctx.c.kmsHints.push(
      `${RULES.destination.kmsIfCustomerKey.join(' + ')} for ${arn.service.toUpperCase()} ${target}`,
    );
  }
}

function fileSystems(ctx: FnContext, cfg: Json): void {
  const list = Array.isArray(cfg.FileSystemConfigs) ? cfg.FileSystemConfigs : [];
  list.forEach((entry, i) => {
    const note = `FileSystemConfigs[${i}].Arn`;
    const raw = isObject(entry) && typeof entry.Arn === 'string' ? entry.Arn : undefined;
    const arn = raw ? parseArn(raw) : undefined;
    if (!raw || !arn || arn.service !== 'elasticfilesystem') {
      ctx.c.finding(
        `${ctx.name}:efs:${i}`,
        'warning',
        `function ${ctx.name}: ${note} is not an EFS ARN: ${RULES.efs.actions.join(', ')} must be added manually`,
      );
      return;
    }
    if (/^file-system\/fs-[0-9a-f]+$/.test(arn.resource)) {
      for (const action of RULES.efs.actions) ctx.c.add(action, raw, `${note}=${raw}`);
      return;
    }
    // An access point: IAM authorises the mount on its file system, which the ARN does not name.
    const fsArn = `arn:${arn.partition}:elasticfilesystem:${arn.region}:${arn.account}:file-system/*`;
    for (const action of RULES.efs.actions) {
      ctx.c.add(action, fsArn, `${note}=${raw} (file system not in the snapshot)`);
    }
    ctx.c.finding(
      `${ctx.name}:efs:${i}`,
      'warning',
      `function ${ctx.name}: ${note} is the access point ${raw}; its file system is not in the snapshot, so ` +
        `${RULES.efs.actions.join(' and ')} were granted on every file system of ${arn.account} in ${arn.region}: ` +
        `narrow the resource to the file system ARN (or add the condition elasticfilesystem:AccessPointArn)`,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// event source mappings

function eventSourceMapping(ctx: FnContext, m: EventSourceMappingInfo, index: number): void {
  const id = UUID_RE.test(m.uuid) ? m.uuid : `#${index}`;
  const cfg = isObject(m.config) ? m.config : {};
  const disabled = m.state && m.state !== 'Enabled' ? `, state ${m.state}` : '';
  const src = m.eventSourceArn ? parseArn(m.eventSourceArn) : undefined;

  if (!src) {
    if (isObject(cfg.SelfManagedEventSource)) {
      selfManagedKafka(ctx, cfg, `EventSourceMapping ${id} (self-managed Kafka${disabled})`, id);
    } else {
      ctx.c.finding(
        `${ctx.name}:esm:${id}`,
        'warning',
        `function ${ctx.name}: event source mapping ${id} has no valid EventSourceArn: its polling permissions must be added manually`,
      );
    }
    onFailure(ctx, cfg, id);
    return;
  }
  const arn = m.eventSourceArn as string;
  switch (src.service) {
    case 'sqs': {
      const note = `EventSourceMapping ${id} (SQS ${arn}${disabled})`;
      for (const action of RULES['esm-sqs'].actions) ctx.c.add(action, arn, note);
      ctx.c.kmsHints.push(`kms:Decrypt for SQS queue ${arn} (event source mapping ${id})`);
      break;
    }
    case 'kinesis':
      kinesis(ctx, src, arn, id, disabled);
      break;
    case 'dynamodb': {
      if (!/^table\/[^/]+\/stream\/[^/]+$/.test(src.resource)) {
        unsupportedSource(ctx, id, 'DynamoDB (not a stream ARN)');
        break;
      }
      const note = `EventSourceMapping ${id} (DynamoDB stream ${arn}${disabled})`;
      for (const action of RULES['esm-dynamodb'].streamActions) ctx.c.add(action, arn, note);
      for (const action of RULES['esm-dynamodb'].unscoped) ctx.c.addUnscoped(action, note);
      break;
    }
    case 'kafka':
      msk(ctx, src, arn, cfg, id, disabled);
      break;
    default:
      unsupportedSource(ctx, id, src.service);
  }
  onFailure(ctx, cfg, id);
}

function unsupportedSource(ctx: FnContext, id: string, what: string): void {
  ctx.c.finding(
    `${ctx.name}:esm:${id}`,
    'warning',
    `function ${ctx.name}: event source mapping ${id} reads from ${what}, whose polling permissions policy-tighten does not know: add them manually (see the Lambda developer guide for that source)`,
  );
}

function onFailure(ctx: FnContext, cfg: Json, id: string): void {
  const dc = isObject(cfg.DestinationConfig) ? cfg.DestinationConfig : undefined;
  const of = dc && isObject(dc.OnFailure) ? dc.OnFailure : undefined;
  const d = of?.Destination;
  if (typeof d !== 'string' || d === '') return;
  destination(ctx, d, `EventSourceMapping ${id} DestinationConfig.OnFailure.Destination`, [
    'sqs',
    'sns',
    's3',
  ]);
}

function kinesis(ctx: FnContext, src: ParsedArn, arn: string, id: string, disabled: string): void {
  const rule = RULES['esm-kinesis'];
  const consumer = /^stream\/([^/]+)\/consumer\/[^/:]+:[^/:]+$/.exec(src.resource);
  const plain = /^stream\/([^/]+)$/.exec(src.resource);
  const streamName = consumer?.[1] ?? plain?.[1];
  if (!streamName) {
    unsupportedSource(ctx, id, 'Kinesis (not a stream or consumer ARN)');
    return;
  }
  const streamArn = `arn:${src.partition}:kinesis:${src.region}:${src.account}:stream/${streamName}`;
  const note = consumer
    ? `EventSourceMapping ${id} (Kinesis consumer ${arn}${disabled})`
    : `EventSourceMapping ${id} (Kinesis ${arn}${disabled})`;
  for (const action of rule.streamActions) ctx.c.add(action, streamArn, note);
  for (const action of rule.unscoped) ctx.c.addUnscoped(action, note);
  if (consumer) for (const action of rule.consumerActions) ctx.c.add(action, arn, note);
  ctx.c.kmsHints.push(`kms:Decrypt for Kinesis stream ${streamArn} (event source mapping ${id})`);
}

/** Secrets named by SourceAccessConfigurations (SASL/SCRAM, mTLS, basic auth, root CA). */
function accessSecrets(ctx: FnContext, cfg: Json, note: string, id: string): void {
  const entries = Array.isArray(cfg.SourceAccessConfigurations) ? cfg.SourceAccessConfigurations : [];
  const secretTypes = RULES['esm-self-managed-kafka'].secretTypes;
  entries.forEach((e, i) => {
    if (!isObject(e) || typeof e.Type !== 'string' || !secretTypes.includes(e.Type)) return;
    const uri = typeof e.URI === 'string' ? e.URI : '';
    const arn = parseArn(uri);
    if (!arn || arn.service !== 'secretsmanager') {
      ctx.c.finding(
        `${ctx.name}:esm:${id}:secret:${i}`,
        'warning',
        `function ${ctx.name}: event source mapping ${id} SourceAccessConfigurations[${i}] (${e.Type}) is not a secret ARN: secretsmanager:GetSecretValue must be added manually`,
      );
      return;
    }
    for (const action of RULES['esm-msk'].secretActions) {
      ctx.c.add(action, uri, `${note} SourceAccessConfigurations[${i}] ${e.Type}`);
    }
    ctx.c.kmsHints.push(`kms:Decrypt for secret ${uri} (event source mapping ${id})`);
  });
}

function hasSecretAuth(cfg: Json): boolean {
  const entries = Array.isArray(cfg.SourceAccessConfigurations) ? cfg.SourceAccessConfigurations : [];
  return entries.some(
    (e) =>
      isObject(e) &&
      typeof e.Type === 'string' &&
      e.Type !== 'SERVER_ROOT_CA_CERTIFICATE' &&
      RULES['esm-self-managed-kafka'].secretTypes.includes(e.Type),
  );
}

function msk(ctx: FnContext, src: ParsedArn, arn: string, cfg: Json, id: string, disabled: string): void {
  const rule = RULES['esm-msk'];
  if (!/^cluster\/[^/]+\/[^/]+$/.test(src.resource)) {
    unsupportedSource(ctx, id, 'Amazon MSK (not a cluster ARN)');
    return;
  }
  const note = `EventSourceMapping ${id} (MSK ${arn}${disabled})`;
  for (const action of rule.clusterActions) ctx.c.add(action, arn, note);
  for (const action of rule.unscoped) ctx.c.addUnscoped(action, note);
  // Lambda creates network interfaces in the cluster's subnets, which the snapshot does not hold.
  const where = { partition: src.partition, region: src.region, account: src.account };
  const cluster = `${note}: cluster subnets and security groups not in the snapshot`;
  for (const action of rule.eniActions) ctx.c.add(action, ec2Arn(where, 'network-interface/*'), note);
  ctx.c.add('ec2:CreateNetworkInterface', ec2Arn(where, 'subnet/*'), cluster);
  ctx.c.add('ec2:CreateNetworkInterface', ec2Arn(where, 'security-group/*'), cluster);
  ctx.c.finding(
    `${ctx.name}:esm:${id}:subnets`,
    'warning',
    `function ${ctx.name}: event source mapping ${id} (MSK ${arn}): the cluster's subnets and security groups are not in the snapshot, so ec2:CreateNetworkInterface was granted on every subnet and security group of ${src.account} in ${src.region}: narrow them to the cluster's`,
  );
  accessSecrets(ctx, cfg, note, id);
  if (!hasSecretAuth(cfg)) {
    ctx.c.finding(
      `${ctx.name}:esm:${id}:iam-auth`,
      'info',
      `function ${ctx.name}: event source mapping ${id} (MSK ${arn}) names no authentication secret: if the cluster uses IAM access control, the role also needs ${rule.iamAuthActions.join(', ')} on the cluster, its topics and the consumer group`,
    );
  }
}

function selfManagedKafka(ctx: FnContext, cfg: Json, note: string, id: string): void {
  const rule = RULES['esm-self-managed-kafka'];
  accessSecrets(ctx, cfg, note, id);
  const entries = Array.isArray(cfg.SourceAccessConfigurations) ? cfg.SourceAccessConfigurations : [];
  const subnets: string[] = [];
  const groups: string[] = [];
  for (const e of entries) {
    if (!isObject(e) || typeof e.URI !== 'string') continue;
    if (e.Type === 'VPC_SUBNET') {
      const s = e.URI.replace(/^subnet:/, '');
      if (SUBNET_RE.test(s)) subnets.push(s);
    } else if (e.Type === 'VPC_SECURITY_GROUP') {
      const g = e.URI.replace(/^security_group:/, '');
      if (SECURITY_GROUP_RE.test(g)) groups.push(g);
    }
  }
  if (subnets.length === 0) return;
  const eni = ec2Arn(ctx, 'network-interface/*');
  for (const action of rule.eniActions) ctx.c.add(action, eni, `${note} VPC_SUBNET`);
  for (const s of subnets)
    ctx.c.add('ec2:CreateNetworkInterface', ec2Arn(ctx, `subnet/${s}`), `${note} VPC_SUBNET`);
  for (const g of groups) {
    ctx.c.add('ec2:CreateNetworkInterface', ec2Arn(ctx, `security-group/${g}`), `${note} VPC_SECURITY_GROUP`);
  }
  for (const action of rule.unscoped) ctx.c.addUnscoped(action, `${note} VPC_SUBNET`);
}
