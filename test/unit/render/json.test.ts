import { renderPolicyJson } from '../../../src/render';

describe('renderPolicyJson', () => {
  it('prints IAM keys in canonical order with a trailing newline', () => {
    const doc = {
      Statement: [{ Resource: ['*'], Action: ['s3:ListAllMyBuckets'], Effect: 'Allow' as const, Sid: 'A' }],
      Version: '2012-10-17' as const,
    };
    expect(renderPolicyJson(doc)).toBe(
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "A",\n      "Effect": "Allow",\n' +
        '      "Action": [\n        "s3:ListAllMyBuckets"\n      ],\n      "Resource": [\n        "*"\n      ]\n    }\n  ]\n}\n',
    );
  });
});
