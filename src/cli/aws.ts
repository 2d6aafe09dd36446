/**
 * The AWS SDK v3 clients of the CLI, made once per run from `--profile` and the standard
 * credential chain (environment, shared config and credentials files, SSO, container and
 * instance roles). `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>` are honoured by the SDK
 * itself. Only the CLI makes clients; the pipeline receives them as narrow ports.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { SourceDeps } from '../sources';

export interface AwsOptions {
  profile?: string;
  offline?: boolean;
}

/** The region the SDK would use without a profile, or undefined. */
function envRegion(): string | undefined {
  return process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined;
}

/**
 * The remote trail sources the inputs need: an S3 client for `s3://` trails (none offline, where
 * such a trail is a usage error). The bucket's region is followed (redirects), so any region works.
 */
export function sourcesFor(trails: readonly string[], options: AwsOptions): SourceDeps {
  if (options.offline || !trails.some((t) => t.startsWith('s3://'))) return {};
  const region = envRegion() ?? (options.profile ? undefined : 'us-east-1');
  return {
    s3: new S3Client({
      ...(options.profile ? { profile: options.profile } : {}),
      ...(region ? { region } : {}),
      followRegionRedirects: true,
      maxAttempts: 5,
    }),
  };
}
