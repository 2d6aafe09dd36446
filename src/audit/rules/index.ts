/**
 * Every audit rule, one file each, named by its rule id (docs/audit.md has a section per rule;
 * test/unit/audit/catalogue.test.ts holds the two to each other).
 */
import type { AuditRule } from '../types';
import { rule as adminGrant } from './PT-AUDIT-ADMIN-GRANT';
import { rule as overPrivileged } from './PT-AUDIT-OVER-PRIVILEGED';
import { rule as runtimeEos } from './PT-AUDIT-RUNTIME-EOS';
import { rule as sharedRole } from './PT-AUDIT-SHARED-ROLE';
import { rule as unusedFunction } from './PT-AUDIT-UNUSED-FUNCTION';
import { rule as unusedRole } from './PT-AUDIT-UNUSED-ROLE';

export const AUDIT_RULES: readonly AuditRule[] = [
  adminGrant,
  overPrivileged,
  runtimeEos,
  sharedRole,
  unusedFunction,
  unusedRole,
];
