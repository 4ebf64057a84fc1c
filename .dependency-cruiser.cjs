/**
 * Layering rules from ARCHITECTURE.md ("Folders"). `npm run layering` fails CI
 * when a file imports across them, so which process a file runs in is a property
 * a reviewer can see and the build checks.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-isomorphic',
      comment:
        'shared/ runs in Node, Electron main and the renderer: it imports shared/ (not shared/node/) and isomorphic packages (zod, @noble/hashes, @noble/curves, canonicalize) only.',
      severity: 'error',
      from: { path: '^shared/', pathNot: ['\\.test\\.ts$', '^shared/node/'] },
      to: { pathNot: ['^shared/(?!node/)', '(^|/)node_modules/zod/', '(^|/)node_modules/@noble/hashes/', '(^|/)node_modules/@noble/curves/', '(^|/)node_modules/canonicalize/'] },
    },
    {
      name: 'shared-node-is-node-only',
      comment: 'shared/node/ holds what both Node sides (the service, the console core) need from Node built-ins: it imports those and shared/ only.',
      severity: 'error',
      from: { path: '^shared/node/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: '^shared/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'renderer-is-sandboxed',
      comment: 'The renderer is a browser sandbox: no Node built-ins, no shared/node/, no service/, no electron/.',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { path: ['^shared/node/', '^service/', '^electron/', '^bench/', '^e2e/'] },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-never-imports-electron',
      comment: 'electron/core is plain Node so tests drive it without an Electron binary.',
      severity: 'error',
      from: { path: '^electron/(core|web)/' },
      to: { path: ['(^|/)node_modules/electron/'] },
    },
    {
      name: 'core-not-upwards',
      comment: 'electron/core may import shared/ only (never the shell, the renderer or the service); its tests and *.fixture.ts test support may use service/testing.',
      severity: 'error',
      from: { path: '^electron/core/', pathNot: '\\.(test|fixture)\\.ts$' },
      to: { path: ['^electron/(main|preload|web)/', '^renderer/', '^service/', '^bench/', '^e2e/'] },
    },
    {
      name: 'web-not-shell',
      severity: 'error',
      from: { path: '^electron/web/' },
      to: { path: ['^electron/(main|preload)/', '^renderer/src/'] },
    },
    {
      name: 'web-not-service',
      comment: 'Its tests and fixtures may use service/testing (the fuzzers share their JSON-schema arbitraries), never the rest of the service.',
      severity: 'error',
      from: { path: '^electron/web/' },
      to: { path: '^service/', pathNot: '^service/testing/' },
    },
    {
      name: 'web-not-service-testing',
      severity: 'error',
      from: { path: '^electron/web/', pathNot: '\\.(test|fixture)\\.ts$' },
      to: { path: '^service/testing/' },
    },
    {
      name: 'shell-not-renderer-or-service',
      comment: 'electron/main and preload may import electron/core and shared/ only.',
      severity: 'error',
      from: { path: '^electron/(main|preload)/' },
      to: { path: ['^renderer/', '^service/', '^electron/web/'] },
    },
    {
      name: 'service-not-console',
      comment: 'The service is the system of record; it knows shared/ only.',
      severity: 'error',
      from: { path: '^service/' },
      to: { path: ['^electron/', '^renderer/', '^bench/', '^e2e/'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules is not excluded (that would hide imports of packages from the rules), only not followed.
    exclude: { path: ['^\\.tsbuild/', '(^|/)dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json', '.d.ts'],
    },
  },
};
