// Flat config. The pure core (analyze, generate, diff, render, usage, attribution, model)
// must not import the AWS SDK or the filesystem: see docs/architecture.md.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const pureCore = [
  'src/iam/**',
  'src/implied/**',
  'src/observability/**',
  'src/analyze/**',
  'src/generate/**',
  'src/diff/**',
  'src/render/**',
  'src/usage/**',
  'src/attribution/**',
  'src/model/**',
  'src/report/**',
  'src/audit/**',
];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'dist-all/**', 'node_modules/**', 'coverage/**', 'samples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        structuredClone: 'readonly',
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: pureCore,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '@aws-sdk/*',
            'fs',
            'fs/*',
            'node:fs',
            'node:fs/*',
            'zlib',
            'node:zlib',
            'child_process',
            'node:child_process',
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process'],
    },
  },
  { rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }] } },
);
