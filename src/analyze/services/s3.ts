/**
 * S3 irregulars. DeleteObjects: CloudTrail does not log the deleted keys, so s3:DeleteObject is
 * allowed on `bucket/*` and a finding says so. Access points: a request made through an access
 * point names it by ARN (`bucketName`, or an `AWS::S3::AccessPoint` entry of `resources[]`); the
 * identity policy must then allow the access point's resources (`accesspoint/<n>` for bucket-level,
 * `accesspoint/<n>/object/<key>` for object-level actions; S3 user guide, "Configuring IAM policies
 * for using access points").
 */
import type { Finding } from '../../model/findings';
import { escapeIamLiteral, isAccount, isRegion } from '../validate';
import { check, text } from './fields';
import { RejectedValue, type ResourceOutcome, type ServiceResourceResolver } from './types';

const AP_ARN_RE = /^arn:(aws(?:-[a-z]+)*):s3:([a-z0-9-]+):(\d{12}):accesspoint\/([a-z0-9-]{3,50})$/;
const AP_CONSTRAINT =
  'S3 bucket name or access point ARN arn:<partition>:s3:<region>:<account>:accesspoint/<name>';

function accessPoint(value: string, path: string): Record<string, string> {
  const m = AP_ARN_RE.exec(value);
  if (!m || !isRegion(m[2]) || !isAccount(m[3])) throw new RejectedValue(path, AP_CONSTRAINT);
  return { Partition: m[1], Region: m[2], Account: m[3], AccessPointName: m[4] };
}

export const s3Resolver: ServiceResourceResolver = {
  prefixes: ['s3'],
  resolve(req): ResourceOutcome | undefined {
    const bucketName = text(req.params, 'bucketName', 'requestParameters.bucketName');
    let ap: Record<string, string> | undefined;
    if (bucketName?.startsWith('arn:')) ap = accessPoint(bucketName, 'requestParameters.bucketName');
    else {
      const fromEvent = req.eventArns.find((a) => AP_ARN_RE.test(a));
      if (fromEvent) ap = accessPoint(fromEvent, 'resources[].arn');
    }
    if (ap) {
      const key = text(req.params, 'key', 'requestParameters.key', 's3-key');
      const objectName = req.bind?.ObjectName ?? (key !== undefined ? escapeIamLiteral(key) : undefined);
      if (req.lists('accesspointobject') && objectName !== undefined) {
        const arn = req.arnOf('accesspointobject', { ...ap, ObjectName: objectName });
        if (arn) return { kind: 'resources', arns: [arn] };
      }
      if (req.lists('accesspoint')) {
        const arn = req.arnOf('accesspoint', ap);
        if (arn) return { kind: 'resources', arns: [arn] };
      }
      return { kind: 'unresolved', reason: 'the access point request names no resource of this action' };
    }
    if (req.eventName === 'DeleteObjects' && req.bind?.ObjectName === '*' && bucketName !== undefined) {
      check(bucketName, 'requestParameters.bucketName', 's3-bucket');
      const arn = req.arnOf('object', { BucketName: bucketName, ObjectName: '*' });
      if (!arn) return undefined;
      const finding: Finding = {
        id: `PT-WILDCARD-RESOURCE[${req.action.name}:DeleteObjects]`,
        code: 'PT-WILDCARD-RESOURCE',
        severity: 'info',
        message: `${req.action.name} (from ${req.detail}) is allowed on every object of its bucket: CloudTrail does not log the keys a DeleteObjects call deletes`,
        count: 1,
        sampleEventIds: [req.event.eventId],
      };
      return { kind: 'resources', arns: [arn], findings: [finding] };
    }
    return undefined;
  },
};
