import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

// shared-types ships TypeScript source with no build step, so it must go through Taro's babel
// rule; without this the webpack5 runner fails with "Module parse failed: Unexpected token".
const workspaceSrc = [path.resolve(__dirname, '../../shared-types/src')];
// shared-types' package `exports` send plain resolvers to its compiled dist/ (for node); the
// mini-program is built from the sources, like tsx and Vitest (the `heyi-source` condition) do.
const workspaceAlias = {
  'shared-types$': path.join(workspaceSrc[0] as string, 'index.ts'),
  'shared-types/money$': path.join(workspaceSrc[0] as string, 'money.ts'),
};

// TARO_ENV is already set when this file is evaluated, so weapp and h5 builds can sit side by side.
const isH5 = process.env.TARO_ENV === 'h5';

// The H5 build is served behind a proxy on the BFF's origin (see e2e/serve-h5.mjs), so '' means
// "same origin". A mini-program has no origin and must call an absolute URL.
const apiBase = process.env.HEYI_API_BASE ?? (isH5 ? '' : 'http://127.0.0.1:3000');

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'heyi',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: process.env.TARO_OUTPUT_ROOT || (isH5 ? 'dist-h5' : 'dist'),
    plugins: [],
    defineConstants: { API_BASE: JSON.stringify(apiBase) },
    alias: workspaceAlias,
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: workspaceSrc },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
    h5: {
      compile: { include: workspaceSrc },
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      // `dev:h5` only: full reloads instead of fast refresh (see babel.config.js), and no listening
      // on every interface.
      devServer: { hot: false, host: '127.0.0.1' },
      output: { filename: 'js/[name].[hash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
  };
  return merge({}, baseConfig);
});
