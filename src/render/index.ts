export * from './json';
export * from './provenance';
