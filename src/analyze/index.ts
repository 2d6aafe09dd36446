export { createMapper, type Mapper } from './mapper';
export { normaliseEventName, prefixOfEventSource } from './normalise';
export { arnFitsTemplate, compileArnTemplate, fillArnTemplate } from './arn-template';
export { parseQueueUrl, parseLambdaFunction } from './request-params';
export { parseArn, partitionOfRegion, isRegion, isAccount } from './validate';
export { countResolution, totalResolution, type ResolutionCount } from './resolution';
export { mappingFingerprint } from './fingerprint';
