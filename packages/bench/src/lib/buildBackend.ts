import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { build, Plugin } from 'esbuild';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/**
 * Third-party packages stay out of the bundle, required from where node would find them for the
 * importing file (they are already built JavaScript, as in a production image's node_modules);
 * the workspace's own packages, whose entry points are TypeScript sources, go in.
 */
const externalDependencies: Plugin = {
  name: 'external-dependencies',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, args => {
      if (
        args.kind === 'entry-point' ||
        args.path.startsWith('@ingestion-keys/')
      ) {
        return undefined;
      }
      if (isBuiltin(args.path)) {
        return { path: args.path, external: true };
      }
      return {
        path: require.resolve(args.path, { paths: [args.resolveDir] }),
        external: true,
      };
    });
  },
};

/**
 * Builds the bench backend (`backendProcess.ts` with the ingestion-keys plugin, its groundcover
 * module and their workspace libraries) into one CommonJS file in `outDir`, so that the backend
 * under test runs as plain JavaScript with `node`, without the TypeScript transform: the memory
 * and CPU an operator's built backend shows. Returns the file's path.
 */
export async function buildBackend(outDir: string): Promise<string> {
  const outfile = join(outDir, 'backend.cjs');
  await build({
    entryPoints: [resolvePackagePath('bench', 'src/backendProcess.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: true,
    logLevel: 'error',
    plugins: [externalDependencies],
  });
  return outfile;
}
