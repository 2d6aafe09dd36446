export {
  AUTHORIZATION_DETAILS_FILE,
  accountStateFrom,
  type SnapshotDocuments,
  decodePolicyDocument,
  loadAccountSnapshot,
  parseAuthorizationDetails,
  parseEventSourceMappings,
  parseFunctionList,
  parseJsonText,
} from './snapshot';
export { findFunction, findRole, functionsUsingRole, type FunctionLookup } from './lookup';
export { currentPoliciesOf, policyDisplayName } from './current-policies';
