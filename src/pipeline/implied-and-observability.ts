import type { Target } from '../attribution';
import { functionsUsingRole, findFunction } from '../account/lookup';
import type { Catalog } from '../catalog/catalog';
import { impliedPermissions, loadImpliedServices } from '../implied';
import type { AccountState, Finding, FunctionInfo, UsageAggregate } from '../model';
import { grantedActions, observabilityFindings } from '../observability';
import { addFinding, addImpliedPermission } from '../usage';

/** The functions whose configuration the target's policy must serve. */
function targetFunctions(target: Target, state: AccountState): FunctionInfo[] {
  if (target.kind === 'function' && target.functionName) {
    // The same name in several regions with the same role: each region's configuration counts.
    return findFunction(state, target.functionName).candidates.filter((f) => f.roleArn === target.roleArn);
  }
  if (target.kind === 'role' && target.roleArn) return functionsUsingRole(state, target.roleArn);
  return [];
}

/**
 * Adds what the target's functions need but CloudTrail never records (log group, X-Ray, VPC,
 * event source pollers, dead-letter targets …, each labelled with the configuration that implies
 * it) and the findings on what the trail cannot show. Without a snapshot, says what is missing.
 */
export async function addImpliedAndObservability(
  usage: UsageAggregate,
  target: Target,
  state: AccountState | undefined,
  catalog: Catalog,
): Promise<void> {
  if (!state) {
    if (target.kind !== 'user') {
      addFinding(usage, {
        id: 'PT-IMPLIED-UNRESOLVED[no-account-snapshot]',
        code: 'PT-IMPLIED-UNRESOLVED',
        severity: 'warning',
        message:
          'no account snapshot: what the function needs but CloudTrail never shows (writing its logs, X-Ray, VPC ' +
          'network interfaces, event source pollers, dead-letter targets) is not in the policy; pass --account-snapshot',
        count: 1,
        sampleEventIds: [],
      });
    }
    return;
  }
  const functions = targetFunctions(target, state);
  const implied: string[] = [];
  if (functions.length > 0) {
    await loadImpliedServices(catalog);
    for (const fn of functions) {
      const r = impliedPermissions({ fn, eventSourceMappings: state.eventSourceMappings, catalog });
      for (const p of r.permissions) {
        addImpliedPermission(usage, p, fn.region);
        implied.push(p.action);
      }
      for (const f of r.findings) addFinding(usage, f);
    }
  }
  if (target.roleArn) {
    const findings: Finding[] = observabilityFindings({
      subject: target.display,
      observedActions: Array.from(new Set(Object.values(usage.entries).map((e) => e.action))).sort(),
      grantedActions: grantedActions(state, target.roleArn),
      dataEventSources: usage.dataEventSources,
      impliedActions: Array.from(new Set(implied)).sort(),
    });
    for (const f of findings) addFinding(usage, f);
  }
}
