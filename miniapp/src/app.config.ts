export default defineAppConfig({
  pages: ['pages/index/index', 'pages/menu/index', 'pages/checkout/index', 'pages/order/index', 'pages/orders/index'],
  // Staff pages load only when a clerk opens them, so diners never download them.
  subPackages: [
    {
      root: 'pages-staff',
      pages: ['login/index', 'queue/index', 'stock/index'],
    },
  ],
  // 外送 asks for the delivery address's location on a map; the store list, the diner's position.
  requiredPrivateInfos: ['chooseLocation', 'getLocation'],
  permission: { 'scope.userLocation': { desc: '用于显示离您最近的门店和距离' } },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '合一小馆',
    navigationBarTextStyle: 'black',
    // 'default' is the weapp's own bar; on H5 it makes Taro draw the same bar (title, back, home).
    navigationStyle: 'default',
  },
});
