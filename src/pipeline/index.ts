export * from './process-file';
export * from './collect-usage';
