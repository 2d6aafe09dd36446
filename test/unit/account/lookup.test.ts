import * as path from 'path';

import { findFunction, findRole, functionsUsingRole } from '../../../src/account/lookup';
import { loadAccountSnapshot } from '../../../src/account/snapshot';
import type { AccountState, FunctionInfo, RoleInfo } from '../../../src/model/account';

const A = '111122223333';
const role = (name: string, p = '/'): RoleInfo => ({
  roleName: name,
  arn: `arn:aws:iam::${A}:role${p}${name}`,
  path: p,
  inlinePolicies: [],
  attachedPolicyArns: [],
});
const fn = (name: string, region: string, roleName: string, p = '/'): FunctionInfo => ({
  name,
  arn: `arn:aws:lambda:${region}:${A}:function:${name}`,
  region,
  roleArn: `arn:aws:iam::${A}:role${p}${roleName}`,
  config: {},
});
const state: AccountState = {
  roles: [role('api-role'), role('Worker-Role', '/service-role/'), role('shared-role')],
  users: [],
  policies: [],
  functions: [
    fn('api', 'eu-west-1', 'api-role'),
    fn('api', 'us-east-1', 'api-role'),
    fn('daily', 'eu-west-1', 'shared-role'),
    fn('weekly', 'eu-west-1', 'shared-role'),
    fn('worker', 'us-east-1', 'Worker-Role', '/service-role/'),
  ],
  eventSourceMappings: [],
};

describe('findRole', () => {
  test('by name, ARN, ARN with path, assumed-role session ARN', () => {
    expect(findRole(state, 'api-role')?.arn).toBe(`arn:aws:iam::${A}:role/api-role`);
    expect(findRole(state, `arn:aws:iam::${A}:role/api-role`)?.roleName).toBe('api-role');
    expect(findRole(state, `arn:aws:iam::${A}:role/service-role/Worker-Role`)?.roleName).toBe('Worker-Role');
    expect(findRole(state, `arn:aws:iam::${A}:role/Worker-Role`)?.roleName).toBe('Worker-Role');
    expect(findRole(state, `arn:aws:sts::${A}:assumed-role/shared-role/daily`)?.roleName).toBe('shared-role');
  });
  test('names are case-insensitive when there is no exact match', () => {
    expect(findRole(state, 'worker-role')?.roleName).toBe('Worker-Role');
  });
  test('unknown role, or the right name in another account', () => {
    expect(findRole(state, 'nope')).toBeUndefined();
    expect(findRole(state, 'arn:aws:iam::999999999999:role/api-role')).toBeUndefined();
    expect(findRole(state, 'arn:aws:s3:::bucket')).toBeUndefined();
  });
});

describe('findFunction', () => {
  test('a unique name', () => {
    const r = findFunction(state, 'worker');
    expect(r.status).toBe('found');
    if (r.status === 'found') expect(r.function.region).toBe('us-east-1');
  });
  test('the same name in two regions without a region is ambiguous, with all candidates', () => {
    const r = findFunction(state, 'api');
    expect(r.status).toBe('ambiguous');
    expect(r.candidates.map((f) => f.region)).toEqual(['eu-west-1', 'us-east-1']);
  });
  test('a region disambiguates', () => {
    const r = findFunction(state, 'api', 'us-east-1');
    expect(r.status === 'found' && r.function.arn).toBe(`arn:aws:lambda:us-east-1:${A}:function:api`);
    expect(findFunction(state, 'api', 'ap-south-1').status).toBe('not-found');
  });
  test('by ARN, qualified ARN; a conflicting region finds nothing', () => {
    const arn = `arn:aws:lambda:eu-west-1:${A}:function:api`;
    const r = findFunction(state, arn);
    expect(r.status === 'found' && r.function.region).toBe('eu-west-1');
    expect(findFunction(state, `${arn}:live`).status).toBe('found');
    expect(findFunction(state, arn, 'us-east-1').status).toBe('not-found');
    expect(findFunction(state, `arn:aws:lambda:eu-west-1:999999999999:function:api`).status).toBe(
      'not-found',
    );
  });
  test('unknown', () => {
    expect(findFunction(state, 'nope')).toEqual({ status: 'not-found', candidates: [] });
  });
});

describe('functionsUsingRole', () => {
  test('a role shared by two functions; by ARN or name', () => {
    expect(functionsUsingRole(state, `arn:aws:iam::${A}:role/shared-role`).map((f) => f.name)).toEqual([
      'daily',
      'weekly',
    ]);
    expect(functionsUsingRole(state, 'api-role').map((f) => `${f.name}@${f.region}`)).toEqual([
      'api@eu-west-1',
      'api@us-east-1',
    ]);
    expect(functionsUsingRole(state, `arn:aws:iam::${A}:role/service-role/Worker-Role`)).toHaveLength(1);
    expect(functionsUsingRole(state, `arn:aws:iam::${A}:role/unused-role`)).toEqual([]);
  });
});

describe('look-ups in the sample account', () => {
  test('orders-api is in two regions; reports-role serves two functions; legacy-cron is there', async () => {
    const s = await loadAccountSnapshot(path.resolve(__dirname, '../../../samples/account'));
    expect(findFunction(s, 'orders-api').status).toBe('ambiguous');
    expect(findFunction(s, 'orders-api', 'eu-west-1').status).toBe('found');
    expect(functionsUsingRole(s, 'reports-role').map((f) => f.name)).toEqual([
      'report-daily',
      'report-weekly',
    ]);
    expect(findRole(s, 'legacy-cron-role')?.lastUsedDate).toBe('2025-03-14T06:00:12.000Z');
  });
});
