import type { BuildOptions } from 'esbuild';

/** serverless-esbuild's options: esbuild's, plus `exclude` (external and not packaged). */
export type ServerlessEsbuildOptions = BuildOptions & { readonly exclude: readonly string[] };

/** The options serverless-esbuild builds the resolver with (see esbuild.config.js). */
declare const config: { readonly resolverBuildOptions: ServerlessEsbuildOptions };
export = config;
