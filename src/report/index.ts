export * from './types';
export { buildUnusedReport, type UnusedReportInput } from './unused';
