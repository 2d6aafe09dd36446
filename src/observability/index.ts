export {
  grantedActions,
  observabilityFindings,
  OBSERVABILITY_CATEGORIES,
  type ObservabilityCategory,
  type ObservabilityInput,
} from './observability';
