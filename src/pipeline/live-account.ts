import { accountStateFrom, type SnapshotDocuments } from '../account';
import {
  readAuditPartsLive,
  readLambdaLive,
  readSnapshotLive,
  type LivePorts,
  type RequestCounts,
} from '../account/live';
import { UsageError } from '../errors';
import type { AccountState, UsageAggregate } from '../model';
import { rolesToRead, type TargetRequest } from './resolve-target';

/** The account state read live: the clients (ports), the regions of Lambda, and a request log. */
export interface LiveAccount {
  ports: LivePorts;
  /** Regions whose Lambda functions are read (grows with widenAccountLive). */
  regions: string[];
  /** Filled with the requests made per API. */
  counts?: RequestCounts;
  /** The documents read so far (set by readAccountLive). */
  docs?: SnapshotDocuments;
  /**
   * Read the audit's parts too (function resource policies, function URL configs, secrets'
   * metadata; `audit`, `snapshot`). A denied part stays undefined, with a line in `notes`.
   */
  auditParts?: boolean;
  /** One line per optional part not read (the permission it needed), for stderr. */
  notes?: string[];
}

/**
 * Reads the account state live, parsed exactly as a snapshot of the same documents. With a
 * `request` (generate), IAM is read only for the roles it needs (rolesToRead), not the account.
 */
export async function readAccountLive(live: LiveAccount, request?: TargetRequest): Promise<AccountState> {
  if (live.regions.length === 0)
    throw new UsageError(
      'reading Lambda live needs a region: pass --region REGION (or set AWS_REGION), or --account-snapshot DIR --offline',
    );
  const focus = request
    ? (lambda: Pick<SnapshotDocuments, 'functions' | 'mappings'>) =>
        rolesToRead(
          request,
          accountStateFrom({ authorizationDetails: { RoleDetailList: [] }, ...lambda, metrics: [] }),
        )
    : undefined;
  live.docs = await readSnapshotLive(
    live.ports,
    live.regions,
    (live.counts ??= {}),
    focus,
    live.auditParts ? { notes: (live.notes ??= []) } : undefined,
  );
  return accountStateFrom(live.docs);
}

/** Regions of the calls in usage aggregates (where the principals' functions may run). */
export function regionsOfUsage(aggs: readonly UsageAggregate[]): string[] {
  const out = new Set<string>();
  for (const a of aggs) for (const e of Object.values(a.entries)) e.regions.forEach((r) => out.add(r));
  return [...out].sort();
}

/**
 * Reads Lambda also in `regions` not read yet: a role serves functions in every region its calls
 * come from, and their configuration (VPC, logs, event sources) implies needs there. Returns the
 * widened state, or undefined when nothing was missing.
 */
export async function widenAccountLive(
  live: LiveAccount,
  regions: readonly string[],
): Promise<AccountState | undefined> {
  const missing = regions.filter((r) => !live.regions.includes(r));
  if (missing.length === 0 || !live.docs) return undefined;
  const more = await readLambdaLive(live.ports, missing, (live.counts ??= {}));
  live.docs.functions.push(...more.functions);
  live.docs.mappings.push(...more.mappings);
  if (live.auditParts) {
    // The parts of the new regions; a part not read (denied) before or now is not read at all.
    const parts = await readAuditPartsLive(live.ports, missing, more.functions, live.counts);
    (live.notes ??= []).push(...parts.notes);
    for (const part of ['functionPolicies', 'functionUrls', 'secrets'] as const) {
      const known = live.docs[part];
      const added = parts.docs[part];
      if (known && added) known.push(...added);
      else delete live.docs[part];
    }
  }
  live.regions.push(...missing);
  live.regions.sort();
  return accountStateFrom(live.docs);
}
