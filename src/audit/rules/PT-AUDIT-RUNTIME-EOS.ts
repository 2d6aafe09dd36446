/**
 * PT-AUDIT-RUNTIME-EOS: runtime end of support, from the dated table src/audit/data/runtimes.json
 * (AWS's "Lambda runtimes" page: deprecation, block function create, block function update).
 * High once deprecated, medium within 180 days of deprecation; an OS-only runtime (`provided*`)
 * still supported is info (Lambda patches the OS, not what the package brings); a runtime the
 * table lacks is info, never ignored. A function deployed as a container image has no runtime in
 * its configuration and is not checked.
 */
import table from '../data/runtimes.json';
import type { AuditFinding, AuditInput, AuditRule, AuditSeverity } from '../types';

const ID = 'PT-AUDIT-RUNTIME-EOS';
const DAY = 86_400_000;
/** Days before deprecation from which a finding is medium. */
export const RUNTIME_WARNING_DAYS = 180;

interface RuntimeDates {
  deprecation: string | null;
  blockCreate: string | null;
  blockUpdate: string | null;
  osOnly?: boolean;
  successor?: string;
}

const RUNTIMES = table.runtimes as Record<string, RuntimeDates>;
const HOSTED = new Map(Object.entries(RUNTIMES));

function when(date: string | null, now: Date, what: string): string {
  if (!date) return `${what}: no date in the table`;
  const t = Date.parse(`${date}T00:00:00Z`);
  const days = Math.round((t - now.getTime()) / DAY);
  return now.getTime() >= t ? `${what}: ${date} (passed)` : `${what}: ${date} (in ${days} days)`;
}

function check(input: AuditInput): AuditFinding[] {
  const out: AuditFinding[] = [];
  const now = input.now;
  const functions = [...input.state.functions].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  for (const fn of functions) {
    const runtime = fn.runtime ?? (typeof fn.config.Runtime === 'string' ? fn.config.Runtime : undefined);
    if (!runtime) continue;
    const subject = { kind: 'function' as const, arn: fn.arn, name: fn.name, region: fn.region };
    const base = { id: `${ID}[${fn.arn}]`, rule: ID, subject, basis: 'configuration' as const };
    const dates = HOSTED.get(runtime);
    if (!dates) {
      out.push({
        ...base,
        severity: 'info',
        message: `${fn.name} (${fn.region}): unknown runtime ${JSON.stringify(runtime.slice(0, 40))}: not in the table (dated ${table.tableDate})`,
        evidence: [
          `runtime ${JSON.stringify(runtime.slice(0, 40))}`,
          `the runtime table (src/audit/data/runtimes.json, ${table.tableDate}) does not list it: a newer runtime, or a typo`,
        ],
        fix: 'check it against https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html',
      });
      continue;
    }
    const evidence = [
      `runtime ${runtime}${dates.osOnly ? ' (OS-only)' : ''}`,
      when(dates.deprecation, now, 'deprecation'),
      when(dates.blockCreate, now, 'block function create'),
      when(dates.blockUpdate, now, 'block function update'),
      `table dated ${table.tableDate} (src/audit/data/runtimes.json)`,
    ];
    const deprecation = dates.deprecation ? Date.parse(`${dates.deprecation}T00:00:00Z`) : NaN;
    const daysLeft = (deprecation - now.getTime()) / DAY;
    let severity: AuditSeverity | undefined;
    let message: string;
    if (!Number.isNaN(deprecation) && daysLeft <= 0) {
      severity = 'high';
      message = `${fn.name} (${fn.region}) runs on ${runtime}, deprecated since ${dates.deprecation}: no more security patches`;
    } else if (!Number.isNaN(deprecation) && daysLeft <= RUNTIME_WARNING_DAYS) {
      severity = 'medium';
      message = `${fn.name} (${fn.region}) runs on ${runtime}, deprecated on ${dates.deprecation} (in ${Math.ceil(daysLeft)} days)`;
    } else if (dates.osOnly) {
      severity = 'info';
      message = `${fn.name} (${fn.region}) runs on the OS-only runtime ${runtime}: Lambda patches the OS, the language runtime or binary in the package is yours to update`;
    } else continue;
    const target = dates.successor ? ` (e.g. ${dates.successor})` : '';
    out.push({
      ...base,
      severity,
      message,
      evidence,
      fix:
        severity === 'info'
          ? 'keep the runtime interface client, the compiled binary and its libraries in the deployment package patched'
          : `move to a supported runtime${target}, test, then: aws lambda update-function-configuration --function-name ${fn.name} --region ${fn.region} --runtime ${dates.successor ?? '<RUNTIME>'}`,
    });
  }
  return out;
}

export const rule: AuditRule = {
  id: ID,
  title: 'Runtime end of support',
  advice:
    'AWS Lambda Developer Guide, "Runtime deprecation" and "Lambda runtimes" (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html): ' +
    'after deprecation Lambda may no longer apply security patches to a runtime, functions on it lose technical ' +
    'support, and creating then updating them is blocked; migrate before the deprecation date.',
  severity: 'high',
  needs: [],
  references: {
    prowler: ['awslambda_function_using_supported_runtimes'],
    securityHub: ['Lambda.2'],
    checkov: ['CKV_AWS_363'],
  },
  check,
};
