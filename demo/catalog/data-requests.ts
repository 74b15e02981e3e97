import type { AnswerDataRequestInput } from '../../src/contracts/catalog.ts';

// Requests the public has sent the demo city's departments ("request this data"), some answered.
// The requesters are made up; their addresses use the reserved example.org domain.

export interface DemoDataRequest {
  /** An open resource the request is about, or the department asked for a new one. */
  dataset?: string;
  department?: string;
  title: string;
  description: string;
  requesterName: string;
  requesterEmail: string;
  answer?: AnswerDataRequestInput;
}

export const DEMO_DATA_REQUESTS: readonly DemoDataRequest[] = [
  {
    dataset: 'bus-routes',
    title: '希望提供GTFS格式的公交线路和时刻表数据',
    description: '我们在开发出行类小程序，希望公交线路数据能增加GTFS格式，并包含各站点时刻表。',
    requesterName: '许文博',
    requesterEmail: 'xu.wenbo@example.org',
    answer: {
      status: 'fulfilled',
      answer: '已在“公交线路”资源中新增GTFS格式数据接口，时刻表按月更新，欢迎使用。',
    },
  },
  {
    department: 'LS-TRANS',
    title: '公共停车场实时空余泊位数据',
    description: '希望开放主要公共停车场的实时空余泊位数，方便市民出行前查询。',
    requesterName: '陶然',
    requesterEmail: 'tao.ran@example.org',
    answer: {
      status: 'answered',
      answer: '停车场实时泊位数据正在接入城市停车平台，已列入明年公共数据开放计划，届时将在本平台发布。',
    },
  },
  {
    dataset: 'school-directory',
    title: '学区划分范围数据',
    description: '能否在学校名录基础上提供各小学、初中的学区划分范围（对应小区或地块）？',
    requesterName: '梁佳怡',
    requesterEmail: 'liang.jiayi@example.org',
    answer: {
      status: 'declined',
      answer:
        '学区划分由市教育局每年招生前公告，范围按年度调整，暂不以数据集形式开放，请以当年招生公告为准。',
    },
  },
  {
    dataset: 'air-quality-realtime',
    title: '空气质量历史逐小时数据',
    description: '用于环境健康研究，希望提供2023年以来各监测站点的逐小时历史数据下载。',
    requesterName: 'Emma Richter',
    requesterEmail: 'emma.richter@example.org',
    answer: {
      status: 'fulfilled',
      answer: '已按年度补充历史逐小时数据文件，可在资源页下载；接口也支持按时间段查询。',
    },
  },
  {
    department: 'LS-HEALTH',
    title: '各医院实时床位使用情况',
    description: '希望公开二级以上医院的床位总数和空余床位数，便于就医选择。',
    requesterName: '韦晓峰',
    requesterEmail: 'wei.xiaofeng@example.org',
  },
  {
    dataset: 'enterprise-business-licences',
    title: '营业执照数据增加经营范围规范表述代码',
    description: '建议在企业营业执照信息中增加经营范围规范表述的条目代码，方便程序化分析行业分布。',
    requesterName: '程子昂',
    requesterEmail: 'cheng.ziang@example.org',
  },
  {
    department: 'LS-HUD',
    title: '二手房成交统计数据',
    description: '目前只有新建商品房成交统计，希望增加二手住房的月度成交套数和均价。',
    requesterName: '孟欣然',
    requesterEmail: 'meng.xinran@example.org',
    answer: {
      status: 'answered',
      answer: '二手房网签数据已完成归集，正在进行脱敏和质量核查，预计下季度以月度统计形式开放。',
    },
  },
  {
    dataset: 'weather-observations',
    title: '气象观测数据增加能见度要素',
    description: '希望气象观测数据中增加能见度和气压两个要素，用于交通出行研究。',
    requesterName: '任思琪',
    requesterEmail: 'ren.siqi@example.org',
  },
];
