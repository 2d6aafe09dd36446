/** Small account states for the exposure rules (PT-AUDIT-PUBLIC-POLICY, URL, CAN-CHANGE). */
import type { Catalog } from '../../../src/catalog';
import type { AuditInput } from '../../../src/audit';
import type { AccountState, FunctionInfo, PolicyDocumentLike, RoleInfo } from '../../../src/model';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

export function fnArn(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

export function roleArn(name: string): string {
  return `arn:aws:iam::${ACCOUNT}:role/${name}`;
}

export function fn(name: string, role: string): FunctionInfo {
  return {
    name,
    arn: fnArn(name),
    region: REGION,
    roleArn: roleArn(role),
    runtime: 'nodejs22.x',
    config: {},
  };
}

export const LAMBDA_TRUST: PolicyDocumentLike = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

export const ACCOUNT_TRUST: PolicyDocumentLike = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
};

export function role(
  name: string,
  statements: Record<string, unknown>[],
  extra: Partial<RoleInfo> = {},
): RoleInfo {
  return {
    roleName: name,
    arn: roleArn(name),
    path: '/',
    trustPolicy: ACCOUNT_TRUST,
    inlinePolicies:
      statements.length > 0
        ? [{ name: 'p', document: { Version: '2012-10-17', Statement: statements } }]
        : [],
    attachedPolicyArns: [],
    ...extra,
  };
}

export function state(partial: Partial<AccountState>): AccountState {
  return { roles: [], users: [], policies: [], functions: [], eventSourceMappings: [], ...partial };
}

export function input(s: AccountState, extra: Partial<AuditInput> = {}): AuditInput {
  return { state: s, catalog: {} as Catalog, now: new Date('2026-12-01T00:00:00Z'), ...extra };
}

/** A function policy document of the given statements (Resource filled in). */
export function policyDoc(name: string, statements: Record<string, unknown>[]): PolicyDocumentLike {
  return {
    Version: '2012-10-17',
    Statement: statements.map((s, i) => ({ Sid: `s${i + 1}`, Effect: 'Allow', Resource: fnArn(name), ...s })),
  };
}
