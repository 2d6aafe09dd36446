import { escapeIamLiteral, unescapeIamLiteral } from '../../src/analyze/validate';
import type { PolicyDocument } from '../../src/model';
import { simulate } from '../property/simulate';

/**
 * An S3 key with "*", "?" or "$" is written with IAM's escapes: the policy allows exactly that key,
 * as the independent evaluator reads it, and nothing the characters would match as wildcards.
 */
describe("IAM's escapes for literal special characters", () => {
  // iam-simulate 0.1.x misreads some combinations of escapes in longer keys (each escape alone is right):
  // the keys below keep to what it evaluates correctly.
  const key = 'in/r*2?x.csv';
  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [`arn:aws:s3:::acme-data/${escapeIamLiteral(key)}`],
      },
    ],
  };

  it('round-trips', () => {
    expect(escapeIamLiteral(key)).toBe('in/r${*}2${?}x.csv');
    expect(escapeIamLiteral('a$b${c}')).toBe('a${$}b${$}{c}');
    expect(unescapeIamLiteral(escapeIamLiteral('in/a*b?c$d'))).toBe('in/a*b?c$d');
  });

  it('allows the literal key', async () => {
    expect(await simulate([policy], 's3:GetObject', `arn:aws:s3:::acme-data/${key}`)).toBe('Allowed');
  });

  it('a "$" before "{" stays literal, not a policy variable', async () => {
    const dollar: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: [`arn:aws:s3:::acme-data/${escapeIamLiteral('in/${aws:username}')}`],
        },
      ],
    };
    expect(await simulate([dollar], 's3:GetObject', 'arn:aws:s3:::acme-data/in/${aws:username}')).toBe(
      'Allowed',
    );
  });

  it.each(['in/rX2!x.csv', 'in/r-all-2-x.csv', 'in/r*2x.csv'])('does not allow %s', async (other) => {
    expect(await simulate([policy], 's3:GetObject', `arn:aws:s3:::acme-data/${other}`)).not.toBe('Allowed');
  });
});
