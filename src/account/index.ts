export {
  AUDIT_PART_FILES,
  AUTHORIZATION_DETAILS_FILE,
  type AuditPart,
  accountStateFrom,
  type SnapshotDocuments,
  decodePolicyDocument,
  loadAccountSnapshot,
  parseAuthorizationDetails,
  parseEventSourceMappings,
  parseFunctionList,
  parseFunctionPolicies,
  parseFunctionUrlConfigs,
  parseJsonText,
  parseSecretList,
  type RegionDocument,
} from './snapshot';
export { findFunction, findRole, functionsUsingRole, type FunctionLookup } from './lookup';
export { currentPoliciesOf, currentPoliciesOfUser, policyDisplayName } from './current-policies';
