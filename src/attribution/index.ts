export * from './target';
export * from './shared-role';
export * from './candidates';
