// Lint = typescript-eslint's recommended rules + the layering of ../shared/design.md, enforced as
// import bans per folder (a wrong-way import is a lint error, not a review comment).
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'child_process', 'os', 'crypto', 'net', 'http', 'https'];

/** One layer: which files, and which import specifiers they must not use. */
function layer(files, { paths = [], patterns = [], typeOnly = [], ignores = [] }) {
  return {
    files,
    ignores,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: paths.map((name) => ({ name, message: `Layering (design.md): ${files[0]} must not import ${name}.` })),
          patterns: [
            ...patterns.map((group) => ({ group: [group], message: `Layering (design.md): ${files[0]} must not import ${group}.` })),
            ...typeOnly.map((group) => ({
              group: [group],
              allowTypeImports: true,
              message: `Layering (design.md): ${files[0]} may import only types from ${group}.`,
            })),
          ],
        },
      ],
    },
  };
}

const UPPER_LAYERS = ['**/electron/*', '**/electron/**', '**/renderer/**'];

export default tseslint.config(
  { ignores: ['.tmp/**', 'dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test/e2e/screenshots/**', '**/*.d.ts', 'native/process-hardening/build/**'] },
  ...tseslint.configs.recommended,
  // The hardening addon's loader is plain CommonJS: node-gyp's output is loaded with require().
  { files: ['native/process-hardening/**/*.js'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  // native/host is the only importer of pkcs11js; native/ never looks up.
  layer(['native/host/**'], { paths: ['electron', 'react'], patterns: UPPER_LAYERS }),
  layer(['native/**'], { ignores: ['native/host/**'], paths: ['electron', 'react', 'pkcs11js'], patterns: UPPER_LAYERS }),
  // core: plain Node services; never Electron, never the card directly.
  layer(['electron/core/**'], {
    paths: ['electron', 'react', 'pkcs11js'],
    patterns: ['**/electron/app/**', '**/electron/cli/**', '**/electron/web-api/**', '**/renderer/**', '**/native/host/**', '**/app/**', '**/cli/**', '**/web-api/**'],
  }),
  layer(['electron/cli/**'], {
    paths: ['electron', 'react', 'pkcs11js'],
    patterns: ['**/electron/app/**', '**/electron/web-api/**', '**/renderer/**', '**/native/host/**', '**/app/**', '**/web-api/**'],
  }),
  layer(['electron/web-api/**'], {
    paths: ['electron', 'react', 'pkcs11js'],
    patterns: ['**/electron/app/**', '**/electron/cli/**', '**/renderer/**', '**/native/host/**', '**/app/**', '**/cli/**'],
  }),
  layer(['electron/app/**'], {
    paths: ['pkcs11js', 'react'],
    patterns: ['**/electron/cli/**', '**/renderer/**', '**/native/host/**', '**/cli/**'],
  }),
  layer(['electron/api.ts'], {
    paths: ['electron', 'react', 'pkcs11js'],
    patterns: ['**/app/**', '**/cli/**', '**/renderer/**', '**/native/host/**'],
  }),
  // The renderer knows the app only through the preload API's types.
  layer(['renderer/**'], {
    paths: ['electron', 'pkcs11js'],
    patterns: [...NODE_BUILTINS, '**/native/**', '**/electron/core/**', '**/electron/app/**', '**/electron/cli/**', '**/electron/web-api/**'],
    typeOnly: ['**/electron/api', '**/electron/api.ts'],
  }),
  // The browser SDK has no dependencies; it shares only the web API's wire types.
  layer(['sdk/**'], {
    paths: ['electron', 'pkcs11js', 'react'],
    patterns: [...NODE_BUILTINS, '**/native/**', '**/electron/core/**', '**/electron/app/**', '**/renderer/**'],
    typeOnly: ['**/electron/web-api/*'],
  }),
);
