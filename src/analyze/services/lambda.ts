/**
 * Lambda: `functionName` (name, partial ARN `<acct>:function:<name>`, ARN, each optionally
 * qualified) combined with a separate `qualifier` (Invoke, GetFunction, …). Invoking a qualified
 * function (alias or version) is authorised on the qualified ARN `function:<name>:<qualifier>`.
 */
import { parseLambdaFunction } from '../request-params';
import { check, text } from './fields';
import { RejectedValue, type ResourceOutcome, type ServiceResourceResolver } from './types';

const FN_CONSTRAINT = 'Lambda function name, partial ARN or ARN ([a-zA-Z0-9_-]{1,64}, optional qualifier)';

export const lambdaResolver: ServiceResourceResolver = {
  prefixes: ['lambda'],
  resolve(req): ResourceOutcome | undefined {
    if (!req.lists('function')) return undefined;
    const qualifier = text(req.params, 'qualifier', 'requestParameters.qualifier');
    if (qualifier === undefined) return undefined;
    check(qualifier, 'requestParameters.qualifier', 'lambda-qualifier');
    const fn = text(req.params, 'functionName', 'requestParameters.functionName');
    if (fn === undefined) return undefined;
    const b = parseLambdaFunction(fn);
    if (!b) throw new RejectedValue('requestParameters.functionName', FN_CONSTRAINT);
    const [name, inline] = b.FunctionName.split(':');
    if (inline !== undefined && inline !== qualifier)
      throw new RejectedValue('requestParameters.qualifier', 'the same qualifier as the function ARN');
    const arn = req.arnOf('function', { ...b, FunctionName: `${name}:${qualifier}` });
    return arn ? { kind: 'resources', arns: [arn] } : undefined;
  },
};
