export default definePageConfig({
  navigationBarTitleText: '门店员工登录',
});
