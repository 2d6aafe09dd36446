/**
 * SSM SendCommand: authorised on the document and on every instance the command targets (Systems
 * Manager user guide, "Restricting Run Command access based on tags"; the SAR lists the instance
 * types as optional because they depend on the request). Named instances (`instanceIds`: `i-…`
 * EC2 instances, `mi-…` managed instances) give their ARNs; `targets` (tags, resource groups)
 * name none, so every instance and managed instance of the account and region is needed, and a
 * finding says so. Only SendCommand is irregular here; other SSM calls take the data-driven path.
 */
import type { Finding } from '../../model/findings';
import { check, list, text } from './fields';
import { RejectedValue, type ResourceOutcome, type ServiceResourceResolver } from './types';

const INSTANCE_RE = /^(i|mi)-[0-9a-f]{8,17}$/;

export const ssmResolver: ServiceResourceResolver = {
  prefixes: ['ssm'],
  resolve(req): ResourceOutcome | undefined {
    if (req.eventName !== 'SendCommand' || req.action.name !== 'ssm:SendCommand') return undefined;
    const document = text(req.params, 'documentName', 'requestParameters.documentName');
    if (document === undefined) return undefined;
    const arns: string[] = [];
    const findings: Finding[] = [];
    if (document.startsWith('arn:')) {
      if (!req.fits('document', document))
        throw new RejectedValue('requestParameters.documentName', 'SSM document name or ARN');
      arns.push(document);
    } else {
      check(document, 'requestParameters.documentName', 'ssm-name');
      const arn = req.arnOf('document', { DocumentName: document });
      if (arn) arns.push(arn);
    }
    const ids = list(req.params, 'instanceIds', 'requestParameters.instanceIds') ?? [];
    for (const id of ids) {
      if (typeof id !== 'string' || !INSTANCE_RE.test(id))
        throw new RejectedValue(
          'requestParameters.instanceIds[]',
          'EC2 instance id i-… or managed instance id mi-…',
        );
      const arn = req.arnOf(id.startsWith('mi-') ? 'managed-instance' : 'instance', { InstanceId: id });
      if (arn) arns.push(arn);
    }
    if (arns.length === 0) return undefined; // no account to build ARNs in: the caller reports `*`
    if (ids.length === 0) {
      // Targets by tag or resource group: the instances are chosen by SSM, not named.
      for (const type of ['instance', 'managed-instance']) {
        const arn = req.arnOf(type, { InstanceId: '*' });
        if (arn) arns.push(arn);
      }
      findings.push({
        id: 'PT-WILDCARD-RESOURCE[ssm:SendCommand:targets]',
        code: 'PT-WILDCARD-RESOURCE',
        severity: 'warning',
        message: `ssm:SendCommand (from ${req.detail}) is allowed on every instance of its account and region: the command names its targets by tag or resource group, not by id`,
        count: 1,
        sampleEventIds: [req.event.eventId],
      });
    }
    return { kind: 'resources', arns: [...new Set(arns)].sort(), findings };
  },
};
