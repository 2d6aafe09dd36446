/**
 * PT-AUDIT-PUBLIC-POLICY: a function resource policy that lets every principal in, or an AWS
 * service in from any source (confused deputy). docs/audit-rules/PT-AUDIT-PUBLIC-POLICY.md.
 */
import { functionNameOf, policyExposures, shown, type PolicyExposure } from '../exposure/resource-policy';
import type { AuditFinding, AuditRule, AuditSeverity } from '../types';

const ID = 'PT-AUDIT-PUBLIC-POLICY';

function describe(e: PolicyExposure): string {
  const what =
    e.kind === 'public'
      ? 'every principal'
      : e.kind === 'any-aws-account'
        ? 'every AWS account (signed requests only: lambda:FunctionUrlAuthType AWS_IAM)'
        : 'an AWS service on behalf of any account (no aws:SourceArn or aws:SourceAccount)';
  const extra = [
    e.urlAuthType ? `lambda:FunctionUrlAuthType ${e.urlAuthType.join(', ')}` : '',
    e.otherConditionKeys.length > 0
      ? `other condition keys, not scoping: ${e.otherConditionKeys.join(', ')}`
      : '',
  ].filter((x) => x !== '');
  return (
    `statement ${shown(e.statement, 64)}: Allow ${e.actions.map((a) => shown(a, 64)).join(', ') || '(no action)'} ` +
    `to ${e.principals.map((p) => shown(p, 80)).join(', ')}: ${what}` +
    (extra.length > 0 ? ` (${extra.join('; ')})` : '')
  );
}

function severityOf(e: PolicyExposure): AuditSeverity {
  return e.kind === 'public' ? 'critical' : 'high';
}

export const rule: AuditRule = {
  id: ID,
  title: 'Function resource policy open to everyone or to a service from any account',
  advice:
    'AWS Security Hub [Lambda.1] "Lambda function policies should prohibit public access" (AWS Config ' +
    'lambda-function-public-access-prohibited: a principal "*" or {"AWS":"*"} is public; "To be considered ' +
    'non-public, a Lambda resource-based policy must grant access only to fixed values"). Lambda\'s ' +
    '"Granting Lambda function access to AWS services" and IAM\'s cross-service confused deputy prevention: ' +
    'scope a service principal with aws:SourceArn or aws:SourceAccount.',
  severity: 'critical',
  needs: ['function-policies'],
  references: {
    prowler: ['awslambda_function_not_publicly_accessible'],
    securityHub: ['Lambda.1'],
    checkov: ['CKV_AWS_301', 'CKV_AWS_364'],
  },
  check({ state }) {
    const findings: AuditFinding[] = [];
    for (const policy of state.functionPolicies ?? []) {
      const exposures = policyExposures(policy.document);
      if (exposures.length === 0) continue;
      const severity: AuditSeverity = exposures.some((e) => severityOf(e) === 'critical')
        ? 'critical'
        : 'high';
      const name = functionNameOf(policy.functionArn);
      const pub = exposures.filter((e) => e.kind !== 'service').length;
      const svc = exposures.length - pub;
      const parts = [
        pub > 0 ? `${pub} statement${pub === 1 ? '' : 's'} open to every principal` : '',
        svc > 0 ? `${svc} service statement${svc === 1 ? '' : 's'} without a source condition` : '',
      ].filter((x) => x !== '');
      const sids = exposures.map((e) => shown(e.statement, 64));
      findings.push({
        id: `${ID}[${policy.functionArn}]`,
        rule: ID,
        severity,
        subject: { kind: 'function', arn: policy.functionArn, name, region: policy.region },
        message: `the resource policy of ${shown(name)} has ${parts.join(' and ')}`,
        evidence: exposures.map(describe),
        fix:
          `remove each statement (aws lambda remove-permission --function-name ${shown(name)} --statement-id SID, ` +
          `for ${sids.join(', ')}) and add it back scoped: --principal ACCOUNT or --principal-org-id, and for a ` +
          `service --source-arn (and --source-account for S3)`,
        basis: 'configuration',
      });
    }
    return findings;
  },
};
