/**
 * Every audit rule, one file each, named by its rule id (docs/audit.md has a section per rule;
 * test/unit/audit/catalogue.test.ts holds the two to each other).
 */
import type { AuditRule } from '../types';
import { rule as PT_AUDIT_CAN_CHANGE_FUNCTION } from './PT-AUDIT-CAN-CHANGE-FUNCTION';
import { rule as PT_AUDIT_PUBLIC_POLICY } from './PT-AUDIT-PUBLIC-POLICY';
import { rule as PT_AUDIT_URL_CORS } from './PT-AUDIT-URL-CORS';
import { rule as PT_AUDIT_URL_NO_AUTH } from './PT-AUDIT-URL-NO-AUTH';

export const AUDIT_RULES: readonly AuditRule[] = [
  PT_AUDIT_CAN_CHANGE_FUNCTION,
  PT_AUDIT_PUBLIC_POLICY,
  PT_AUDIT_URL_CORS,
  PT_AUDIT_URL_NO_AUTH,
];
