import type { AuditFinding, AuditResult, AuditSeverity } from '../../../src/audit/types';
import type { AuditRuleMeta } from '../../../src/render/audit-sarif';

/**
 * A hand-built AuditResult for the audit renderers (the rules are written elsewhere): every
 * severity, subjects defined and not defined in the IaC fixtures (test/fixtures/audit), hostile
 * values, a rule not run.
 */
const A = '111122223333';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${A}:function:${name}`;
const roleArn = (name: string) => `arn:aws:iam::${A}:role/${name}`;

export const HOSTILE_FUNCTION = '<img src=x onerror=alert(1)>';

function f(
  rule: string,
  severity: AuditSeverity,
  kind: 'function' | 'role',
  name: string,
  message: string,
  evidence: string[],
  fix: string,
  basis: AuditFinding['basis'] = 'configuration',
): AuditFinding {
  const arn = kind === 'function' ? fnArn(name) : roleArn(name);
  return {
    id: `${rule}[${arn}]`,
    rule,
    severity,
    subject: { kind, arn, name, ...(kind === 'function' ? { region: 'us-east-1' } : {}) },
    message,
    evidence,
    fix,
    basis,
  };
}

export const AUDIT_FIXTURE: AuditResult = {
  rulesRun: ['PT-AUDIT-ADMIN-ROLE', 'PT-AUDIT-PUBLIC-URL', 'PT-AUDIT-SHARED-ROLE', 'PT-AUDIT-UNUSED-ACTIONS'],
  skipped: [{ rule: 'PT-AUDIT-SECRET-ENV', reason: 'needs secrets: the account snapshot holds no secrets' }],
  findings: [
    f(
      'PT-AUDIT-ADMIN-ROLE',
      'critical',
      'role',
      'shared-role',
      'The execution role shared-role allows every action on every resource (*:*).',
      ['statement AdminAccess of policy AdministratorAccess: Action *, Resource *', 'used by 2 functions'],
      'policy-tighten generate --function reports-api --trail ./trail --since 90d',
    ),
    f(
      'PT-AUDIT-PUBLIC-URL',
      'high',
      'function',
      'reports-api',
      'Function URL with AuthType NONE: anyone on the internet can invoke reports-api.',
      [
        'FunctionUrlConfig AuthType NONE',
        'resource policy statement FunctionURLAllowPublicAccess: Principal *',
      ],
      'Set the function URL AuthType to AWS_IAM, or remove the URL if callers do not need it.',
    ),
    f(
      'PT-AUDIT-PUBLIC-URL',
      'high',
      'function',
      HOSTILE_FUNCTION,
      'Function URL with AuthType NONE: anyone can invoke <script>alert(2)</script> **bold** [x](http://e.vil) @team #1',
      ['evidence with | pipe and `backticks` and \u202E bidi'],
      "aws lambda update-function-url-config --function-name '<img src=x onerror=alert(1)>' --auth-type AWS_IAM",
    ),
    f(
      'PT-AUDIT-SHARED-ROLE',
      'medium',
      'role',
      'orders-role',
      'The execution role orders-role is shared by 3 functions.',
      ['orders-api, orders-worker, legacy-cron assume it'],
      'policy-tighten generate --function orders-api --trail ./trail --since 90d',
      'configuration and trail',
    ),
    f(
      'PT-AUDIT-UNUSED-ACTIONS',
      'low',
      'function',
      'orders-api',
      'orders-api did not use 12 of the 14 actions its role grants in 90 days.',
      ['used: dynamodb:GetItem, dynamodb:PutItem', 'unused: 12 actions, e.g. s3:DeleteBucket'],
      'policy-tighten generate --function orders-api --trail ./trail --since 90d',
      'trail',
    ),
    f(
      'PT-AUDIT-UNUSED-ACTIONS',
      'info',
      'function',
      'etl-prod',
      'etl-prod was invoked 3 times in the window: too few calls to judge its permissions.',
      [],
      'Read a longer window (--since 180d) before tightening etl-prod.',
      'trail',
    ),
  ],
  counts: { critical: 1, high: 2, medium: 1, low: 1, info: 1 },
  window: { since: '2026-08-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' },
  partial: false,
};

export const RULES_FIXTURE: AuditRuleMeta[] = [
  {
    id: 'PT-AUDIT-ADMIN-ROLE',
    title: 'Execution role with administrator access',
    advice:
      'Grant least privilege to Lambda execution roles (AWS Lambda Developer Guide, "Security best practices").',
    severity: 'critical',
    references: { prowler: ['awslambda_function_no_admin_role'], securityHub: [], checkov: [] },
  },
  {
    id: 'PT-AUDIT-PUBLIC-URL',
    title: 'Public function URL',
    advice:
      'Use AWS_IAM auth for function URLs (AWS Lambda Developer Guide, "Control access to function URLs").',
    severity: 'high',
    references: { securityHub: ['Lambda.1'] },
  },
  {
    id: 'PT-AUDIT-SECRET-ENV',
    title: 'Secret in an environment variable',
    advice: 'Keep secrets in Secrets Manager, not in environment variables.',
    severity: 'high',
    references: {},
  },
  {
    id: 'PT-AUDIT-SHARED-ROLE',
    title: 'Execution role shared by several functions',
    advice: 'Give each function its own execution role.',
    severity: 'medium',
    references: {},
  },
  {
    id: 'PT-AUDIT-UNUSED-ACTIONS',
    title: 'Granted actions the function does not use',
    advice: 'Remove permissions a function does not use <b>once the trail covers its activity</b>.',
    severity: 'low',
    references: {},
  },
];
