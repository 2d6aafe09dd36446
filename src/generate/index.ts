export * from './generate-policy';
export * from './verify';
