import { runAuditRules } from '../../../src/audit';
import { rule, usesAwsManagedKey } from '../../../src/audit/rules/PT-AUDIT-SECRET-NO-CMK';
import type { AccountAggregate, AccountState } from '../../../src/model';
import { ACCOUNT, fn, input, REGION, role, secret, state, usage } from './fixtures-secrets';

const GET = 'secretsmanager:GetSecretValue';
const CMK = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const readAll = { Effect: 'Allow', Action: GET, Resource: '*' };
const readDb = {
  Effect: 'Allow',
  Action: 'secretsmanager:GetSecretValue',
  Resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db-*`,
};

type Case = [
  what: string,
  s: AccountState,
  u: AccountAggregate,
  expected: { names: string; known: boolean } | undefined,
];
const f = fn('orders-api');
const base = (statements: unknown[] | undefined, secrets = [secret('prod/db'), secret('prod/api')]) =>
  state({ functions: [f], roles: statements ? [role('orders-api-role', statements)] : [], secrets });

const CASES: Case[] = [
  [
    'reads, policy allows the AWS-managed one',
    base([readDb]),
    usage({ 'orders-api-role': { 'orders-api': [GET] } }),
    { names: 'prod/db', known: true },
  ],
  [
    'reads, policy allows all: both named',
    base([readAll]),
    usage({ 'orders-api-role': { 'orders-api': [GET] } }),
    { names: 'prod/api, prod/db', known: true },
  ],
  [
    'reads, but every secret it may read uses a CMK',
    base([readDb], [secret('prod/db', CMK), secret('prod/api')]),
    usage({ 'orders-api-role': { 'orders-api': [GET] } }),
    undefined,
  ],
  [
    'alias/aws/secretsmanager counts as the AWS managed key',
    base([readDb], [secret('prod/db', 'alias/aws/secretsmanager')]),
    usage({ 'orders-api-role': { 'orders-api': [GET] } }),
    { names: 'prod/db', known: true },
  ],
  [
    'does not read secrets',
    base([readAll]),
    usage({ 'orders-api-role': { 'orders-api': ['s3:GetObject'] } }),
    undefined,
  ],
  ['role absent from the trail', base([readAll]), usage({ 'other-role': { other: [GET] } }), undefined],
  [
    'another function sharing the role read, not this one',
    base([readAll]),
    usage({ 'orders-api-role': { 'orders-api': ['s3:GetObject'], 'billing-job': [GET] } }),
    undefined,
  ],
  [
    'role unknown to the account state: every AWS-managed secret of the region',
    base(undefined),
    usage({ 'orders-api-role': { 'orders-api': [GET] } }),
    { names: 'prod/api, prod/db', known: false },
  ],
  [
    'secrets of another region are not counted',
    base([readAll], [secret('prod/db', undefined, 'us-east-1')]),
    usage({ 'orders-api-role': { 'orders-api': [GET] } }),
    undefined,
  ],
  [
    'BatchGetSecretValue is a read too',
    base([readDb]),
    usage({ 'orders-api-role': { 'orders-api': ['secretsmanager:BatchGetSecretValue'] } }),
    { names: 'prod/db', known: true },
  ],
];

describe('PT-AUDIT-SECRET-NO-CMK', () => {
  it.each(CASES)('%s', async (_what, s, u, expected) => {
    const findings = await rule.check(input(s, { usage: u }));
    if (!expected) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings).toHaveLength(1);
    const [x] = findings;
    expect(x.id).toBe(`PT-AUDIT-SECRET-NO-CMK[${f.arn}]`);
    expect(x.severity).toBe('low');
    expect(x.basis).toBe('configuration and trail');
    expect(x.evidence[0]).toMatch(
      /^trail: role orders-api-role called secretsmanager:\w+ 3 times from .* in the function's own session orders-api/,
    );
    expect(x.evidence[1]).toBe(
      'the trail is kept per action, not per secret: which secret was read is not known',
    );
    expect(x.evidence[2]).toContain(`: ${expected.names}`);
    expect(x.evidence[2]).toMatch(expected.known ? /identity policies allow/ : /not all known/);
    expect(x.fix).toMatch(/update-secret --secret-id NAME --kms-key-id/);
  });

  it.each([
    [undefined, true],
    ['', true],
    ['alias/aws/secretsmanager', true],
    [`arn:aws:kms:${REGION}:${ACCOUNT}:alias/aws/secretsmanager`, true],
    [CMK, false],
    ['alias/orders-secrets', false],
  ])('usesAwsManagedKey(%j) = %s', (k, managed) => {
    expect(
      usesAwsManagedKey({ arn: 'a', name: 'n', region: REGION, ...(k !== undefined ? { kmsKeyId: k } : {}) }),
    ).toBe(managed);
  });

  it('is not run without secrets or without a trail: no data is not "fine"', async () => {
    const noSecrets = await runAuditRules([rule], input(state({ functions: [f] }), { usage: usage({}) }));
    expect(noSecrets.rulesRun).toEqual([]);
    expect(noSecrets.skipped[0].reason).toMatch(/no secrets/);
    const noTrail = await runAuditRules([rule], input(base([readAll])));
    expect(noTrail.skipped[0].reason).toMatch(/no trail/);
  });

  it('lists at most 10 secret names', async () => {
    const many = Array.from({ length: 12 }, (_, i) => secret(`s${String(i).padStart(2, '0')}`));
    const [x] = await rule.check(
      input(base([readAll], many), { usage: usage({ 'orders-api-role': { 'orders-api': [GET] } }) }),
    );
    expect(x.evidence[2]).toMatch(/s09 and 2 more$/);
  });
});
