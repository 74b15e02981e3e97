// DataStore load strings in Simplified Chinese: the last load, its issues and its report (load-en.ts has the same keys).

export const loadZh = {
  title: '最近一次加载',
  none: '还没有加载记录。',
  file: '文件',
  mode: '方式',
  status: '状态',
  stage: '阶段',
  rowsRead: '已读 {{rows}} 行',
  progress: '加载进度',
  requestedBy: '发起人',
  createdAt: '开始时间',
  finishedAt: '完成时间',
  cancel: '取消加载',
  cancelConfirm: '取消这次加载？当前版本保持不变。',
  cancelled: '已取消加载',
  failed: '加载失败',
  succeeded: '加载完成：{{rows}} 行，第 {{version}} 版',
  notWorkbook: {
    csv: '文件扩展名是 .xlsx，但内容是文本（CSV 或制表符分隔），不是 Excel 工作簿。请把扩展名改为 .csv 后重新上传，或用 Excel、WPS 另存为 .xlsx。',
    html: '文件扩展名是 .xlsx，但内容是网页（HTML 表格，一些系统导出的“Excel”就是这样），不是 Excel 工作簿。请用 Excel 或 WPS 打开后另存为 .xlsx。',
    xml2003: '文件扩展名是 .xlsx，但内容是 Excel 2003 XML 表格。请用 Excel 或 WPS 打开后另存为 .xlsx。',
  },
  unsupportedKind: {
    xls: '这是 Excel 97–2003 工作簿（.xls），无法加载。请用 Excel 或 WPS 打开后另存为 .xlsx。',
    et: '这是 WPS 表格文件（.et），无法加载。请在 WPS 中另存为 .xlsx。',
    ods: '这是 OpenDocument 表格（.ods），无法加载。请另存为 .xlsx 或 CSV。',
    zip: '这是 zip 压缩包。请上传压缩包里的文件。',
  },
  keyMissing:
    '有 {{count}} 行的关键列“{{key}}”为空（文件第 {{rows}} 行）。按关键列更新要靠关键列找到每一行，所以这次没有加载任何数据。请补齐关键列，或用“追加”方式加入这些行。',
  keyMissing_one:
    '有 {{count}} 行的关键列“{{key}}”为空（文件第 {{rows}} 行）。按关键列更新要靠关键列找到每一行，所以这次没有加载任何数据。请补齐关键列，或用“追加”方式加入这些行。',
};

/** A load issue's explanation by kind and variant, with the figures the server sends. */
export const issueTextZh = {
  title_row: {
    default: '表头上方的一行标题已跳过',
    line: '文件第 {{line}} 行是表头上方的标题，已跳过',
    sheet: '工作表第 {{line}} 行是表头上方的标题，已跳过',
  },
  header_rows: {
    default:
      '表头占工作表第 {{first}} 行和第 {{last}} 行（上方是合并的分组标题，下方是列名），列名已合并为“分组/列名”，如“{{example}}”',
  },
  total_row: {
    skipped: '工作表第 {{sheetRow}} 行是数据下方的合计行，不是一条记录，已跳过',
    kept: '工作表第 {{sheetRow}} 行看起来是合计行，但它下面还有数据，已作为一行数据加载',
  },
  note_row: { skipped: '工作表第 {{sheetRow}} 行是数据下方的注释，已跳过' },
  precision_lost: {
    default:
      '工作表第 {{sheetRow}} 行的数字 {{value}} 超过了 Excel 能保存的 15 位，末尾几位在工作簿中已经丢失，无法恢复。身份证号、统一社会信用代码等请按文本输入（把该列设为“文本”格式，或在前面加英文单引号）后重新上传',
  },
  formula_not_cached: {
    default:
      '工作表第 {{sheetRow}} 行的公式保存时没有计算结果。平台不计算公式，该单元格已留空：请用 Excel 或 WPS 打开文件、保存后重新上传',
  },
  empty_header: { default: '第 {{position}} 列没有列名' },
  duplicate_header: { default: '列名“{{label}}”出现了不止一次（第 {{position}} 列）' },
  encoding_repaired: {
    default: '第 {{line}} 行（从第一行数据算起）不是有效的 UTF-8，已按 GB18030 读取',
    file_line: '文件第 {{line}} 行不是有效的 UTF-8，已按 GB18030 读取',
  },
  blank_row: { default: '空行已跳过', sheet: '工作表第 {{sheetRow}} 行是空行，已跳过' },
  ragged_row: {
    short: '这一行只有 {{found}} 个字段（应为 {{expected}} 个），缺少的值留空',
    trailing_empty: '这一行有 {{found}} 个字段（应为 {{expected}} 个），末尾多出的空字段已去掉',
    extra_kept: '这一行有 {{found}} 个字段（应为 {{expected}} 个），多出的字段已并入最后一列',
    sheet_extra: '工作表第 {{sheetRow}} 行在最后一列右侧还有值，已并入最后一列',
  },
  row_limit: { default: '只读取了前 {{max}} 行' },
  nul_bytes: { default: '这一行附近的 {{characters}} 个空字符（NUL）已删除' },
  not_an_object: {
    default: '数组中的一个元素不是对象，已跳过',
    element: '数组的第 {{index}} 个元素不是对象，已跳过',
  },
  truncated_field: {
    default: '一个值超过 {{bytes}} 字节，已截断',
    nested: '一个嵌套值超过 {{bytes}} 字节，已截断',
  },
  invalid_json_line: { default: '第 {{line}} 行已跳过：{{reason}}' },
  cell_error: { default: '工作表第 {{sheetRow}} 行含 Excel 错误值 {{error}}，已留空' },
  unbalanced_quote: {
    never_closed: '此处开始的引号一直没有闭合，已按普通字符读取',
    text_after: '引号括起的值后面还有文字，这些引号已按普通字符读取',
  },
  parsed_by_civitas: { default: 'PostgreSQL 无法按标准 CSV 读取该文件（{{reason}}），已由平台自行解析' },
  restarted: {
    default: '加载中途中断（运行它的进程停止），已从文件重新开始；期间上一版本一直保持为当前版本',
  },
};

export const reportZh = {
  show: '查看加载报告',
  format: '格式',
  encoding: '编码',
  delimiter: '分隔符',
  sheet: '工作表',
  sheets: '文件中的工作表',
  path: '导入方式',
  rowsRead: '读取行数',
  rows: '入库行数',
  bytes: '文件大小',
  titleRows: '跳过的标题行',
  columnsTitle: '列与类型',
  columnsCaption: '每列推断出的类型、空值数和不一致的值',
  column: '列',
  type: '类型',
  candidate: '多数值的类型',
  nonNull: '有值',
  nulls: '空值',
  disagreeing: '不一致',
  rowNumbers: {
    file: '行号按文件本身计，与文本编辑器或 Excel 中看到的一致：文件第一行为第 1 行，表头在第 {{header}} 行，空行也计入。',
    file_sheet: '行号按工作表本身计，与 Excel 中看到的一致：表头在第 {{header}} 行，空行也计入。',
    data: '行号按数据行计：表头之后的第一行为第 1 行。',
    records: '行号按文件中的记录从 1 开始计。',
    elements: '行号按记录在文件数组中的位置计：第一个元素为第 1 行，跳过的元素也计入。',
    lines: '行号按文件本身的行计，与文本编辑器中看到的一致：文件第一行为第 1 行。',
  },
  examples: '不一致的值（行号：值）',
  example: '第 {{row}} 行：{{value}}',
  issuesTitle: '发现的问题（共 {{count}} 个）',
  issuesCaption: '加载时发现并处理的问题',
  kind: '问题',
  row: '行',
  message: '说明',
  sample: '样例',
  noIssues: '没有发现问题。',
  dropped: '删除的空列',
  summaryTitle: '与上一版相比',
  added: '新增 {{count}} 行',
  // 中文不区分单复数；_one 与英文的键保持一致。
  added_one: '新增 {{count}} 行',
  removed: '删除 {{count}} 行',
  removed_one: '删除 {{count}} 行',
  changed: '修改 {{count}} 行',
  changed_one: '修改 {{count}} 行',
  typeChangesTitle: '列类型已放宽',
  typeChange: '“{{column}}”由{{from}}改为{{to}}：有 {{count}} 个值不是{{from}}（{{examples}}）',
  typeChange_one: '“{{column}}”由{{from}}改为{{to}}：有 {{count}} 个值不是{{from}}（{{examples}}）',
  typeChangeExample: '_id {{id}}：{{value}}',
  typeChangeExampleRow: '第 {{row}} 行，_id {{id}}：{{value}}',
  delimiterTab: '制表符（Tab）',
  delimiterSpace: '空格',
};
