// Realistic generated ledgers for benchmarks: user-added projects with every
// facet populated, plus edits on them. Deterministic (seeded).
const DISTRICTS = ['Haicheng', 'Taian', 'Xiuyan', 'Tiedong', 'Tiexi', 'Lishan', 'Qianshan', 'HighTech', 'EconomicZone', null];
const STAGES = ['Planning', 'Negotiating', 'Listed', 'Signed', 'LandAcquired', 'Started', 'Completed', 'Producing', 'FullCapacity'];
const CLUSTERS = ['Steel', 'Magnesite', 'IronOre', 'Equipment', 'ConsumerGoods', 'FineChemicals', 'NewEnergy', 'ResourceUse',
  'Emerging', 'CultureSportsTourism', 'FoodProcessing', 'TextilesApparel', 'LaserInformation'];
const PROCEDURES = ['Approval', 'Land', 'Environment', 'Energy', 'PlanningPermit', 'ConstructionPermit'];
const PLACES = ['鞍山', '辽宁', '海城', '台安', '岫岩', '千山', '立山', '铁西', '铁东', '沈阳', '大连', '营口'];
const FIRMS = ['华宇', '恒信', '金泰', '中兴', '宏基', '瑞丰', '鑫源', '天顺', '宝得', '福金', '利奇', '新嘉', '鸣玉', '奥达'];
const TRADES = ['镁制品', '耐火材料', '新材料科技', '钢结构', '精细化工', '新能源科技', '食品', '纺织', '装备制造', '物流'];
const PRODUCTS = ['无碳镁质砖', '特种钢材', '光伏基材', '润滑油添加剂', '碳纤维', '刨花板', '棉袜', '中药饮片', '精密铸件', '燃机透平'];

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function generate(projects, extraEdits, seed = 42) {
  const random = rng(seed);
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const start = Date.UTC(2024, 1, 18);
  const edits = [];
  let t = start;
  const ids = [];
  for (let n = 0; n < projects; n += 1) {
    const id = `u-gen-${n}`;
    ids.push(id);
    const name = `${pick(PLACES)}${pick(FIRMS)}${pick(TRADES)}有限公司年产${1 + Math.floor(random() * 99)}万吨${pick(PRODUCTS)}项目`;
    edits.push({ d: 'gen', p: id, t: (t += 1000), c: { Create: { name, district: pick(DISTRICTS) } } });
  }
  const kinds = [
    () => ({ Stage: pick(STAGES) }),
    () => ({ Cluster: pick(CLUSTERS) }),
    () => ({ Procedure: { procedure: pick(PROCEDURES), done: true, date: '2024-03-01' } }),
    () => ({ InvestmentWan: Math.floor(random() * 500000) / 10 }),
    () => ({ Notes: `走访记录：${pick(PRODUCTS)}设备进场，协调${pick(['用电', '用水', '用工', '道路'])}问题` }),
    () => ({ Owner: `${pick(PLACES)}${pick(FIRMS)}${pick(TRADES)}有限公司` }),
  ];
  for (let n = 0; n < extraEdits; n += 1) {
    edits.push({ d: 'gen', p: pick(ids), t: (t += 1000), c: pick(kinds)() });
  }
  return edits;
}
