import { createMapper } from '../../src/analyze';
import { unescapeIamLiteral } from '../../src/analyze/validate';
import type { Catalog } from '../../src/catalog/catalog';
import { parseRecord } from '../../src/ingest/parse-record';
import type { PolicyDocument, UsageAggregate } from '../../src/model';
import { requestContextOf, simulate } from '../property/simulate';

/** What a replay checked and what iam-simulate denied. */
export interface ReplayResult {
  /** Distinct requests simulated (action, resource, context). */
  checked: number;
  /** Of those, with a condition key in their context. */
  withContext: number;
  denied: string[];
}

/**
 * Replays raw successful records through iam-simulate against `policies`: each record is mapped
 * to the permissions it needed (the tool's mapping, dependent permissions included), and each
 * permission is asked for with the request context AWS would evaluate, derived from the raw
 * record independently of the tool (requestContextOf). Permissions whose resource another event
 * names take the resource the usage resolved. Distinct requests are simulated once.
 */
export async function replayRecords(
  records: readonly Record<string, unknown>[],
  policies: readonly PolicyDocument[],
  usage: UsageAggregate,
  catalog: Catalog,
): Promise<ReplayResult> {
  const mapper = createMapper(catalog);
  const seen = new Set<string>();
  const out: ReplayResult = { checked: 0, withContext: 0, denied: [] };
  for (const record of records) {
    if (record.errorCode !== undefined) continue;
    const parsed = parseRecord(record);
    if (!parsed.ok) continue;
    await mapper.prepare(parsed.event);
    const mapped = mapper.map(parsed.event);
    if (mapped.kind !== 'mapped') continue;
    for (const p of mapped.permissions) {
      const resource = p.correlationKey ? (usage.correlations[p.correlationKey] ?? '*') : p.resource;
      const context = requestContextOf(record, p.action);
      const key = JSON.stringify([p.action, resource, context]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.checked++;
      if (Object.keys(context).length > 0) out.withContext++;
      // The request names the real resource; the policy writes "*", "?", "$" as IAM's escapes.
      const decision = await simulate(policies, p.action, unescapeIamLiteral(resource), undefined, context);
      if (decision !== 'Allowed') {
        const ctx = Object.keys(context).length > 0 ? ` with ${JSON.stringify(context)}` : '';
        out.denied.push(`${p.action} on ${resource}${ctx}: ${decision}`);
      }
    }
  }
  return out;
}
