// Working-day calendar strings in Simplified Chinese, the reference locale.

const calendarZh = {
  title: '工作日历',
  intro:
    '法定期限按工作日计算：周一至周五，扣除国务院公布的法定节假日，加上调休上班日。此处可为某一天设置例外（如地方性假日，或尚未收录的年度安排），例外始终优先；此后计算的期限随之改变，已确定的期限不变。',
  month: '月份',
  previousMonth: '上个月',
  nextMonth: '下个月',
  thisMonth: '本月',
  legend: '图例',
  unknownYear:
    '{{year}} 年的国务院节假日安排尚未收录：该年暂按《全国年节及纪念日放假办法》规定的法定假日（元旦、春节、清明、劳动节、端午、中秋、国庆，逢周末顺延补假）休息，其余周一至周五计为工作日；调休安排无法预知。安排公布后，请把与之不同的日子（放假日和调休上班日）设置为例外。',
  status: {
    workday: '工作日',
    weekend: '周末',
    holiday: '法定节假日',
    statutoryHoliday: '法定假日（预排）',
    makeUpWorkday: '调休上班',
    overrideWorking: '例外：上班',
    overrideOff: '例外：休息',
  },
  dayBefore: '{{date}}，',
  editTitle: '{{date}} 的例外',
  official: '按官方日历：{{status}}',
  officialHoliday: '按官方日历：{{status}}（{{holiday}}）',
  current: '当前设置：{{status}}',
  working: '这一天',
  workingYes: '上班（工作日）',
  workingNo: '休息（非工作日）',
  officialColumn: '官方安排',
  note: '说明',
  notePlaceholder: '如：本市地方性假日',
  save: '保存例外',
  clear: '删除例外，恢复官方安排',
  saved: '已保存 {{date}} 的例外',
  cleared: '已删除 {{date}} 的例外',
  overridesTitle: '本月的例外',
  noOverrides: '本月没有例外。',
  date: '日期',
  result: '结果',
  edit: '修改',
  editLabel: '修改 {{date}} 的例外',
};

export default calendarZh;

/** Messages of the calendar API's error codes (errors.calendar.*). */
export const calendarErrorsZh = {
  invalid_day: '日期不存在或格式不对（应为 年-月-日）。',
  bad_range: '开始日期不能晚于结束日期。',
  range_too_long: '一次最多查询 400 天。',
  override_not_found: '这一天没有例外可删除。',
};
