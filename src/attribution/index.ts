export * from './target';
export * from './shared-role';
export * from './candidates';
export { principalKeyOf, invokedFunctionOf } from './principal';
