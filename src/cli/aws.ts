/**
 * The AWS SDK v3 clients of the CLI, made once per run from `--profile` and the standard
 * credential chain (environment, shared config and credentials files, SSO, container and
 * instance roles). `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>` are honoured by the SDK
 * itself. Only the CLI makes clients; the pipeline receives them as narrow ports.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { sdk } from '../sdk';
import { UsageError } from '../errors';
import type { LiveAccount } from '../pipeline/live-account';
import {
  athenaSource,
  athenaTableName,
  lakeEventDataStoreId,
  lakeSource,
  logsInsightsSource,
  type QuerySource,
  type SourceDeps,
} from '../sources';
import { QUERY_ENGINE, queryFlagsOf, type QueryFlags, type QueryKind } from './common-options';

export interface AwsOptions {
  profile?: string;
  offline?: boolean;
}

/** The region the SDK would use without a profile, or undefined. */
function envRegion(): string | undefined {
  return process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined;
}

/**
 * The remote trail sources the inputs need: an S3 client for `s3://` trails (none offline, where
 * such a trail is a usage error). The bucket's region is followed (redirects), so any region works.
 */
export function sourcesFor(
  trails: readonly string[],
  options: AwsOptions & {
    lookupEvents?: { region?: string; progress?: (pages: number, events: number, done: boolean) => void };
  },
): SourceDeps {
  if (options.offline) return {};
  const out: SourceDeps = {};
  const profile = options.profile ? { profile: options.profile } : {};
  if (trails.some((t) => t.startsWith('s3://'))) {
    const region = envRegion() ?? (options.profile ? undefined : 'us-east-1');
    out.s3 = new (sdk.s3().S3Client)({
      ...profile,
      ...(region ? { region } : {}),
      followRegionRedirects: true,
      maxAttempts: 5,
    });
  }
  if (options.lookupEvents) {
    const region = options.lookupEvents.region ?? envRegion();
    if (!region)
      throw new UsageError('LookupEvents reads one region: pass --region REGION (or set AWS_REGION)');
    out.lookupEvents = {
      // Adaptive retries keep to LookupEvents' quota (2 requests a second per account and region).
      client: new (sdk.cloudtrail().CloudTrailClient)({
        ...profile,
        region,
        retryMode: 'adaptive',
        maxAttempts: 10,
      }),
      region,
      ...(options.lookupEvents.progress ? { progress: options.lookupEvents.progress } : {}),
    };
  }
  return out;
}

/**
 * The live account reader: IAM (global) and Lambda in `regions` (default: the configured region),
 * through the standard chain; with `auditParts`, also the audit's parts (Lambda GetPolicy and
 * ListFunctionUrlConfigs, Secrets Manager ListSecrets in each region). Undefined with --offline
 * or an --account-snapshot.
 */
export function liveAccountFor(
  options: AwsOptions & { snapshot?: string; regions?: readonly string[]; auditParts?: boolean },
): LiveAccount | undefined {
  if (options.offline || options.snapshot !== undefined) return undefined;
  const fallback = envRegion();
  const regions =
    options.regions && options.regions.length > 0 ? [...options.regions] : fallback ? [fallback] : [];
  for (const r of regions)
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r))
      throw new UsageError(`--region ${JSON.stringify(r.slice(0, 40))}: not an AWS region`);
  const profile = options.profile ? { profile: options.profile } : {};
  const lambdas = new Map<string, LambdaClient>();
  const secrets = new Map<string, SecretsManagerClient>();
  return {
    ports: {
      iam: new (sdk.iam().IAMClient)({ ...profile, region: 'us-east-1', maxAttempts: 5 }),
      lambda: (region) => {
        let c = lambdas.get(region);
        if (!c)
          lambdas.set(region, (c = new (sdk.lambda().LambdaClient)({ ...profile, region, maxAttempts: 5 })));
        return c;
      },
      secretsManager: (region) => {
        let c = secrets.get(region);
        if (!c)
          secrets.set(
            region,
            (c = new (sdk.secretsManager().SecretsManagerClient)({ ...profile, region, maxAttempts: 5 })),
          );
        return c;
      },
    },
    regions,
    counts: {},
    ...(options.auditParts ? { auditParts: true, notes: [] } : {}),
  };
}

/** `{ liveAccount }` when there is one (options objects take no undefined members). */
export function liveOption(live: LiveAccount | undefined): { liveAccount?: LiveAccount } {
  return live ? { liveAccount: live } : {};
}

/** The flags that choose how a command reaches AWS (generate, report). */
export interface AwsFlags {
  trail?: string[];
  'lookup-events'?: boolean;
  'account-snapshot'?: string;
  offline?: boolean;
  profile?: string;
}

/** The live account reader (when no snapshot is given) and the trail sources of a command's flags. */
export function awsInputsOf(
  args: AwsFlags,
  regions: readonly string[] | undefined,
  progress?: (pages: number, events: number, done: boolean) => void,
  /** `auditParts`: the live account reads the audit's parts too (`audit`). */
  options: { auditParts?: boolean } = {},
): { liveAccount?: LiveAccount; sources: SourceDeps } {
  const aws: AwsOptions = {
    offline: args.offline ?? false,
    ...(args.profile !== undefined ? { profile: args.profile } : {}),
  };
  return {
    ...liveOption(
      liveAccountFor({
        ...aws,
        ...(args['account-snapshot'] !== undefined ? { snapshot: args['account-snapshot'] } : {}),
        ...(regions !== undefined ? { regions } : {}),
        ...(options.auditParts ? { auditParts: true } : {}),
      }),
    ),
    sources: sourcesFor(args.trail ?? [], {
      ...aws,
      ...(args['lookup-events']
        ? {
            lookupEvents: {
              ...(regions?.[0] ? { region: regions[0] } : {}),
              ...(progress ? { progress } : {}),
            },
          }
        : {}),
    }),
  };
}

/**
 * The query engine the flags choose (Athena or CloudWatch Logs Insights), in the region of
 * `--region` or the standard chain; the SDK's standard retries cover throttling.
 */
export function querySourceFor(
  query: { kind: QueryKind; timeoutMs: number },
  args: QueryFlags & { region?: string; profile?: string },
): QuerySource {
  const region = args.region ?? envRegion();
  if (!region)
    throw new UsageError(
      `${QUERY_ENGINE[query.kind]} runs in one region: pass --region REGION (or set AWS_REGION)`,
    );
  const profile = args.profile ? { profile: args.profile } : {};
  if (query.kind === 'athena') {
    athenaTableName(args['athena-table'] ?? '');
    const wg = args['athena-workgroup'];
    if (wg !== undefined && !/^[A-Za-z0-9._-]{1,128}$/.test(wg))
      throw new UsageError(`--athena-workgroup ${JSON.stringify(wg.slice(0, 40))}: not a workgroup name`);
    const partition = args['athena-date-partition'] ?? 'timestamp';
    return athenaSource(new (sdk.athena().AthenaClient)({ ...profile, region, maxAttempts: 5 }), {
      table: args['athena-table'] ?? '',
      ...(partition !== 'none' ? { datePartition: partition } : {}),
      ...(args['athena-workgroup'] ? { workgroup: args['athena-workgroup'] } : {}),
      ...(args['athena-output'] ? { outputLocation: args['athena-output'] } : {}),
      timeoutMs: query.timeoutMs,
    });
  }
  if (query.kind === 'lake') {
    const store = args.lake ?? '';
    lakeEventDataStoreId(store);
    return lakeSource(new (sdk.cloudtrail().CloudTrailClient)({ ...profile, region, maxAttempts: 5 }), {
      eventDataStore: store,
      timeoutMs: query.timeoutMs,
    });
  }
  const groups = args['log-group'] ?? [];
  for (const g of groups)
    if (!/^[\w./#-]{1,512}$/.test(g))
      throw new UsageError(`--log-group ${JSON.stringify(g.slice(0, 80))}: not a log group name`);
  if (groups.length > 50) throw new UsageError('--log-group: at most 50 log groups in one query');
  return logsInsightsSource(new (sdk.logs().CloudWatchLogsClient)({ ...profile, region, maxAttempts: 5 }), {
    logGroups: [...new Set(groups)].sort(),
    timeoutMs: query.timeoutMs,
  });
}

/**
 * Adds the query engine the flags choose (if any) to `sources`, saying so on stderr; returns it
 * for the cost line at the end.
 */
export function addQuerySource(
  sources: SourceDeps,
  args: QueryFlags & { region?: string; profile?: string },
  say: (line: string) => void,
): QuerySource | undefined {
  const query = queryFlagsOf(args);
  if (!query) return undefined;
  const source = querySourceFor(query, args);
  sources.query = source;
  say(`  querying ${source.name} (${QUERY_ENGINE[query.kind]})\n`);
  return source;
}

/** The flags of the account-wide commands (`report`, `audit`). */
export type AccountWideFlags = AwsFlags & QueryFlags & { region?: string[] };

/**
 * The inputs of an account-wide command: its flags checked (a Logs Insights query serves one
 * principal; `--region` and the query engines read AWS, so `--offline` refuses them), the live
 * account reader and trail sources, and the query engine in the first `--region`.
 */
export function accountWideInputsOf(
  args: AccountWideFlags,
  say: (line: string) => void,
  progress?: (pages: number, events: number, done: boolean) => void,
  options: { auditParts?: boolean } = {},
): { inputs: ReturnType<typeof awsInputsOf>; querySource: QuerySource | undefined } {
  if ((args['log-group'] ?? []).length > 0)
    throw new UsageError(
      '--log-group serves generate (one principal): the account-wide commands read --trail, --athena-table or --lake',
    );
  if (args.offline && (args.region ?? []).length > 0)
    throw new UsageError(
      '--region names the regions whose Lambda functions are read live: with --offline the snapshot holds them, and --region would change nothing',
    );
  if (args.offline && (args['athena-table'] !== undefined || args.lake !== undefined))
    throw new UsageError(
      `${args.lake !== undefined ? '--lake' : '--athena-table'} reads AWS: it cannot be used with --offline`,
    );
  const inputs = awsInputsOf(args, args.region, progress, options);
  const { region, ...flags } = args;
  const querySource = addQuerySource(
    inputs.sources,
    { ...flags, ...(region?.[0] !== undefined ? { region: region[0] } : {}) },
    say,
  );
  return { inputs, querySource };
}
