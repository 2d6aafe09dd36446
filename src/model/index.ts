export * from './trail-event';
export * from './findings';
export * from './mapping';
export * from './usage';
export * from './policy';
export * from './account';
