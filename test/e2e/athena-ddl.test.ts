import { athenaDdl } from '../../src/sources/athena-ddl';
import { runCli } from '../helpers/cli';
import { TRAIL_COLUMNS } from '../helpers/duckdb-trail';
import { expectGolden } from '../helpers/golden';

/**
 * `policy-tighten athena ddl` end to end: the golden DDL (test/golden/athena/; `UPDATE_GOLDEN=1`
 * rewrites it, a missing one fails), its columns are the table the query tests run on, and bad
 * values are refused with exit 2.
 */

function golden(name: string, text: string): void {
  expectGolden('athena', name, text);
}

const ARGS = [
  'athena',
  'ddl',
  '--bucket',
  'org-trail-bucket',
  '--prefix',
  'trails/',
  '--organization-id',
  'o-abcdefghij',
];

test('an organization trail of two accounts and regions: the golden DDL, exit 0', () => {
  const r = runCli([
    ...ARGS,
    '--account',
    '222222222222',
    '--account',
    '111111111111',
    '--region',
    'us-east-1',
    '--region',
    'eu-west-1',
    '--database',
    'security',
    '--table',
    'org_trail',
  ]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  golden('org-trail.sql', r.stdout);
  expect(r.stdout).toContain(
    "'storage.location.template'='s3://org-trail-bucket/trails/AWSLogs/o-abcdefghij/${account}/CloudTrail/${region}/${timestamp}'",
  );
});

test('every column of the table the Athena tests run the SQL on is a column of the DDL', () => {
  const ddl = athenaDdl({
    bucket: 'b-1',
    accounts: ['111111111111'],
    regions: ['eu-west-1'],
    start: '2020/01/01',
    database: 'd',
    table: 't',
  });
  const top = [...ddl.matchAll(/^ {4}([a-z`]+) /gm)].map((m) => m[1].replace(/`/g, ''));
  for (const column of Object.keys(TRAIL_COLUMNS)) expect(top).toContain(column);
});

test.each([
  [
    ['--bucket', "b'; DROP", '--account', '111111111111', '--region', 'eu-west-1'],
    /--bucket .*not an S3 bucket name/,
  ],
  [['--bucket', 'bucket-1', '--region', 'eu-west-1'], /needs --account/],
  [['--bucket', 'bucket-1', '--account', '1234', '--region', 'eu-west-1'], /not a 12-digit account id/],
  [['--bucket', 'bucket-1', '--account', '111111111111'], /needs --region/],
  [
    ['--bucket', 'bucket-1', '--account', '111111111111', '--region', 'eu-west-1', '--table', 'x y'],
    /--database and --table/,
  ],
  [
    ['--bucket', 'bucket-1', '--account', '111111111111', '--region', 'eu-west-1', '--start', '2020-01-01'],
    /--start/,
  ],
])('%j is refused with exit 2', (args, message) => {
  const r = runCli(['athena', 'ddl', ...args]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stdout).toBe('');
});
