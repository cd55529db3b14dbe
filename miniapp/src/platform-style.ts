// Styles only one platform needs go in platform-style.<platform>.ts; the weapp needs none.
export {};
