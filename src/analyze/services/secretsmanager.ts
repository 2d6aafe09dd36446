/**
 * Secrets Manager CreateSecret: authorised on the new secret, whose ARN ends in six random
 * characters that exist only after the call (SM-ARN in data/resource-params.json). The ARN in
 * `responseElements.arn` is used when it is a secret of the event's account and region; else the
 * name with `-??????`, which matches exactly the ARNs Secrets Manager can give that name. Other
 * Secrets Manager calls name the secret (`secretId`) and take the data-driven path.
 */
import { arnText, check, text } from './fields';
import type { ResourceOutcome, ServiceResourceResolver } from './types';

export const secretsmanagerResolver: ServiceResourceResolver = {
  prefixes: ['secretsmanager'],
  resolve(req): ResourceOutcome | undefined {
    if (req.eventName !== 'CreateSecret' || req.action.name !== 'secretsmanager:CreateSecret')
      return undefined;
    const created = arnText(req.response, 'arn', 'responseElements.arn');
    const arn = text(req.response, 'arn', 'responseElements.arn');
    if (
      created &&
      arn !== undefined &&
      req.fits('Secret', arn) &&
      created.region === req.base.Region &&
      (req.base.Account === undefined || created.account === req.base.Account)
    )
      return { kind: 'resources', arns: [arn] };
    const name = text(req.params, 'name', 'requestParameters.name');
    if (name === undefined) return undefined;
    check(name, 'requestParameters.name', 'secret-name');
    const pattern = req.arnOf('Secret', { SecretId: `${name}-??????` });
    return pattern ? { kind: 'resources', arns: [pattern] } : undefined;
  },
};
