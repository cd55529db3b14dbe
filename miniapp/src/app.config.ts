export default defineAppConfig({
  pages: ['pages/index/index', 'pages/menu/index', 'pages/checkout/index', 'pages/order/index', 'pages/orders/index'],
  // Staff pages load only when a clerk opens them, so diners never download them.
  subPackages: [
    {
      root: 'pages-staff',
      pages: ['login/index', 'queue/index', 'stock/index'],
    },
  ],
  // 外送 asks for the delivery address's location on a map.
  requiredPrivateInfos: ['chooseLocation'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '合一小馆',
    navigationBarTextStyle: 'black',
  },
});
