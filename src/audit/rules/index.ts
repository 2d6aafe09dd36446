/**
 * Every audit rule, one file each, named by its rule id (docs/audit.md has a section per rule;
 * test/unit/audit/catalogue.test.ts holds the two to each other).
 */
import type { AuditRule } from '../types';

export const AUDIT_RULES: readonly AuditRule[] = [];
