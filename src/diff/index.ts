export * from './types';
export { parsePolicyDocument, parsePolicies, type ParsedStatement, type ParsedPolicy } from './parse-policy';
export { evaluate, type Decision, type EvaluateOptions } from './evaluate';
export {
  accessLevelOf,
  expandActionPatterns,
  expandNotActions,
  loadServicesFor,
  statementMatchesAction,
} from './expand';
export { carryOver, type CarryOver, type CarryOverInput } from './carry-over';
export { diffPolicies, DEFAULT_MIN_WINDOW_DAYS, type DiffInput, type DiffResult } from './diff';
export { textDiff } from './text-diff';
