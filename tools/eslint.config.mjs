// ESLint for every JavaScript file of the project (the apps' adapters, the
// build tools, the server's setup and rules, the tests), run by tools/test.sh:
// `tools/node_modules/.bin/eslint --config tools/eslint.config.mjs`.
import js from '@eslint/js';
import globals from 'globals';

export default [
  // validate.js is CouchDB's validate_doc_update, a bare function expression
  // the server evaluates (tests/server run it, as a function and over HTTP).
  { ignores: ['**/node_modules/**', 'dist/**', 'target/**', 'server/couchdb/validate.js'] },
  js.configs.recommended,
  {
    // The apps' JS: ES modules in the browser (wasm-bindgen snippets and loaders).
    files: ['src/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    // tools/release/assemble.mjs fills in the placeholders.
    files: ['tools/release/sw-template.js'],
    languageOptions: { globals: { ...globals.serviceworker, __FILES__: 'readonly', __WHEN_USED__: 'readonly' } },
  },
  {
    // Node scripts; the tests' page functions run in the browser.
    files: ['**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      // An empty catch says "this may fail and nothing follows", as the code's comments say.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // A field left out of a copy by destructuring (`const { seq, ...rest } = row`).
      'no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
];
