/**
 * PT-AUDIT-URL-NO-AUTH: a function URL with AuthType NONE (no IAM authentication), critical when
 * the resource policy also lets everyone call it. docs/audit-rules/PT-AUDIT-URL-NO-AUTH.md.
 */
import { functionNameOf, publicUrlStatements, shown } from '../exposure/resource-policy';
import type { AuditFinding, AuditRule } from '../types';

const ID = 'PT-AUDIT-URL-NO-AUTH';

export const rule: AuditRule = {
  id: ID,
  title: 'Function URL without IAM authentication',
  advice:
    'Lambda "Control access to Lambda function URLs": with AuthType NONE "Lambda doesn\'t perform any ' +
    'authentication before invoking your function"; choose AWS_IAM "if you want only authenticated users and ' +
    'roles to invoke your function". With NONE, the resource-based policy "must grant public access before your ' +
    'function URL can receive requests".',
  severity: 'high',
  needs: ['function-urls'],
  references: {
    prowler: ['awslambda_function_url_public'],
    securityHub: [],
    checkov: ['CKV_AWS_258'],
  },
  check({ state }) {
    const findings: AuditFinding[] = [];
    for (const url of state.functionUrls ?? []) {
      if (url.authType !== 'NONE') continue;
      const name = functionNameOf(url.functionArn);
      const evidence = [`${shown(url.url, 200)}: AuthType NONE`];
      let open: string[] = [];
      if (!state.functionPolicies) {
        evidence.push(
          'the resource policies were not read (aws lambda get-policy): whether everyone may call the URL is not known',
        );
      } else {
        const policy = state.functionPolicies.find((p) => p.functionArn === url.functionArn);
        open = policy ? publicUrlStatements(policy.document) : [];
        evidence.push(
          open.length > 0
            ? `the resource policy lets every principal call it: lambda:InvokeFunctionUrl in ${open.map((s) => shown(s, 64)).join(', ')}`
            : 'the resource policy grants no public lambda:InvokeFunctionUrl: Lambda refuses unsigned calls until one is added',
        );
      }
      findings.push({
        id: `${ID}[${url.functionArn}]`,
        rule: ID,
        severity: open.length > 0 ? 'critical' : 'high',
        subject: { kind: 'function', arn: url.functionArn, name, region: url.region },
        message:
          open.length > 0
            ? `the function URL of ${shown(name)} lets anyone on the internet invoke it without authentication`
            : `the function URL of ${shown(name)} has AuthType NONE: Lambda authenticates no caller`,
        evidence,
        fix:
          `aws lambda update-function-url-config --function-name ${shown(name)} --auth-type AWS_IAM (sign callers' ` +
          `requests with SigV4, or put CloudFront with origin access control in front); if it must stay public, ` +
          `authenticate in the function and remove any statement it does not need`,
        basis: 'configuration',
      });
    }
    return findings;
  },
};
