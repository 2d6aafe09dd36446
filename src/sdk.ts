/**
 * The AWS SDK v3 client packages, loaded on first use: a run that makes no AWS call (`--offline`,
 * local files and a snapshot) never loads them, and starts in half the time.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const sdk = {
  s3: (): typeof import('@aws-sdk/client-s3') => require('@aws-sdk/client-s3'),
  iam: (): typeof import('@aws-sdk/client-iam') => require('@aws-sdk/client-iam'),
  lambda: (): typeof import('@aws-sdk/client-lambda') => require('@aws-sdk/client-lambda'),
  cloudtrail: (): typeof import('@aws-sdk/client-cloudtrail') => require('@aws-sdk/client-cloudtrail'),
};
