/**
 * PT-AUDIT-SECRET-NO-CMK: a function that reads secrets (secretsmanager:GetSecretValue in the
 * trail, in its own role session) while secrets it may read are encrypted with the AWS managed
 * key `aws/secretsmanager`, whose key policy nobody can change or narrow.
 *
 * What the evidence is, precisely: the report's account pass keeps each principal's usage at
 * action level (resource `*`, src/pipeline/account-event.ts), so the trail says that the role
 * read secrets, how often and when, and whether the function's own session did, not which
 * secret. The secrets named are those of the function's account and region that use the AWS
 * managed key and that the role's identity policies allow it to read (src/diff/evaluate.ts);
 * when the role's policies are not all known, every such secret of the account and region.
 */
import { currentPoliciesOf } from '../../account/current-policies';
import { evaluate, parsePolicies } from '../../diff';
import type { FunctionInfo, PrincipalActivity, SecretInfo } from '../../model';
import type { AuditFinding, AuditInput, AuditRule } from '../types';

const ID = 'PT-AUDIT-SECRET-NO-CMK';
const READ_ACTIONS = new Set(['secretsmanager:getsecretvalue', 'secretsmanager:batchgetsecretvalue']);
const MAX_NAMES = 10;

/** Is the secret encrypted with `aws/secretsmanager` (no key id, or its alias)? */
export function usesAwsManagedKey(s: SecretInfo): boolean {
  const k = s.kmsKeyId?.trim();
  return (
    !k ||
    k === 'alias/aws/secretsmanager' ||
    /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/aws\/secretsmanager$/.test(k)
  );
}

function accountOf(arn: string): string | undefined {
  return arn.split(':')[4] || undefined;
}

function principalOf(input: AuditInput, fn: FunctionInfo): PrincipalActivity | undefined {
  const principals = input.usage?.principals ?? {};
  const roleName = fn.roleArn.split('/').pop() ?? '';
  return principals[fn.roleArn] ?? principals[`role/${roleName}`];
}

interface Reads {
  count: number;
  firstSeen: string;
  lastSeen: string;
  actions: string[];
}

function readsOf(p: PrincipalActivity): Reads | undefined {
  let r: Reads | undefined;
  for (const e of Object.values(p.usage.entries)) {
    if (!READ_ACTIONS.has(e.action.toLowerCase())) continue;
    if (!r) r = { count: 0, firstSeen: e.firstSeen, lastSeen: e.lastSeen, actions: [] };
    r.count += e.count;
    if (e.firstSeen < r.firstSeen) r.firstSeen = e.firstSeen;
    if (e.lastSeen > r.lastSeen) r.lastSeen = e.lastSeen;
    if (!r.actions.includes(e.action)) r.actions.push(e.action);
  }
  r?.actions.sort();
  return r;
}

const readsIn = (actions: readonly string[]) => actions.some((a) => READ_ACTIONS.has(a.toLowerCase()));

function listNames(secrets: readonly SecretInfo[]): string {
  const names = secrets.map((s) => s.name).sort();
  const shown = names.slice(0, MAX_NAMES).join(', ');
  return names.length > MAX_NAMES ? `${shown} and ${names.length - MAX_NAMES} more` : shown;
}

export const rule: AuditRule = {
  id: ID,
  title: 'Secrets a function reads use the AWS managed key',
  advice:
    'AWS Secrets Manager User Guide, "Change the encryption key for an AWS Secrets Manager secret": "For most cases, we recommend using aws/secretsmanager … If you need to access the secret from another AWS account, or if you want to use your own KMS key so that you can rotate it or apply a key policy to it, use a customer managed key." (https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_update-encryption-key.html); a key policy is what limits decryption to the function\'s role ("Secret encryption and decryption in AWS Secrets Manager", security-encryption.html). AWS Config checks the same with its managed rule secretsmanager-using-cmk. Low severity: defence in depth, not an exposure.',
  severity: 'low',
  needs: ['secrets', 'trail'],
  references: { prowler: [], securityHub: [], checkov: ['CKV_AWS_149'] },
  check(input: AuditInput): AuditFinding[] {
    const secrets = input.state.secrets ?? [];
    const findings: AuditFinding[] = [];
    for (const fn of input.state.functions) {
      const p = principalOf(input, fn);
      if (!p) continue;
      const reads = readsOf(p);
      if (!reads) continue;
      const sessions = Object.keys(p.sessions);
      const own = p.sessions[fn.name];
      // Lambda names the role session after the function: when the role's sessions are known and
      // the reads were made in another function's session, this function is not shown to read.
      if (sessions.length > 0 && !(own && readsIn(own.actions))) continue;
      const account = accountOf(fn.arn);
      const managed = secrets.filter(
        (s) => s.region === fn.region && accountOf(s.arn) === account && usesAwsManagedKey(s),
      );
      if (managed.length === 0) continue;
      const policies = currentPoliciesOf(input.state, fn.roleArn);
      const known = !!policies && policies.unknown.length === 0;
      let readable = managed;
      if (known) {
        const { statements } = parsePolicies(policies.identity);
        readable = managed.filter((s) => {
          const d = evaluate(statements, 'secretsmanager:GetSecretValue', s.arn);
          return d === 'allowed' || d === 'conditional';
        });
      }
      if (readable.length === 0) continue;
      const inRegion = secrets.filter((s) => s.region === fn.region && accountOf(s.arn) === account).length;
      const role = fn.roleArn.split('/').pop() ?? fn.roleArn;
      findings.push({
        id: `${ID}[${fn.arn}]`,
        rule: ID,
        severity: 'low',
        subject: { kind: 'function', arn: fn.arn, name: fn.name, region: fn.region },
        message: `${fn.name} reads secrets, and ${readable.length === 1 ? '1 secret' : `${readable.length} secrets`} it may read ${readable.length === 1 ? 'uses' : 'use'} the AWS managed key aws/secretsmanager`,
        evidence: [
          `trail: role ${role} called ${reads.actions.join(', ')} ${reads.count} ${reads.count === 1 ? 'time' : 'times'} from ${reads.firstSeen} to ${reads.lastSeen}` +
            (own
              ? `, in the function's own session ${fn.name} among them`
              : ' (the trail names no role session)'),
          'the trail is kept per action, not per secret: which secret was read is not known',
          known
            ? `${readable.length} of the ${inRegion} secrets of ${fn.region} that the role's identity policies allow it to read (secretsmanager:GetSecretValue) use aws/secretsmanager: ${listNames(readable)}`
            : `the role's policies are not all known (${policies ? `${policies.unknown.length} policy documents missing` : 'role not in the account state'}): ${readable.length} of the ${inRegion} secrets of ${fn.region} use aws/secretsmanager: ${listNames(readable)}`,
          'secrets list-secrets: KmsKeyId absent or alias/aws/secretsmanager',
        ],
        fix:
          `Create a customer managed KMS key for these secrets whose key policy allows kms:Decrypt only to ${role} (and the secrets' administrators), ` +
          `with kms:ViaService secretsmanager.${fn.region}.amazonaws.com; switch each secret to it (aws secretsmanager update-secret --secret-id NAME --kms-key-id KEY_ARN; ` +
          'Secrets Manager re-encrypts the AWSCURRENT, AWSPENDING and AWSPREVIOUS versions and keeps copies under the previous key, so rotate the secret afterwards), then grant the role kms:Decrypt on the new key.',
        basis: 'configuration and trail',
      });
    }
    return findings;
  },
};
