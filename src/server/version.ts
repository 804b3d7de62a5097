// The version string, injected by build.mjs from package.json (esbuild `define`); "dev" when unbundled.

declare const __POSTROOM_VERSION__: string | undefined;

export const VERSION: string = typeof __POSTROOM_VERSION__ === 'string' ? __POSTROOM_VERSION__ : 'dev';
