'use strict';
/**
 * serverless-esbuild options for the resolver (serverless.yml `custom.esbuild.config`).
 * CommonJS, because `serverless invoke local` only `require`s the bundle (ESM output
 * breaks it); minified, but keeping class and function names, so that an error thrown
 * by the bundle is still a `ConfigurationError` to Lambda's `errorType` and to the
 * console, not the minifier's `P`; the AWS SDK v3 left out because the Lambda Node.js
 * runtime provides it. Powertools and middy are bundled. bench/bundle.bench.ts builds
 * with the same options.
 */
const resolverBuildOptions = {
  bundle: true,
  minify: true,
  keepNames: true,
  sourcemap: false,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  // serverless-esbuild passes `exclude` to esbuild as `external` and leaves it out of the zip.
  exclude: ['@aws-sdk/*'],
  // Nothing is installed into the package: everything else is bundled.
  external: [],
};

/**
 * Options of serverless-esbuild itself. One plain build per command: an incremental
 * build context keeps esbuild's service process alive until the plugin disposes of it,
 * which it skips when `invoke local` fails (a bad variable would leave it hanging).
 */
const pluginOptions = { skipRebuild: true };

/** serverless-esbuild calls this (custom.esbuild.config) for its build options. */
module.exports = () => ({ ...resolverBuildOptions, ...pluginOptions });
module.exports.resolverBuildOptions = resolverBuildOptions;
