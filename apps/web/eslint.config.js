// The shared monorepo config, plus the rules of hooks for this React app.
import reactHooks from 'eslint-plugin-react-hooks';
import shared from '../../eslint.config.js';

export default [
  ...shared,
  { ignores: ['test-results/**'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
];
