/**
 * The AWS SDK v3 client packages, loaded on first use: a run that makes no AWS call (`--offline`,
 * local files and a snapshot) never loads them, and starts in half the time. And the one way the
 * tool describes an SDK error.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const sdk = {
  s3: (): typeof import('@aws-sdk/client-s3') => require('@aws-sdk/client-s3'),
  iam: (): typeof import('@aws-sdk/client-iam') => require('@aws-sdk/client-iam'),
  lambda: (): typeof import('@aws-sdk/client-lambda') => require('@aws-sdk/client-lambda'),
  cloudtrail: (): typeof import('@aws-sdk/client-cloudtrail') => require('@aws-sdk/client-cloudtrail'),
  athena: (): typeof import('@aws-sdk/client-athena') => require('@aws-sdk/client-athena'),
  logs: (): typeof import('@aws-sdk/client-cloudwatch-logs') => require('@aws-sdk/client-cloudwatch-logs'),
  secretsManager: (): typeof import('@aws-sdk/client-secrets-manager') =>
    require('@aws-sdk/client-secrets-manager'),
};

/** An SDK error's name and HTTP status (`NoSuchBucket (HTTP 404)`), never its response body. */
export function awsErrorName(err: unknown): string {
  const e = err as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof e?.name === 'string' ? e.name : 'error';
  const status = e?.$metadata?.httpStatusCode;
  return `${name}${status ? ` (HTTP ${status})` : ''}`;
}

/**
 * One line for an SDK error, the same for every AWS call of the tool: no credentials, an expired
 * session, a denial (naming the `permission` it lacks), throttling past the retries, or the
 * error's name and status.
 */
export function describeAwsError(err: unknown, permission: string): string {
  const e = err as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof e?.name === 'string' ? e.name : 'error';
  const message = String(e?.message ?? '');
  // How the SDK's SSO providers (credential-provider-sso, token-providers) say that the cached
  // session has expired, is invalid, or cannot be refreshed.
  if (
    /SSO session associated with this profile|To refresh this SSO session|in SSO Token|SSO session token/i.test(
      message,
    )
  )
    return 'the AWS SSO session has expired or is invalid (run `aws sso login` with the profile)';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message))
    return 'no AWS credentials found (set AWS_PROFILE or --profile, run `aws sso login`, or pass --account-snapshot DIR --offline)';
  if (/ExpiredToken|TokenRefreshRequired|SSOTokenProviderFailure/.test(name))
    return 'the AWS session has expired (run `aws sso login` or refresh the credentials)';
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || e?.$metadata?.httpStatusCode === 403)
    return `access denied: the credentials need ${permission}`;
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(name))
    return `throttled by AWS even after retries (${name}): try again later`;
  return awsErrorName(err);
}
