export {
  impliedPermissions,
  loadImpliedServices,
  IMPLIED_SERVICE_PREFIXES,
  NO_RESOURCE_TYPE,
  type ImpliedInput,
  type ImpliedResult,
} from './implied';
export { checkResourceFit, type ResourceFit } from './fit';
