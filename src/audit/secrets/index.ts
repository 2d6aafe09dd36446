export type { EnvVariable, SecretDetector, SecretHit, SecretKind } from './types';
export { shannonEntropy } from './entropy';
export { benignReason, isKmsCiphertext, isSecretReference } from './benign';
export { ENTROPY, nameHits, shapeHits } from './patterns';
export { BUILTIN_DETECTOR, CRITICAL_KINDS, combinedDetector, environmentOf, scanWith } from './detector';
export { nameWords, printableName } from './names';
