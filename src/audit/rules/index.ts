/**
 * Every audit rule, one file each, named by its rule id (docs/audit.md has a section per rule;
 * test/unit/audit/catalogue.test.ts holds the two to each other). Sorted by id.
 */
import type { AuditRule } from '../types';
import { rule as PT_AUDIT_ADMIN_GRANT } from './PT-AUDIT-ADMIN-GRANT';
import { rule as PT_AUDIT_CAN_CHANGE_FUNCTION } from './PT-AUDIT-CAN-CHANGE-FUNCTION';
import { rule as PT_AUDIT_ENV_SECRET } from './PT-AUDIT-ENV-SECRET';
import { rule as PT_AUDIT_OVER_PRIVILEGED } from './PT-AUDIT-OVER-PRIVILEGED';
import { rule as PT_AUDIT_PUBLIC_POLICY } from './PT-AUDIT-PUBLIC-POLICY';
import { rule as PT_AUDIT_RUNTIME_EOS } from './PT-AUDIT-RUNTIME-EOS';
import { rule as PT_AUDIT_SECRET_NO_CMK } from './PT-AUDIT-SECRET-NO-CMK';
import { rule as PT_AUDIT_SHARED_ROLE } from './PT-AUDIT-SHARED-ROLE';
import { rule as PT_AUDIT_UNUSED_FUNCTION } from './PT-AUDIT-UNUSED-FUNCTION';
import { rule as PT_AUDIT_UNUSED_ROLE } from './PT-AUDIT-UNUSED-ROLE';
import { rule as PT_AUDIT_URL_CORS } from './PT-AUDIT-URL-CORS';
import { rule as PT_AUDIT_URL_NO_AUTH } from './PT-AUDIT-URL-NO-AUTH';

export const AUDIT_RULES: readonly AuditRule[] = [
  PT_AUDIT_ADMIN_GRANT,
  PT_AUDIT_CAN_CHANGE_FUNCTION,
  PT_AUDIT_ENV_SECRET,
  PT_AUDIT_OVER_PRIVILEGED,
  PT_AUDIT_PUBLIC_POLICY,
  PT_AUDIT_RUNTIME_EOS,
  PT_AUDIT_SECRET_NO_CMK,
  PT_AUDIT_SHARED_ROLE,
  PT_AUDIT_UNUSED_FUNCTION,
  PT_AUDIT_UNUSED_ROLE,
  PT_AUDIT_URL_CORS,
  PT_AUDIT_URL_NO_AUTH,
];
