// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
module.exports = {
  presets: [
    [
      'taro',
      {
        framework: 'react',
        ts: true,
        compiler: 'webpack5',
        // Fast refresh needs react-refresh, which is not a dependency; `dev:h5` reloads the page instead.
        hot: false,
      },
    ],
  ],
};
