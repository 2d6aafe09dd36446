/**
 * PT-AUDIT-URL-CORS: a function URL whose CORS lets every origin in (`AllowOrigins` `*`), high
 * with `AllowCredentials: true`. docs/audit-rules/PT-AUDIT-URL-CORS.md.
 */
import { functionNameOf, shown } from '../exposure/resource-policy';
import type { AuditFinding, AuditRule } from '../types';

const ID = 'PT-AUDIT-URL-CORS';

export const rule: AuditRule = {
  id: ID,
  title: 'Function URL CORS allows every origin',
  advice:
    'Lambda Cors (API reference): AllowOrigins lists "the origins that can access your function URL … ' +
    'Alternatively, you can grant access to all origins using the wildcard character (*)"; list the specific ' +
    'origins instead, and allow credentials only for them.',
  severity: 'medium',
  needs: ['function-urls'],
  references: {
    prowler: ['awslambda_function_url_cors_policy'],
    securityHub: [],
    checkov: [],
  },
  check({ state }) {
    const findings: AuditFinding[] = [];
    for (const url of state.functionUrls ?? []) {
      const origins = url.cors?.allowOrigins ?? [];
      if (!origins.includes('*')) continue;
      const credentials = url.cors?.allowCredentials === true;
      const name = functionNameOf(url.functionArn);
      const methods = url.cors?.allowMethods ?? [];
      findings.push({
        id: `${ID}[${url.functionArn}]`,
        rule: ID,
        severity: credentials ? 'high' : 'medium',
        subject: { kind: 'function', arn: url.functionArn, name, region: url.region },
        message: credentials
          ? `the function URL of ${shown(name)} allows every origin with credentials (cookies, authorization headers)`
          : `the function URL of ${shown(name)} allows every origin (CORS AllowOrigins *)`,
        evidence: [
          `${shown(url.url, 200)}: AuthType ${shown(url.authType, 16)}`,
          `AllowOrigins: ${origins
            .slice(0, 10)
            .map((o) => shown(o, 100))
            .join(', ')}${origins.length > 10 ? ` … (${origins.length})` : ''}`,
          `AllowCredentials: ${credentials}`,
          ...(methods.length > 0 ? [`AllowMethods: ${methods.map((m) => shown(m, 16)).join(', ')}`] : []),
        ],
        fix:
          `aws lambda update-function-url-config --function-name ${shown(name)} --cors ` +
          `'AllowOrigins=https://app.example.com,AllowCredentials=false' (the origins your pages are served from)`,
        basis: 'configuration',
      });
    }
    return findings;
  },
};
