import { attribute, lambdaSessionOf, type Target } from '../../../src/attribution';
import { UsageError } from '../../../src/errors';
import { parseRecord } from '../../../src/ingest';
import {
  logsInsightsQuery,
  logsInsightsSource,
  qlRegexText,
  qlString,
} from '../../../src/sources/logs-insights';
import { executeQuery, parseQuery, type LogEvent } from '../../helpers/aws-local/logs';
import { sampleRecords, type SampleRecord } from '../../helpers/cli';

/**
 * The Logs Insights query builder (pure): the principal filter per kind of target, the exact
 * window, values validated and quoted so that no target can change the query's structure, and a
 * filter that keeps at least every event local attribution would (run on the samples by the
 * local endpoint's interpreter).
 */
const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };
const ROLE = 'arn:aws:iam::111122223333:role/reports-role';

const fnTarget = (functionName: string, roleArn?: string): Target => ({
  kind: 'function',
  functionName,
  ...(roleArn ? { roleArn } : {}),
  display: `function ${functionName}`,
});

describe('the principal filter', () => {
  const cases: [string, Target, string[]][] = [
    [
      'a function with its role (snapshot): the issuer ARN, or the role name in the session ARN',
      fnTarget('report-weekly', ROLE),
      [
        `ct.userIdentity.sessionContext.sessionIssuer.arn = "${ROLE}"`,
        'ct.userIdentity.arn like /:assumed-role\\/reports-role\\//',
      ],
    ],
    [
      'a function without a role: every session named after it (the last ARN segment)',
      fnTarget('orders-api'),
      ['ct.userIdentity.arn like /\\/orders-api$/'],
    ],
    [
      'a role by name: an issuer ARN ending in the name, or the name in the session ARN',
      { kind: 'role', roleName: 'reports-role', display: 'role reports-role' },
      [
        'ct.userIdentity.sessionContext.sessionIssuer.arn like /\\/reports-role$/',
        'ct.userIdentity.arn like /:assumed-role\\/reports-role\\//',
      ],
    ],
    [
      'a role ARN with a path: the whole ARN, and the name alone in the session ARN',
      { kind: 'role', roleArn: 'arn:aws:iam::111122223333:role/service-role/etl', display: 'role etl' },
      [
        'sessionIssuer.arn = "arn:aws:iam::111122223333:role/service-role/etl"',
        'ct.userIdentity.arn like /:assumed-role\\/etl\\//',
      ],
    ],
    [
      'a role in another partition',
      { kind: 'role', roleArn: 'arn:aws-cn:iam::111122223333:role/r', display: 'role r' },
      ['sessionIssuer.arn = "arn:aws-cn:iam::111122223333:role/r"'],
    ],
    [
      'an IAM user: its ARN',
      { kind: 'user', userArn: 'arn:aws:iam::111122223333:user/ci/deployer', display: 'user deployer' },
      ['ct.userIdentity.arn = "arn:aws:iam::111122223333:user/ci/deployer"'],
    ],
    [
      'a name with regex metacharacters IAM allows (. +) is escaped',
      fnTarget('my.fn+v2', 'arn:aws:iam::111122223333:role/a.b+c'),
      [
        'ct.userIdentity.arn like /:assumed-role\\/a\\.b\\+c\\//',
        'sessionIssuer.arn = "arn:aws:iam::111122223333:role/a.b+c"',
      ],
    ],
  ];
  test.each(cases)('%s', (_, target, expected) => {
    const q = logsInsightsQuery(target, WINDOW);
    for (const e of expected) expect(q.principal).toContain(e);
    // Lambda's own session starts are their own query, grouped without responseElements.
    expect(q.lambdaSessions).toContain(
      'ct.eventSource = "sts.amazonaws.com" and ct.eventName = "AssumeRole" and ct.userIdentity.invokedBy = "lambda.amazonaws.com"',
    );
    expect(q.lambdaSessions).not.toContain('k_response');
    expect(q.principal).toContain('coalesce(jsonStringify(ct.responseElements), "") as k_response');
    for (const text of Object.values(q)) expect(() => parseQuery(text)).not.toThrow();
  });

  test('the exact window on eventTime: since inclusive, until exclusive, rounded outwards to the second', () => {
    const q = logsInsightsQuery(fnTarget('orders-api'), {
      since: new Date('2026-11-01T10:00:00.900Z'),
      until: new Date('2026-11-02T10:00:00.100Z'),
    });
    for (const text of Object.values(q))
      expect(text).toContain(
        'ct.eventTime >= "2026-11-01T10:00:00Z" and ct.eventTime < "2026-11-02T10:00:01Z"',
      );
    expect(logsInsightsQuery(fnTarget('orders-api'), {}).principal).not.toContain('ct.eventTime >=');
  });

  test('the group key holds every field the mapping reads; the limit is the row limit', () => {
    const q = logsInsightsQuery(fnTarget('orders-api'), WINDOW, { limit: 500 });
    for (const field of [
      'ct.eventSource',
      'ct.eventName',
      'ct.awsRegion',
      'ct.recipientAccountId',
      'ct.errorCode',
      'ct.eventCategory',
      'ct.eventType',
      'ct.readOnly',
      'ct.managementEvent',
      'ct.userIdentity.type',
      'ct.userIdentity.arn',
      'ct.userIdentity.accountId',
      'ct.userIdentity.invokedBy',
      'ct.userIdentity.sessionContext.sessionIssuer.arn',
      'ct.userIdentity.sessionContext.sessionIssuer.type',
      'jsonStringify(ct.requestParameters)',
      'jsonStringify(ct.resources)',
    ])
      expect(q.principal).toContain(field);
    expect(q.principal).toMatch(
      /parse src_ip \/\^\(\?<service_host>\[a-z0-9.-\]\+\\\.amazonaws\\\.com\)\$\//,
    );
    expect(q.principal).toMatch(/\| limit 500$/);
    expect(q.others).toMatch(/by k_source, k_category\n\| limit 500$/);
  });
});

describe('values from the target cannot change the query', () => {
  const hostile = [
    'fn" or ct.eventName = "x',
    "fn' or 1 = 1",
    'fn | stats count(*) by @logStream',
    'fn/ or ct.eventSource like /',
    'fn\\',
    'fn\n| limit 1',
    'fn # comment',
    'fn`x`',
    'f',
    'x'.repeat(65),
    'fünf',
    '',
  ];
  test.each(hostile)('function name %j is refused (UsageError)', (name) => {
    expect(() => logsInsightsQuery(fnTarget(name), WINDOW)).toThrow(UsageError);
    expect(() => logsInsightsQuery(fnTarget(name, ROLE), WINDOW)).toThrow(UsageError);
  });
  test.each([
    'arn:aws:iam::111122223333:role/x" or ct.eventName = "y',
    'arn:aws:iam::111122223333:role/x\\',
    'arn:aws:iam::111122223333:role/',
    'arn:aws:iam::1:role/x',
    'arn:aws:iam::111122223333:user/x',
  ])('role ARN %j is refused', (roleArn) => {
    expect(() => logsInsightsQuery({ kind: 'role', roleArn, display: 'r' }, WINDOW)).toThrow(UsageError);
  });
  test('a user ARN that is not one, a role name with a slash, are refused', () => {
    expect(() =>
      logsInsightsQuery({ kind: 'user', userArn: 'arn:aws:iam::111122223333:role/x', display: 'u' }, WINDOW),
    ).toThrow(UsageError);
    expect(() => logsInsightsQuery({ kind: 'role', roleName: 'a/b', display: 'r' }, WINDOW)).toThrow(
      UsageError,
    );
  });

  test('every valid name gives the same query structure, and its regex matches it literally', () => {
    const shape = (name: string) =>
      parseQuery(logsInsightsQuery(fnTarget(name), WINDOW).principal).commands.map((c) => c.c);
    const base = shape('orders-api');
    for (const name of ['a.b', 'a+b', 'x=y,z@w-v', '__', '..', '++', '-.-', 'A1_b2']) {
      expect(shape(name)).toEqual(base);
      const q = logsInsightsQuery(fnTarget(name), WINDOW).principal;
      const re = new RegExp(/like \/(.*)\/$/m.exec(q.split('\n')[2])?.[1] ?? '');
      expect(re.test(`arn:aws:sts::111122223333:assumed-role/r/${name}`)).toBe(true);
      // A metacharacter is a literal: `..` matches only `..`, `a.b` not `axb`.
      expect(re.test(`arn:aws:sts::111122223333:assumed-role/r/${name.replace(/[.+]/g, 'x')}`)).toBe(
        !/[.+]/.test(name),
      );
    }
  });

  test('qlString and qlRegexText escape, and refuse control characters', () => {
    expect(qlString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(qlRegexText('a/b.c+d')).toBe('a\\/b\\.c\\+d');
    expect(() => qlString('a\nb')).toThrow(UsageError);
    expect(() => qlRegexText('a\u0000')).toThrow(UsageError);
  });

  test('the source refuses a bad log group before any request', () => {
    const send = jest.fn();
    expect(() => logsInsightsSource({ send }, { logGroups: ['ok', 'bad" group'] })).toThrow(UsageError);
    expect(() => logsInsightsSource({ send }, { logGroups: [] })).toThrow(UsageError);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('the filter keeps every event attribution needs (run on the samples)', () => {
  const records = sampleRecords();
  // Adversarial additions: a session named after a function under another role, a session
  // without its issuer, an issuer whose type is not Role.
  const extra: SampleRecord[] = [
    {
      ...records[0],
      eventID: 'x-other-role',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/attacker-role/report-weekly',
        sessionContext: {
          sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/attacker-role' },
        },
      },
    },
    {
      ...records[0],
      eventID: 'x-no-issuer',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/reports-role/report-weekly',
      },
    },
    {
      ...records[0],
      eventID: 'x-odd-issuer',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/reports-role/report-daily',
        sessionContext: { sessionIssuer: { type: 'Other', arn: 'arn:aws:iam::111122223333:user/x' } },
      },
    },
  ];
  const all = [...records, ...extra];
  const events: LogEvent[] = all.map((r) => ({
    logGroup: 'g',
    timestamp: Date.parse(String(r.eventTime)),
    message: JSON.stringify(r),
  }));

  /** The event ids a query's filters keep (its commands up to the group key). */
  function kept(query: string): Set<string> {
    const filters = `${query.split('\n| fields ct.eventTime')[0]}\n| fields ct.eventID as id`;
    const { rows } = executeQuery(parseQuery(filters), events);
    return new Set(rows.map((row) => row.find((f) => f.field === 'id')?.value ?? ''));
  }

  const targets: Target[] = [
    fnTarget('report-weekly', ROLE),
    fnTarget('report-weekly'),
    fnTarget('orders-api', 'arn:aws:iam::111122223333:role/orders-api-role'),
    fnTarget('image-resizer'),
    { kind: 'role', roleName: 'reports-role', display: 'role reports-role' },
    { kind: 'role', roleArn: ROLE, display: 'role reports-role' },
    { kind: 'user', userArn: 'arn:aws:iam::111122223333:user/deployer', display: 'user deployer' },
  ];
  test.each(targets.map((t) => [t.display + (t.roleArn ? ` (${t.roleArn})` : ''), t] as const))(
    '%s',
    (_, target) => {
      const q = logsInsightsQuery(target, WINDOW);
      const principal = kept(q.principal);
      const sessions = kept(q.lambdaSessions);
      let needed = 0;
      for (const r of all) {
        const parsed = parseRecord(r);
        if (!parsed.ok) continue;
        const id = String(r.eventID);
        if (attribute(parsed.event, target) !== 'no') {
          needed++;
          expect(principal.has(id)).toBe(true);
        }
        if (lambdaSessionOf(parsed.event)) expect(sessions.has(id)).toBe(true);
        // Never in both: a call would count twice.
        expect(principal.has(id) && sessions.has(id)).toBe(false);
      }
      if (target.kind !== 'user' || target.userArn?.endsWith('/deployer')) expect(needed).toBeGreaterThan(0);
    },
  );

  test('the coverage query counts every event of the window once', () => {
    const q = logsInsightsQuery(fnTarget('orders-api'), WINDOW);
    const { rows } = executeQuery(parseQuery(q.others), events);
    const total = rows.reduce((n, row) => n + Number(row.find((f) => f.field === 'calls')?.value), 0);
    expect(total).toBe(all.length);
  });
});
