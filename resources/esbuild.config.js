'use strict';
/**
 * serverless-esbuild options for the resolver (serverless.yml `custom.esbuild.config`).
 * CommonJS, because `serverless invoke local` only `require`s the bundle (ESM output
 * makes it hang); minified; the AWS SDK v3 left out because the Lambda Node.js runtime
 * provides it. Powertools and middy are bundled.
 * bench/bundle.bench.ts builds with the same options.
 */
const resolverBuildOptions = {
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  // serverless-esbuild passes `exclude` to esbuild as `external` and leaves it out of the zip.
  exclude: ['@aws-sdk/*'],
  // Nothing is installed into the package: everything else is bundled.
  external: [],
};

/** serverless-esbuild calls this (custom.esbuild.config) for its build options. */
module.exports = () => resolverBuildOptions;
module.exports.resolverBuildOptions = resolverBuildOptions;
