import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** A lint config that fails when files matching `files` import (statically or with import()) any of the `above` folders of src/. */
function layering(files, above, message) {
  // '/' written as \x2F: esquery's regex literals end at the first '/'.
  const regex = `^(\\.\\.\\x2F)+(${above.join('|')})(\\x2F|$)`;
  return {
    files: [files],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex, message }] }],
      'no-restricted-syntax': ['error', { selector: `ImportExpression[source.value=/${regex}/]`, message }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', 'test-results-*/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // Layering (ARCHITECTURE.md "Folders"): memory, volume and gpu (capacity planning) → io → state →
  // render, ui → api. Each rule names the folders a layer must not import, as the relative specifier
  // reaches them ('../render/…' from src/state, '../../io/…' from a subfolder); dynamic import() too.
  layering('src/state/**', ['render', 'ui', 'api'], 'state/ is below render/, ui/ and api/: GPU capacity planning is in src/gpu, and render/ hears of state changes by subscribing'),
  layering('src/{memory,volume}/**', ['io', 'state', 'render', 'ui', 'api', 'gpu', 'segmentation'], 'memory/ and volume/ are the bottom layer: they import nothing above them (give the caller a typed result or a callback instead)'),
  layering('src/gpu/**', ['io', 'state', 'render', 'ui', 'api', 'segmentation'], 'gpu/ (capacity planning) sits with memory/ and volume/, below the loaders (state/) and the renderer (render/) that both use it'),
  {
    // three.js objects (materials, uniforms) are mutated in useFrame by design: that is r3f's way
    // of changing per-frame values without re-rendering React. The compiler rule cannot know it.
    files: ['src/render/**/*.tsx'],
    rules: { 'react-hooks/immutability': 'off' },
  },
);
