export * from './types';
export { runAuditRules, compareAuditFindings, atLeast, severityRank } from './run';
export { AUDIT_RULES } from './rules';
