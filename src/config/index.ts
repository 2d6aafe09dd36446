export * from './suppressions';
export * from './load-config';
