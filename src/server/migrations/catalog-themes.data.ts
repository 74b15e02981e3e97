// The theme tree seeded by the catalog migration: the themes of China's public-data open platforms
// (经济建设, 资源环境, …), each mapped to the EU data-theme vocabulary that DCAT-AP's dcat:theme uses.
// Data of a migration: never change a seeded row here, add a new migration instead.

export interface SeedTheme {
  id: string;
  parent?: string;
  zh: string;
  en: string;
  eu: string;
}

export const SEED_THEMES: readonly SeedTheme[] = [
  { id: 'economy', zh: '经济建设', en: 'Economy', eu: 'ECON' },
  { id: 'economy-industry', parent: 'economy', zh: '工业和信息化', en: 'Industry and IT', eu: 'ECON' },
  { id: 'economy-commerce', parent: 'economy', zh: '商贸流通', en: 'Commerce and trade', eu: 'ECON' },
  { id: 'finance', zh: '财税金融', en: 'Finance and taxation', eu: 'ECON' },
  { id: 'market', zh: '市场监管', en: 'Market regulation', eu: 'ECON' },
  { id: 'market-licensing', parent: 'market', zh: '市场主体登记', en: 'Business registration', eu: 'ECON' },
  { id: 'market-quality', parent: 'market', zh: '质量和食品安全', en: 'Quality and food safety', eu: 'HEAL' },
  { id: 'credit', zh: '信用服务', en: 'Credit', eu: 'ECON' },
  { id: 'environment', zh: '资源环境', en: 'Environment and resources', eu: 'ENVI' },
  { id: 'environment-air', parent: 'environment', zh: '大气和水环境', en: 'Air and water', eu: 'ENVI' },
  { id: 'environment-land', parent: 'environment', zh: '自然资源', en: 'Natural resources', eu: 'ENVI' },
  { id: 'geo', zh: '地理空间', en: 'Geospatial', eu: 'REGI' },
  { id: 'weather', zh: '气象服务', en: 'Weather', eu: 'ENVI' },
  { id: 'education', zh: '教育文化', en: 'Education and culture', eu: 'EDUC' },
  { id: 'science', zh: '科技创新', en: 'Science and technology', eu: 'TECH' },
  { id: 'health', zh: '医疗卫生', en: 'Health', eu: 'HEAL' },
  { id: 'social', zh: '社会民生', en: 'Society', eu: 'SOCI' },
  { id: 'social-security', parent: 'social', zh: '社保就业', en: 'Social security and jobs', eu: 'SOCI' },
  { id: 'social-civil', parent: 'social', zh: '民政服务', en: 'Civil affairs', eu: 'SOCI' },
  { id: 'housing', zh: '城建住房', en: 'Housing and urban development', eu: 'REGI' },
  { id: 'transport', zh: '道路交通', en: 'Transport', eu: 'TRAN' },
  { id: 'agriculture', zh: '农业农村', en: 'Agriculture and rural affairs', eu: 'AGRI' },
  { id: 'safety', zh: '公共安全', en: 'Public safety', eu: 'JUST' },
  { id: 'energy', zh: '能源', en: 'Energy', eu: 'ENER' },
  { id: 'government', zh: '机构团体', en: 'Government and public sector', eu: 'GOVE' },
  { id: 'life', zh: '生活服务', en: 'Daily life services', eu: 'SOCI' },
];
