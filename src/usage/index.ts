export * from './aggregate';
export * from './account';
