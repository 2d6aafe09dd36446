/**
 * The audit's snapshot files (docs/snapshot.md): function-policies-REGION.json,
 * function-url-configs-REGION.json, secrets-REGION.json. A part is undefined without a file of
 * its kind, a list (maybe empty) with one; a malformed file stops the run naming the file.
 */
import { writeFileSync } from 'fs';
import * as path from 'path';

import { readAuditPartsLive } from '../../../src/account/live';
import { loadAccountSnapshot } from '../../../src/account/snapshot';
import { InputError } from '../../../src/errors';
import { tmpDir } from './helpers';

const ACCOUNT = '111122223333';
const arn = (region: string, name: string) => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;
const fnList = (region: string, ...names: string[]) => ({
  Functions: names.map((n) => ({
    FunctionName: n,
    FunctionArn: arn(region, n),
    Role: `arn:aws:iam::${ACCOUNT}:role/r`,
  })),
});
const policy = (region: string, name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Version: '2012-10-17',
    Id: 'default',
    Statement: [
      {
        Sid: 's',
        Effect: 'Allow',
        Principal: '*',
        Action: 'lambda:InvokeFunctionUrl',
        Resource: arn(region, name),
        ...extra,
      },
    ],
  });

let tmp: ReturnType<typeof tmpDir>;
beforeEach(() => {
  tmp = tmpDir('audit-parts');
  write('authorization-details.json', { RoleDetailList: [] });
  write('functions-us-east-1.json', fnList('us-east-1', 'api', 'worker'));
});
afterEach(() => tmp.cleanup());

function write(name: string, content: unknown): void {
  writeFileSync(path.join(tmp.dir, name), typeof content === 'string' ? content : JSON.stringify(content));
}
async function loadError(): Promise<string> {
  try {
    await loadAccountSnapshot(tmp.dir);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

test('no file of a kind: the part is undefined (not read), not an empty list', async () => {
  const s = await loadAccountSnapshot(tmp.dir);
  expect(s.functionPolicies).toBeUndefined();
  expect(s.functionUrls).toBeUndefined();
  expect(s.secrets).toBeUndefined();
  expect(s.partRegions).toBeUndefined();
});

test('a file of each kind, empty: empty lists, read for its region', async () => {
  write('function-policies-us-east-1.json', {});
  write('function-url-configs-us-east-1.json', { api: { FunctionUrlConfigs: [] } });
  write('secrets-us-east-1.json', { SecretList: [] });
  const s = await loadAccountSnapshot(tmp.dir);
  expect([s.functionPolicies, s.functionUrls, s.secrets]).toEqual([[], [], []]);
  expect(s.partRegions).toEqual({
    functionPolicies: ['us-east-1'],
    functionUrls: ['us-east-1'],
    secrets: ['us-east-1'],
  });
});

test('function policies: the Policy string parsed, the ARN from the functions file or the Resource', async () => {
  write('function-policies-us-east-1.json', {
    worker: { Policy: policy('us-east-1', 'worker'), RevisionId: 'r1' },
  });
  // A function not in a functions file: its policy's Resource names it.
  write('function-policies-eu-west-1.json', { other: { Policy: policy('eu-west-1', 'other') } });
  const s = await loadAccountSnapshot(tmp.dir);
  expect(s.functionPolicies?.map((p) => [p.functionArn, p.functionName, p.region, p.revisionId])).toEqual([
    [arn('eu-west-1', 'other'), 'other', 'eu-west-1', undefined],
    [arn('us-east-1', 'worker'), 'worker', 'us-east-1', 'r1'],
  ]);
  expect(s.functionPolicies?.[1].document).toMatchObject({ Id: 'default', Statement: [{ Principal: '*' }] });
});

test.each([
  [
    'a non-JSON Policy',
    { api: { Policy: 'not json' } },
    /function-policies-us-east-1\.json: function api: Policy is not a JSON policy document/,
  ],
  [
    'a Policy that is a JSON string, not an object',
    { api: { Policy: '"x"' } },
    /function api: Policy is not a JSON policy document/,
  ],
  ['no Policy', { api: { RevisionId: 'r' } }, /function api: not the output of `aws lambda get-policy`/],
  ['an array', [{ Policy: '{}' }], /not a JSON object of `aws lambda get-policy` outputs by function name/],
  ['a key that is not a function name', { 'a b': { Policy: '{}' } }, /key "a b" is not a function name/],
  [
    'an unknown function whose policy names none',
    { ghost: { Policy: '{"Statement":[]}' } },
    /function ghost: the function is not in a functions file of us-east-1/,
  ],
])('function policies: %s stops the run naming the file', async (_what, content, message) => {
  write('function-policies-us-east-1.json', content);
  expect(await loadError()).toMatch(message);
});

test('function URL configs: auth type, CORS, alias URLs, pages', async () => {
  write('function-url-configs-us-east-1.json', {
    api: [
      {
        FunctionUrlConfigs: [
          {
            FunctionUrl: 'https://a.lambda-url.us-east-1.on.aws/',
            FunctionArn: arn('us-east-1', 'api'),
            AuthType: 'NONE',
            Cors: { AllowOrigins: ['*'], AllowMethods: ['GET'], AllowCredentials: true, MaxAge: 60 },
            InvokeMode: 'BUFFERED',
          },
        ],
        NextMarker: 'm',
      },
      {
        FunctionUrlConfigs: [
          {
            FunctionUrl: 'https://b.lambda-url.us-east-1.on.aws/',
            FunctionArn: `${arn('us-east-1', 'api')}:live`,
            AuthType: 'AWS_IAM',
          },
        ],
      },
    ],
    worker: { FunctionUrlConfigs: [] },
  });
  const s = await loadAccountSnapshot(tmp.dir);
  expect(s.functionUrls).toEqual([
    {
      functionArn: arn('us-east-1', 'api'),
      functionName: 'api',
      region: 'us-east-1',
      url: 'https://a.lambda-url.us-east-1.on.aws/',
      authType: 'NONE',
      invokeMode: 'BUFFERED',
      cors: { allowOrigins: ['*'], allowMethods: ['GET'], allowCredentials: true, maxAge: 60 },
    },
    {
      functionArn: `${arn('us-east-1', 'api')}:live`,
      functionName: 'api',
      region: 'us-east-1',
      url: 'https://b.lambda-url.us-east-1.on.aws/',
      authType: 'AWS_IAM',
    },
  ]);
});

test.each([
  [
    'no AuthType',
    { api: { FunctionUrlConfigs: [{ FunctionUrl: 'u', FunctionArn: 'a' }] } },
    /function api: FunctionUrlConfigs\[0\] has no FunctionUrl, FunctionArn or AuthType/,
  ],
  [
    'not the command output',
    { api: { Urls: [] } },
    /function api: not the output of `aws lambda list-function-url-configs`/,
  ],
  [
    'CORS origins not strings',
    {
      api: {
        FunctionUrlConfigs: [
          { FunctionUrl: 'u', FunctionArn: 'a', AuthType: 'NONE', Cors: { AllowOrigins: '*' } },
        ],
      },
    },
    /Cors\.AllowOrigins is not a list of strings/,
  ],
])('function URL configs: %s stops the run naming the file', async (_what, content, message) => {
  write('function-url-configs-us-east-1.json', content);
  const m = await loadError();
  expect(m).toMatch(/^function-url-configs-us-east-1\.json: /);
  expect(m).toMatch(message);
});

test('secrets: metadata only, KmsKeyId absent for the AWS managed key, pages merged', async () => {
  write('secrets-eu-west-1.json', [
    {
      SecretList: [
        { ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:b-1', Name: 'b', PrimaryRegion: 'us-east-1' },
      ],
      NextToken: 't',
    },
    {
      SecretList: [
        {
          ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:a-1',
          Name: 'a',
          KmsKeyId: 'arn:aws:kms:eu-west-1:1:key/k',
          Tags: [],
        },
      ],
    },
  ]);
  const s = await loadAccountSnapshot(tmp.dir);
  expect(s.secrets).toEqual([
    {
      arn: 'arn:aws:secretsmanager:eu-west-1:1:secret:a-1',
      name: 'a',
      region: 'eu-west-1',
      kmsKeyId: 'arn:aws:kms:eu-west-1:1:key/k',
    },
    {
      arn: 'arn:aws:secretsmanager:eu-west-1:1:secret:b-1',
      name: 'b',
      region: 'eu-west-1',
      primaryRegion: 'us-east-1',
    },
  ]);
  expect(s.partRegions).toEqual({ secrets: ['eu-west-1'] });
});

test('secrets: an entry without ARN or Name, or another command, stops the run naming the file', async () => {
  write('secrets-us-east-1.json', { SecretList: [{ Name: 'x' }] });
  expect(await loadError()).toMatch(/^secrets-us-east-1\.json: SecretList\[0\] has no ARN or Name/);
  write('secrets-us-east-1.json', { Secrets: [] });
  expect(await loadError()).toMatch(
    /^secrets-us-east-1\.json: not the output of `aws secretsmanager list-secrets`/,
  );
});

describe('readAuditPartsLive (fake ports: each command answered by its name and input)', () => {
  type Answer = (input: Record<string, unknown>) => unknown;
  /** A port whose send answers `answers[CommandName]` (a rejection when it throws). */
  const port = (answers: Record<string, Answer>) => ({
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const answer = answers[command.constructor.name.replace(/Command$/, '')];
      if (!answer) throw new Error(`unexpected ${command.constructor.name}`);
      return answer(command.input);
    },
  });
  const ports = (lambda: Record<string, Answer>, secrets?: Record<string, Answer>) => ({
    iam: port({}),
    lambda: () => port(lambda),
    ...(secrets ? { secretsManager: () => port(secrets) } : {}),
  });
  const functions = [{ name: 'functions-us-east-1.json', json: fnList('us-east-1', 'api', 'worker') }];
  const fail = (name: string, status?: number) => () => {
    throw Object.assign(new Error(name), {
      name,
      ...(status ? { $metadata: { httpStatusCode: status } } : {}),
    });
  };
  const noUrls = () => ({ FunctionUrlConfigs: [] });

  test('every page; a function without a policy has no key', async () => {
    const counts = {};
    const r = await readAuditPartsLive(
      ports(
        {
          GetPolicy: (i) => {
            if (i.FunctionName === 'worker') fail('ResourceNotFoundException', 404)();
            return { Policy: policy('us-east-1', 'api'), RevisionId: 'r', $metadata: {} };
          },
          ListFunctionUrlConfigs: (i) =>
            i.FunctionName === 'api' && !i.Marker
              ? { FunctionUrlConfigs: [{ FunctionUrl: 'u1' }], NextMarker: 'm' }
              : { FunctionUrlConfigs: i.FunctionName === 'api' ? [{ FunctionUrl: 'u2' }] : [] },
        },
        {
          ListSecrets: (i) =>
            i.NextToken
              ? { SecretList: [{ ARN: 'b1', Name: 'b', KmsKeyId: 'k' }] }
              : { SecretList: [{ ARN: 'a1', Name: 'a' }], NextToken: 't' },
        },
      ) as never,
      ['us-east-1'],
      functions,
      counts,
    );
    expect(r.notes).toEqual([]);
    expect(r.docs.functionPolicies![0].json).toEqual({
      api: { Policy: policy('us-east-1', 'api'), RevisionId: 'r' },
    });
    expect(r.docs.functionUrls![0].json).toEqual({
      api: { FunctionUrlConfigs: [{ FunctionUrl: 'u1' }, { FunctionUrl: 'u2' }] },
      worker: { FunctionUrlConfigs: [] },
    });
    expect(r.docs.secrets![0]).toEqual({
      name: 'secrets-us-east-1.json',
      region: 'us-east-1',
      json: {
        SecretList: [
          { ARN: 'a1', Name: 'a' },
          { ARN: 'b1', Name: 'b', KmsKeyId: 'k' },
        ],
      },
    });
    expect(counts).toEqual({
      'lambda:GetPolicy': 2,
      'lambda:ListFunctionUrlConfigs': 3,
      'secretsmanager:ListSecrets': 2,
    });
  });

  test('a denial leaves its part undefined with a note naming the permission; the others are read', async () => {
    const counts: Record<string, number> = {};
    const r = await readAuditPartsLive(
      ports(
        { GetPolicy: fail('AccessDeniedException', 403), ListFunctionUrlConfigs: noUrls },
        { ListSecrets: fail('AccessDeniedException') },
      ) as never,
      ['us-east-1'],
      functions,
      counts,
    );
    expect(r.docs.functionPolicies).toBeUndefined();
    expect(r.docs.secrets).toBeUndefined();
    expect(r.docs.functionUrls).toHaveLength(1);
    expect(r.notes).toEqual([
      'function resource policies not read: access denied to lambda:GetPolicy (function api in us-east-1); the audit rules that need them are not run',
      'Secrets Manager secrets not read: access denied to secretsmanager:ListSecrets (in us-east-1); the audit rules that need them are not run',
    ]);
    expect(counts['lambda:GetPolicy']).toBe(1);
  });

  test('another failure stops the run with one line', async () => {
    await expect(
      readAuditPartsLive(
        ports({ GetPolicy: fail('ServiceException', 500) }) as never,
        ['us-east-1'],
        functions,
      ),
    ).rejects.toThrow(/reading Lambda in us-east-1 \(GetPolicy api\): ServiceException \(HTTP 500\)/);
  });

  test('without a Secrets Manager client, secrets are not read (a note)', async () => {
    const r = await readAuditPartsLive(
      ports({ GetPolicy: fail('ResourceNotFoundException', 404), ListFunctionUrlConfigs: noUrls }) as never,
      ['us-east-1'],
      functions,
    );
    expect(r.docs.secrets).toBeUndefined();
    expect(r.docs.functionPolicies).toEqual([
      { name: 'function-policies-us-east-1.json', region: 'us-east-1', json: {} },
    ]);
    expect(r.notes).toEqual([expect.stringMatching(/^Secrets Manager secrets not read/)]);
  });
});
