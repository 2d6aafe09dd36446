/**
 * `policy-tighten audit`: the account state (snapshot or live) and, when a trail is given, the
 * report's one account-wide read of it, checked by every audit rule (src/audit, docs/audit.md).
 */
import { loadAccountSnapshot } from '../account';
import { AUDIT_RULES, runAuditRules, type AuditInput, type AuditResult, type AuditRule } from '../audit';
import { loadCatalog } from '../catalog/catalog';
import { UsageError } from '../errors';
import { readAccountLive } from './live-account';
import { loadPolicyServices, runReport, type ReportOptions } from './run-report';

export interface AuditOptions extends Omit<ReportOptions, 'trails' | 'cacheDir'> {
  /** Trail files or directories; none: the audit judges the configuration alone. */
  trails?: readonly string[];
  /** The rules to run (default: all of them). */
  rules?: readonly AuditRule[];
}

export interface AuditRunResult {
  audit: AuditResult;
  /** The trail read was partial (exit 3). */
  partial: boolean;
}

/** Runs the audit (see the file header). */
export async function runAudit(options: AuditOptions): Promise<AuditRunResult> {
  const now = options.now ?? new Date();
  const rules = options.rules ?? AUDIT_RULES;
  const trails = options.trails ?? [];
  let input: AuditInput;
  let partial = false;
  if (trails.length === 0 && !options.sources?.query && options.sources?.lookupEvents)
    throw new UsageError(
      "audit reads the account-wide trail: pass --trail PATH, --athena-table or --lake (--lookup-events only adds to them: it holds one region's management events)",
    );
  if (trails.length > 0 || options.sources?.query) {
    const r = await runReport({ ...options, trails, now });
    const until = options.window.until ?? now;
    input = {
      state: r.state,
      usage: r.account,
      report: r.report,
      window: { since: options.window.since.toISOString(), until: until.toISOString() },
      catalog: r.catalog,
      now,
    };
    partial = r.partial;
  } else {
    if (options.accountSnapshot === undefined && !options.liveAccount)
      throw new UsageError(
        'audit needs the account state: pass --account-snapshot DIR (docs/snapshot.md), or drop --offline to read IAM and Lambda live',
      );
    const state =
      options.accountSnapshot !== undefined
        ? await loadAccountSnapshot(options.accountSnapshot)
        : await readAccountLive(options.liveAccount!);
    const catalog = options.catalog ?? (await loadCatalog());
    await loadPolicyServices(state, catalog);
    input = { state, catalog, now };
  }
  return { audit: await runAuditRules(rules, input, partial), partial };
}
