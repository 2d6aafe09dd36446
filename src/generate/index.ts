export * from './types';
export * from './generate-policies';
export {
  generalizeResources,
  generalizeObjectKeys,
  isGeneratedSegment,
  patternCovers,
  resourceTypeOf,
} from './generalize';
export { mergeStatements, canMerge } from './merge';
export {
  policySize,
  packStatements,
  cutOversized,
  compactionCandidates,
  MIN_COMPACTION_PREFIX,
} from './quotas';
export { statementSid, sortStatements } from './statements';
export { globMatch } from '../iam/glob';
export * from './verify';
