/**
 * The demo brand's master menu: a Chinese fast-casual noodle-and-rice brand, about 60 dishes.
 * Prices are fen. Codes are the brand's 商品编码: product `N001`, SKU `N001-L`.
 */

export interface SeedSpecGroup {
  name: string;
  options: { name: string; suffix: string; priceDelta: number }[];
}

export interface SeedProduct {
  code: string;
  name: string;
  price: number;
  cost: number;
  description?: string;
  tags?: string[];
  specs?: SeedSpecGroup[];
  addons?: string[];
  packagingFee?: number;
  boxCount?: number;
  unit?: string;
}

export interface SeedCategory {
  code: string;
  name: string;
  adjust: { kind: 'percent' | 'amount'; min: number; max: number } | null;
  /** Local time windows the category's dishes sell in, or null for all business hours. */
  availability?: { days: number[]; start: string; end: string }[];
  packagingFee: number;
  boxCount: number;
  products: SeedProduct[];
}

const bowl: SeedSpecGroup = {
  name: '份量',
  options: [
    { name: '大碗', suffix: 'L', priceDelta: 0 },
    { name: '小碗', suffix: 'S', priceDelta: -400 },
  ],
};
const rice: SeedSpecGroup = {
  name: '份量',
  options: [
    { name: '标准', suffix: 'R', priceDelta: 0 },
    { name: '加大', suffix: 'X', priceDelta: 500 },
  ],
};
const temperature: SeedSpecGroup = {
  name: '温度',
  options: [
    { name: '冰', suffix: 'I', priceDelta: 0 },
    { name: '热', suffix: 'H', priceDelta: 0 },
  ],
};
const cup: SeedSpecGroup = {
  name: '杯型',
  options: [
    { name: '中杯', suffix: 'M', priceDelta: 0 },
    { name: '大杯', suffix: 'G', priceDelta: 300 },
  ],
};

export const demoAddonGroups = [
  {
    code: 'SPICY',
    name: '辣度',
    min: 1,
    max: 1,
    options: [
      { code: 'SPICY-0', name: '不辣', price: 0 },
      { code: 'SPICY-1', name: '微辣', price: 0 },
      { code: 'SPICY-2', name: '中辣', price: 0 },
      { code: 'SPICY-3', name: '特辣', price: 0 },
    ],
  },
  {
    code: 'NOODLE-EXTRA',
    name: '加料',
    min: 0,
    max: 3,
    options: [
      { code: 'ADD-BEEF', name: '加牛肉', price: 800 },
      { code: 'ADD-EGG', name: '加卤蛋', price: 200 },
      { code: 'ADD-NOODLE', name: '加面', price: 300 },
      { code: 'ADD-GREENS', name: '加青菜', price: 200 },
    ],
  },
  {
    code: 'RICE-EXTRA',
    name: '加料',
    min: 0,
    max: 2,
    options: [
      { code: 'ADD-RICE', name: '加饭', price: 200 },
      { code: 'ADD-FRIED-EGG', name: '加煎蛋', price: 300 },
    ],
  },
  {
    code: 'SWEET',
    name: '甜度',
    min: 1,
    max: 1,
    options: [
      { code: 'SWEET-FULL', name: '正常糖', price: 0 },
      { code: 'SWEET-HALF', name: '半糖', price: 0 },
      { code: 'SWEET-NONE', name: '无糖', price: 0 },
    ],
  },
] as const;

const noodleAddons = ['SPICY', 'NOODLE-EXTRA'];
const riceAddons = ['SPICY', 'RICE-EXTRA'];

export const demoMenu: SeedCategory[] = [
  {
    code: 'NOODLES',
    name: '招牌面',
    adjust: { kind: 'percent', min: -500, max: 800 },
    packagingFee: 100,
    boxCount: 1,
    products: [
      {
        code: 'N001',
        name: '红烧牛肉面',
        price: 3200,
        cost: 1150,
        tags: ['招牌'],
        specs: [bowl],
        addons: noodleAddons,
        description: '慢炖四小时的牛腱，红油汤底',
      },
      {
        code: 'N002',
        name: '番茄牛腩面',
        price: 3400,
        cost: 1250,
        tags: ['招牌'],
        specs: [bowl],
        addons: noodleAddons,
        description: '新鲜番茄熬汤，牛腩软烂',
      },
      { code: 'N003', name: '酸菜鱼面', price: 3600, cost: 1400, tags: ['辣'], specs: [bowl], addons: noodleAddons },
      { code: 'N004', name: '重庆小面', price: 1800, cost: 500, tags: ['辣'], specs: [bowl], addons: noodleAddons },
      { code: 'N005', name: '担担面', price: 2200, cost: 700, tags: ['辣'], specs: [bowl], addons: noodleAddons },
      { code: 'N006', name: '老北京炸酱面', price: 2400, cost: 750, specs: [bowl], addons: noodleAddons },
      { code: 'N007', name: '葱油拌面', price: 1600, cost: 400, specs: [bowl], addons: ['NOODLE-EXTRA'] },
      { code: 'N008', name: '酸辣粉', price: 1900, cost: 500, tags: ['辣'], addons: ['SPICY'] },
      { code: 'N009', name: '牛肉米线', price: 3000, cost: 1050, specs: [bowl], addons: noodleAddons },
      { code: 'N010', name: '鸡汤馄饨面', price: 2600, cost: 850, specs: [bowl], addons: ['NOODLE-EXTRA'] },
      { code: 'N011', name: '雪菜肉丝面', price: 2300, cost: 700, specs: [bowl], addons: ['NOODLE-EXTRA'] },
      { code: 'N012', name: '大排面', price: 2800, cost: 950, tags: ['新品'], specs: [bowl], addons: ['NOODLE-EXTRA'] },
    ],
  },
  {
    code: 'RICE',
    name: '下饭盖饭',
    adjust: { kind: 'amount', min: -200, max: 300 },
    packagingFee: 100,
    boxCount: 1,
    products: [
      {
        code: 'R001',
        name: '宫保鸡丁饭',
        price: 2800,
        cost: 900,
        tags: ['招牌', '辣'],
        specs: [rice],
        addons: riceAddons,
      },
      { code: 'R002', name: '鱼香肉丝饭', price: 2600, cost: 850, specs: [rice], addons: riceAddons },
      { code: 'R003', name: '麻婆豆腐饭', price: 2200, cost: 600, tags: ['辣'], specs: [rice], addons: riceAddons },
      { code: 'R004', name: '青椒肉丝饭', price: 2500, cost: 800, specs: [rice], addons: riceAddons },
      {
        code: 'R005',
        name: '红烧肉饭',
        price: 3200,
        cost: 1200,
        tags: ['招牌'],
        specs: [rice],
        addons: ['RICE-EXTRA'],
      },
      { code: 'R006', name: '黑椒牛柳饭', price: 3400, cost: 1300, specs: [rice], addons: ['RICE-EXTRA'] },
      { code: 'R007', name: '番茄炒蛋饭', price: 2000, cost: 550, specs: [rice], addons: ['RICE-EXTRA'] },
      { code: 'R008', name: '回锅肉饭', price: 2900, cost: 1000, tags: ['辣'], specs: [rice], addons: riceAddons },
      { code: 'R009', name: '土豆烧鸡饭', price: 2700, cost: 900, specs: [rice], addons: riceAddons },
      {
        code: 'R010',
        name: '咖喱鸡排饭',
        price: 3000,
        cost: 1000,
        tags: ['新品'],
        specs: [rice],
        addons: ['RICE-EXTRA'],
      },
      { code: 'R011', name: '台式卤肉饭', price: 2400, cost: 750, specs: [rice], addons: ['RICE-EXTRA'] },
      { code: 'R012', name: '梅菜扣肉饭', price: 3100, cost: 1150, specs: [rice], addons: ['RICE-EXTRA'] },
    ],
  },
  {
    code: 'SNACKS',
    name: '小吃凉菜',
    adjust: { kind: 'percent', min: -500, max: 500 },
    packagingFee: 50,
    boxCount: 1,
    products: [
      { code: 'S001', name: '鲜肉小笼包', price: 1800, cost: 550, tags: ['招牌'], unit: '笼' },
      { code: 'S002', name: '锅贴', price: 1600, cost: 450, unit: '份' },
      { code: 'S003', name: '葱油饼', price: 800, cost: 200 },
      { code: 'S004', name: '春卷', price: 1000, cost: 300 },
      { code: 'S005', name: '卤蛋', price: 300, cost: 80, packagingFee: 0, boxCount: 0, unit: '个' },
      { code: 'S006', name: '卤鸡腿', price: 900, cost: 350, unit: '个' },
      { code: 'S007', name: '凉拌黄瓜', price: 1000, cost: 250 },
      { code: 'S008', name: '老醋木耳', price: 1200, cost: 300 },
      { code: 'S009', name: '夫妻肺片', price: 2600, cost: 1000, tags: ['辣'] },
      { code: 'S010', name: '口水鸡', price: 2400, cost: 900, tags: ['辣'] },
      { code: 'S011', name: '炸鸡翅', price: 1500, cost: 550, unit: '份' },
      { code: 'S012', name: '酸辣土豆丝', price: 1100, cost: 250, tags: ['辣'] },
    ],
  },
  {
    code: 'BREAKFAST',
    name: '早餐',
    adjust: { kind: 'amount', min: -100, max: 100 },
    availability: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '06:30', end: '10:30' }],
    packagingFee: 50,
    boxCount: 1,
    products: [
      {
        code: 'B001',
        name: '现磨豆浆',
        price: 500,
        cost: 100,
        specs: [temperature],
        packagingFee: 0,
        boxCount: 0,
        unit: '杯',
      },
      { code: 'B002', name: '油条', price: 400, cost: 100, unit: '根' },
      { code: 'B003', name: '鲜肉大包', price: 400, cost: 130, unit: '个' },
      { code: 'B004', name: '香菇菜包', price: 350, cost: 100, unit: '个' },
      { code: 'B005', name: '茶叶蛋', price: 300, cost: 80, packagingFee: 0, boxCount: 0, unit: '个' },
      { code: 'B006', name: '小米粥', price: 600, cost: 120 },
      { code: 'B007', name: '皮蛋瘦肉粥', price: 1000, cost: 300 },
      { code: 'B008', name: '煎饼果子', price: 1200, cost: 350, tags: ['招牌'] },
    ],
  },
  {
    code: 'DRINKS',
    name: '饮品',
    adjust: { kind: 'percent', min: -1000, max: 1000 },
    packagingFee: 0,
    boxCount: 0,
    products: [
      { code: 'D001', name: '酸梅汤', price: 800, cost: 150, specs: [temperature, cup], addons: ['SWEET'], unit: '杯' },
      {
        code: 'D002',
        name: '柠檬茶',
        price: 1200,
        cost: 250,
        specs: [temperature, cup],
        addons: ['SWEET'],
        unit: '杯',
      },
      { code: 'D003', name: '冰豆奶', price: 600, cost: 150, unit: '瓶' },
      { code: 'D004', name: '可口可乐', price: 500, cost: 200, unit: '罐' },
      { code: 'D005', name: '雪碧', price: 500, cost: 200, unit: '罐' },
      { code: 'D006', name: '王老吉', price: 600, cost: 250, unit: '罐' },
      { code: 'D007', name: '椰汁', price: 700, cost: 280, unit: '瓶' },
      {
        code: 'D008',
        name: '绿豆汤',
        price: 600,
        cost: 100,
        specs: [temperature],
        addons: ['SWEET'],
        unit: '碗',
        packagingFee: 50,
        boxCount: 1,
      },
    ],
  },
  {
    code: 'DESSERTS',
    name: '甜品',
    adjust: { kind: 'percent', min: -500, max: 500 },
    packagingFee: 50,
    boxCount: 1,
    products: [
      { code: 'T001', name: '红糖糍粑', price: 1400, cost: 400 },
      { code: 'T002', name: '双皮奶', price: 1200, cost: 350 },
      { code: 'T003', name: '杨枝甘露', price: 1600, cost: 500, tags: ['新品'] },
      { code: 'T004', name: '芒果布丁', price: 1000, cost: 300 },
    ],
  },
  {
    code: 'COMBOS',
    name: '超值套餐',
    adjust: { kind: 'amount', min: -300, max: 300 },
    packagingFee: 200,
    boxCount: 2,
    products: [
      {
        code: 'C001',
        name: '牛肉面套餐（牛肉面+卤蛋+酸梅汤）',
        price: 3900,
        cost: 1400,
        tags: ['超值'],
        addons: ['SPICY'],
      },
      {
        code: 'C002',
        name: '宫保鸡丁饭套餐（盖饭+凉拌黄瓜+可乐）',
        price: 3800,
        cost: 1350,
        tags: ['超值'],
        addons: ['SPICY'],
      },
      { code: 'C003', name: '早餐套餐（豆浆+油条+茶叶蛋）', price: 1000, cost: 280, tags: ['超值'] },
      {
        code: 'C004',
        name: '双人餐（两份面+小笼包+两杯饮品）',
        price: 8800,
        cost: 3200,
        tags: ['超值'],
        addons: ['SPICY'],
      },
    ],
  },
];

/** Delivery platforms charge the customer more than the brand's own channels. */
export const demoChannelRules = [
  { channel: 'meituan', target: '*', kind: 'percent', value: 1000 },
  { channel: 'eleme', target: '*', kind: 'percent', value: 1000 },
] as const;

/** How each demo store's menu is managed. */
export const demoMenuModes: Record<string, 'hq' | 'store' | 'mixed'> = {
  SH001: 'mixed',
  SH002: 'hq',
  HZ001: 'hq',
  HZ002: 'store',
};
