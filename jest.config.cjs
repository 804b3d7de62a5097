// Jest: TypeScript through @swc/jest (type checking is `npm run typecheck`). One project per test kind.
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] };
const project = (name, extra = {}) => ({
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  transform,
  testEnvironment: 'node',
  ...extra,
});

module.exports = {
  projects: [project('unit'), project('build'), project('emulator'), project('e2e'), project('browser')],
};
