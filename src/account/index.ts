export {
  AUTHORIZATION_DETAILS_FILE,
  decodePolicyDocument,
  loadAccountSnapshot,
  parseAuthorizationDetails,
  parseEventSourceMappings,
  parseFunctionList,
  parseJsonText,
} from './snapshot';
export { findFunction, findRole, functionsUsingRole, type FunctionLookup } from './lookup';
export { currentPoliciesOf, policyDisplayName } from './current-policies';
