export * from './target';
export * from './shared-role';
