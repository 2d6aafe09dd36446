import { describeAwsError } from '../../../src/sdk';

/** One line per kind of SDK failure (docs/cli.md, issue 10 item 8): a case table. */
const err = (name: string, message = '', status?: number) =>
  Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

test.each([
  [
    err('CredentialsProviderError', 'Could not load credentials from any providers'),
    /^no AWS credentials found/,
  ],
  [
    err(
      'CredentialsProviderError',
      "Value not present for 'clientId' in SSO Token. Cannot refresh. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
    ),
    /^the AWS SSO session has expired or is invalid/,
  ],
  [
    err(
      'CredentialsProviderError',
      'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
    ),
    /^the AWS SSO session has expired or is invalid/,
  ],
  [
    err(
      'TokenProviderError',
      "Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
    ),
    /^the AWS SSO session has expired/,
  ],
  [
    err('ExpiredTokenException', 'The security token included in the request is expired', 400),
    /^the AWS session has expired/,
  ],
  [
    err('AccessDenied', 'User: x is not authorized', 403),
    /^access denied: the credentials need athena:StartQueryExecution$/,
  ],
  [err('AccessDeniedException', '', 400), /^access denied: the credentials need athena:StartQueryExecution$/],
  [
    err('ThrottlingException', 'Rate exceeded', 400),
    /^throttled by AWS even after retries \(ThrottlingException\)/,
  ],
  [err('TooManyRequestsException', '', 400), /^throttled by AWS even after retries/],
  [err('NoSuchBucket', 'The specified bucket does not exist', 404), /^NoSuchBucket \(HTTP 404\)$/],
])('%s → one line', (e, expected) => {
  const line = describeAwsError(e, 'athena:StartQueryExecution');
  expect(line).toMatch(expected);
  expect(line).not.toContain('\n');
});
