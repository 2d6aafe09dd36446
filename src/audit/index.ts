export * from './types';
export { runAuditRules, compareAuditFindings, atLeast } from './run';
export { AUDIT_RULES } from './rules';
