import { usageOf, table, s3obj, ACCOUNT } from '../generate/helpers';
import { testCatalog } from '../generate/helpers';
import { diffCase, doc } from './helpers';

const allow = (Action: unknown, Resource: unknown = '*', extra: object = {}) => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});

async function s3Actions(filter: (name: string) => boolean): Promise<string[]> {
  const c = await testCatalog();
  return c
    .actionsOf('s3')
    .map((a) => a.name)
    .filter(filter);
}

describe('diff: removals through wildcard expansion', () => {
  it('s3:* on * used for one GetObject: narrowed to the object, every other S3 action removed', async () => {
    // Given a role with s3:* on * that only read one object
    const { diff } = await diffCase({
      inline: { s3: doc(allow('s3:*')) },
      usage: usageOf([['s3:GetObject', s3obj('acme', 'in/a.json')]]),
    });
    const all = await s3Actions(() => true);
    // Then every S3 action is granted, GetObject is narrowed, the rest removed
    expect(diff.counts.grantedActions).toBe(all.length);
    expect(diff.narrowed.map((n) => [n.action, n.from, n.to])).toEqual([
      ['s3:GetObject', ['*'], ['arn:aws:s3:::acme/in/a.json']],
    ]);
    expect(diff.removed.map((r) => r.action)).toEqual(all.filter((a) => a !== 's3:GetObject'));
    expect(diff.counts.removedActions).toBe(all.length - 1);
    // Riskiest first is the renderer's job; the levels are there
    const levels = new Set(diff.removed.map((r) => r.accessLevel));
    expect(levels).toEqual(new Set(['Permissions management', 'Write', 'Tagging', 'List', 'Read']));
    expect(diff.removed.find((r) => r.action === 's3:PutBucketPolicy')?.accessLevel).toBe(
      'Permissions management',
    );
    expect(diff.noNewAccess).toEqual({ holds: true, exceptions: [] });
    expect(diff.changed).toBe(true);
  });

  it('s3:Get* removes only the Get actions not used', async () => {
    const { diff } = await diffCase({
      inline: { read: doc(allow('s3:Get*', 'arn:aws:s3:::acme/*')) },
      usage: usageOf([['s3:GetObject', s3obj('acme', 'in/a.json')]]),
    });
    const gets = await s3Actions((a) => a.startsWith('s3:Get'));
    expect(diff.removed.map((r) => r.action)).toEqual(gets.filter((a) => a !== 's3:GetObject'));
    expect(diff.narrowed[0]).toMatchObject({ action: 's3:GetObject', from: ['arn:aws:s3:::acme/*'] });
  });

  it('NotAction iam:* grants everything else; removals never list iam actions', async () => {
    const { diff } = await diffCase({
      inline: { broad: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }) },
      usage: usageOf([['dynamodb:GetItem', table('orders')]]),
    });
    expect(diff.counts.grantedActions).toBeGreaterThan(10000);
    expect(diff.removed.some((r) => r.service === 'iam' || r.service === 'organizations')).toBe(false);
    expect(diff.removed.some((r) => r.action === 's3:DeleteBucket')).toBe(true);
    expect(diff.narrowed.map((n) => n.action)).toEqual(['dynamodb:GetItem']);
    expect(diff.noNewAccess.holds).toBe(true);
  });

  it('an action the catalog does not know is removed with level Unknown, never dropped silently', async () => {
    const { diff } = await diffCase({
      inline: { p: doc(allow(['s3:GetObject', 's3:NoSuchAction'], 'arn:aws:s3:::acme/*')) },
      usage: usageOf([['s3:GetObject', s3obj('acme', 'x')]]),
    });
    expect(diff.removed).toEqual([
      expect.objectContaining({ action: 's3:NoSuchAction', accessLevel: 'Unknown' }),
    ]);
  });

  it('the role used exactly what it has: no change', async () => {
    const { diff } = await diffCase({
      inline: { p: doc(allow('dynamodb:GetItem', table('orders'))) },
      usage: usageOf([['dynamodb:GetItem', table('orders')]]),
    });
    expect(diff.kept.map((k) => [k.action, k.resources])).toEqual([['dynamodb:GetItem', [table('orders')]]]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toBe(false);
  });
});

describe('diff: guardrails and the boundary', () => {
  it('carries an explicit Deny verbatim (same Sid, own statement) and does not count it as granted', async () => {
    const deny = {
      Sid: 'NoTableDeletion',
      Effect: 'Deny',
      Action: 'dynamodb:DeleteTable',
      Resource: '*',
    };
    const conditional = {
      Sid: 'OnlyFromVpc',
      Effect: 'Deny',
      NotAction: 'sts:GetCallerIdentity',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } },
    };
    const { diff, policies, findings } = await diffCase({
      inline: { p: doc(allow('dynamodb:*'), deny), q: doc(conditional) },
      usage: usageOf([['dynamodb:GetItem', table('orders')]]),
    });
    const statements = policies.flatMap((p) => p.Statement);
    expect(statements).toContainEqual(deny);
    expect(statements).toContainEqual(conditional);
    expect(diff.guardrails.map((g) => [g.policy, g.sid])).toEqual([
      ['inline:p', 'NoTableDeletion'],
      ['inline:q', 'OnlyFromVpc'],
    ]);
    expect(diff.removed.some((r) => r.action === 'dynamodb:DeleteTable')).toBe(false);
    expect(diff.removed.some((r) => r.action === 'dynamodb:DeleteItem')).toBe(true);
    expect(findings.map((f) => f.id)).toContain('PT-GUARDRAIL-CARRIED[inline:p:NoTableDeletion]');
  });

  it('renames a carried Sid only when two guardrails collide', async () => {
    const d = { Sid: 'Guard', Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' };
    const { diff } = await diffCase({
      inline: { a: doc(allow('s3:*'), d), b: doc({ ...d, Action: 's3:PutBucketPolicy' }) },
      usage: usageOf([['s3:GetObject', s3obj('b', 'k')]]),
    });
    expect(diff.guardrails.map((g) => g.proposedSid)).toEqual(['Guard', 'Guard2']);
  });

  it('flags what the proposal allows and the permissions boundary blocks', async () => {
    const { diff, findings } = await diffCase({
      inline: { p: doc(allow(['s3:GetObject', 'dynamodb:GetItem'])) },
      boundary: doc(allow('s3:*')),
      usage: usageOf([
        ['s3:GetObject', s3obj('b', 'k')],
        ['dynamodb:GetItem', table('orders')],
      ]),
    });
    expect(diff.boundaryBlocks).toEqual([
      { action: 'dynamodb:GetItem', resources: [table('orders')], why: 'implicit' },
    ]);
    expect(findings.map((f) => f.id)).toContain('PT-BOUNDARY-BLOCKS[dynamodb:GetItem]');
  });
});

describe('diff: additions and the no-new-access proof', () => {
  it('an observed call today’s policies would not allow is added, flagged, and breaks no-new-access', async () => {
    const { diff, findings } = await diffCase({
      inline: { p: doc(allow('s3:GetObject', 'arn:aws:s3:::bucket-a/*')) },
      usage: usageOf([
        ['s3:GetObject', s3obj('bucket-a', 'x')],
        ['s3:GetObject', s3obj('bucket-b', 'y')],
      ]),
    });
    expect(diff.added).toEqual([
      expect.objectContaining({
        action: 's3:GetObject',
        resources: ['arn:aws:s3:::bucket-b/y'],
        reason: 'observed-not-granted',
      }),
    ]);
    expect(diff.narrowed.map((k) => [k.from, k.to])).toEqual([
      [['arn:aws:s3:::bucket-a/*'], ['arn:aws:s3:::bucket-a/x']],
    ]);
    expect(diff.noNewAccess.holds).toBe(false);
    expect(diff.noNewAccess.exceptions).toEqual([
      { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket-b/y', reason: 'observed-not-granted' },
    ]);
    const f = findings.find((x) => x.id === 'PT-NEW-ACCESS[s3:GetObject]');
    expect(f?.severity).toBe('warning');
    expect(f?.message).toMatch(/may be failing now, or the evidence is wrong/);
  });

  it('a grant that is conditional today is not the same access unconditionally', async () => {
    const { diff } = await diffCase({
      inline: {
        p: doc(
          allow('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:q`, {
            Condition: { Bool: { 'aws:SecureTransport': 'true' } },
          }),
        ),
      },
      usage: usageOf([['sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:q`]]),
    });
    expect(diff.added.map((a) => a.reason)).toEqual(['conditional-today']);
  });

  it('a policy variable in today’s Resource makes the grant conditional, never unconditional', async () => {
    const { diff } = await diffCase({
      inline: { p: doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')) },
      usage: usageOf([['s3:GetObject', s3obj('home', 'alice/x')]]),
    });
    expect(diff.added.map((a) => a.reason)).toEqual(['conditional-today']);
  });
});

describe('diff: what the trail cannot show', () => {
  it('keeps granted S3 object access when the trail has no S3 data events, on today’s resources', async () => {
    const { diff, policies } = await diffCase({
      inline: {
        p: doc(
          allow(['s3:GetObject', 's3:PutObject', 'dynamodb:GetItem'], ['arn:aws:s3:::acme/*', table('t')]),
        ),
      },
      usage: usageOf([['dynamodb:GetItem', table('t')]]),
    });
    expect(diff.notObservable.map((e) => [e.action, e.category, e.kept])).toEqual([
      ['s3:GetObject', 's3-object', true],
      ['s3:PutObject', 's3-object', true],
    ]);
    expect(diff.removed).toEqual([]);
    const kept = policies.flatMap((p) => p.Statement).find((s) => s.Sid?.startsWith('KeptNotObservable'));
    expect(kept).toMatchObject({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: ['arn:aws:s3:::acme/*', table('t')],
    });
  });

  it('--drop-unobservable removes them knowingly, with a finding', async () => {
    const { diff, policies, findings } = await diffCase({
      inline: { p: doc(allow(['s3:GetObject', 'dynamodb:GetItem'])) },
      usage: usageOf([['dynamodb:GetItem', table('t')]]),
      dropUnobservable: true,
    });
    expect(diff.notObservable.map((e) => e.kept)).toEqual([false]);
    expect(JSON.stringify(policies)).not.toContain('s3:GetObject');
    expect(diff.counts.removedActions).toBe(1);
    expect(findings.map((f) => f.id)).toContain('PT-UNOBSERVABLE-DROPPED[s3-object]');
  });
});

describe('diff: thin evidence is never presented as safe to remove', () => {
  const usage = () => usageOf([['dynamodb:GetItem', table('t')]]);
  const inline = { p: doc(allow('dynamodb:*')) };

  it('a 7-day window for a role of two years', async () => {
    const { diff, findings } = await diffCase({
      inline,
      usage: usage(),
      window: { since: new Date('2026-11-24T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
    });
    expect(diff.safeToRemove).toBe(false);
    expect(diff.refusals.map((r) => r.code)).toEqual(['short-window']);
    expect(findings.map((f) => f.id)).toContain('PT-THIN-EVIDENCE[short-window]');
  });

  it('a short window that covers the whole life of a young role is enough', async () => {
    const { diff } = await diffCase({
      inline,
      usage: usage(),
      createDate: '2026-11-26T00:00:00Z',
      window: { since: new Date('2026-11-25T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
    });
    expect(diff.refusals).toEqual([]);
    expect(diff.window.requiredDays).toBe(5);
  });

  it('a partial read, no call, or an attached policy of unknown content', async () => {
    const none = usageOf([]);
    none.stats.attributed = 0;
    const { diff } = await diffCase({
      inline,
      managed: { [`arn:aws:iam::${ACCOUNT}:policy/gone`]: undefined },
      usage: none,
      partial: true,
    });
    expect(diff.refusals.map((r) => r.code)).toEqual(['partial-read', 'no-calls', 'current-unknown']);
    expect(diff.current.unknown).toEqual([`arn:aws:iam::${ACCOUNT}:policy/gone`]);
  });

  it('an invalid current policy (a Principal in an identity policy) is a refusal, not a guess', async () => {
    const { diff } = await diffCase({
      inline: { p: doc({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }) },
      usage: usage(),
    });
    expect(diff.refusals.map((r) => r.code)).toEqual(['current-unknown']);
  });
});

describe('diff: text diff', () => {
  it('is a unified diff of the canonical documents', async () => {
    const { diff } = await diffCase({
      inline: { p: doc(allow('dynamodb:*')) },
      usage: usageOf([['dynamodb:GetItem', table('t')]]),
    });
    expect(diff.textDiff).toMatch(/^={0,67}\n?--- current\n\+\+\+ proposed\n/);
    expect(diff.textDiff).toContain('-// inline:p');
    expect(diff.textDiff).toContain('+// fn-least-privilege');
    expect(diff.textDiff).toContain('-      "Action": "dynamodb:*",');
  });
});
