export {
  grantedActions,
  observabilityFindings,
  OBSERVABILITY_CATEGORIES,
  trailCannotShow,
  type ObservabilityCategory,
  type ObservabilityInput,
} from './observability';
