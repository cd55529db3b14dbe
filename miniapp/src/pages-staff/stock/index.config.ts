export default definePageConfig({
  navigationBarTitleText: '沽清管理',
});
