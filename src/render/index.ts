export * from './json';
export * from './provenance';
export * from './iac-input';
export * from './terraform';
export * from './cloudformation';
export * from './markdown';
export * from './findings';
