/**
 * Every audit rule, one file each, named by its rule id (docs/audit.md has a section per rule;
 * test/unit/audit/catalogue.test.ts holds the two to each other).
 */
import type { AuditRule } from '../types';
import { rule as PT_AUDIT_ENV_SECRET } from './PT-AUDIT-ENV-SECRET';
import { rule as PT_AUDIT_SECRET_NO_CMK } from './PT-AUDIT-SECRET-NO-CMK';

export const AUDIT_RULES: readonly AuditRule[] = [PT_AUDIT_ENV_SECRET, PT_AUDIT_SECRET_NO_CMK];
