export default definePageConfig({
  navigationBarTitleText: '出餐队列',
});
