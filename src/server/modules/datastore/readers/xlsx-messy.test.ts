import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat, LoadError, openRows } from './index.ts';
import { collect, scratch, zip } from './test-support.ts';

// Workbooks as stewards make them by hand: titles and notes around the table, merged two-row headers,
// totals, ID numbers typed as numbers, formulas, hidden sheets, tables that start at C5.

let dir: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  dir = await scratch();
});
afterAll(() => dir.cleanup());

async function workbookFile(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const path = await dir.file(name, Buffer.alloc(0));
  await wb.xlsx.writeFile(path);
  return path;
}

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/** A workbook written part by part, for what ExcelJS cannot produce (uncached formulas, 1904 dates, very hidden sheets). */
function handWorkbook(
  sheets: { name: string; xml: string; state?: string }[],
  opts: { workbookPr?: string; styles?: string; sharedStrings?: string } = {},
): Buffer {
  const rels = sheets
    .map(
      (_, i) =>
        `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
    )
    .join('');
  return zip([
    {
      name: '_rels/.rels',
      data: `<Relationships><Relationship Id="r1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<workbook xmlns:r="${REL}">${opts.workbookPr ?? ''}<sheets>${sheets
        .map(
          (s, i) =>
            `<sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`,
        )
        .join('')}</sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<Relationships>${rels}<Relationship Id="rS" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rT" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rE" Type="${REL}/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>`,
    },
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: s.xml })),
    { name: 'xl/styles.xml', data: opts.styles ?? '<styleSheet/>' },
    { name: 'xl/sharedStrings.xml', data: opts.sharedStrings ?? '<sst/>' },
  ]);
}

const issuesOf = (reader: Awaited<ReturnType<typeof openRows>>) =>
  reader.issues.map((i) => [i.kind, i.row, i.column ?? null, i.params]);

describe('hand-made workbooks', () => {
  it('joins a two-row header whose group titles are merged over the column titles', async () => {
    const file = await workbookFile('two-rows.xlsx', (wb) => {
      const ws = wb.addWorksheet('人口');
      ws.mergeCells('A1:A2');
      ws.getCell('A1').value = '区县';
      ws.mergeCells('B1:C1');
      ws.getCell('B1').value = '户籍人口';
      ws.mergeCells('D1:E1');
      ws.getCell('D1').value = '常住人口';
      ws.getRow(2).values = [null, '男', '女', '男', '女'];
      ws.addRow(['东港区', 1, 2, 3, 4]);
      ws.addRow(['西岭区', 5, 6, 7, 8]);
    });
    const reader = await openRows(file, { format: 'xlsx' });
    expect(reader.labels).toEqual(['区县', '户籍人口/男', '户籍人口/女', '常住人口/男', '常住人口/女']);
    expect(reader.headerRow).toBe(2);
    expect(await collect(reader)).toEqual([
      ['东港区', '1', '2', '3', '4'],
      ['西岭区', '5', '6', '7', '8'],
    ]);
    expect(issuesOf(reader)).toEqual([
      ['header_rows', undefined, null, { first: 1, last: 2, example: '户籍人口/男' }],
    ]);
  });

  it('keeps a header with an unlabelled column over ordinary data rows as it is', async () => {
    const file = await workbookFile('gap.xlsx', (wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['名称', null, '地址']);
      ws.addRow(['甲', '乙', '丙']);
      ws.addRow(['丁', '戊', '己']);
    });
    const reader = await openRows(file, { format: 'xlsx' });
    expect(reader.labels).toEqual(['名称', '', '地址']);
    expect(await collect(reader)).toHaveLength(2);
  });

  it('skips titles above the table and the totals and notes below it, naming their sheet rows', async () => {
    const file = await workbookFile('totals.xlsx', (wb) => {
      const ws = wb.addWorksheet('S');
      ws.mergeCells('A1:C1');
      ws.getCell('A1').value = '岚山市2023年各区人口统计表';
      ws.mergeCells('A2:C2');
      ws.getCell('A2').value = '填报单位：统计局    单位：人';
      ws.addRow(['区', '人口', '面积']);
      ws.addRow(['东港区', 100, 1.5]);
      ws.addRow(['小计', 100, 1.5]);
      ws.addRow(['西岭区', 200, 2.5]);
      ws.addRow(['合  计', { formula: 'SUM(B4,B6)', result: 300 }, 4]);
      ws.addRow([]);
      ws.addRow(['注：数据来源于第七次人口普查']);
    });
    const reader = await openRows(file, { format: 'xlsx' });
    expect([reader.headerRow, reader.titleRows]).toEqual([
      3,
      ['岚山市2023年各区人口统计表', '填报单位：统计局    单位：人'],
    ]);
    expect(await collect(reader)).toEqual([
      ['东港区', '100', '1.5'],
      ['小计', '100', '1.5'],
      ['西岭区', '200', '2.5'],
    ]);
    // Rows relative to the header (row 3), as every reader's; staging adds the header row back.
    expect(issuesOf(reader)).toEqual([
      ['title_row', -2, null, { variant: 'sheet', line: 1 }],
      ['title_row', -1, null, { variant: 'sheet', line: 2 }],
      ['total_row', 2, null, { variant: 'kept', sheetRow: 5 }],
      ['total_row', 4, null, { variant: 'skipped', sheetRow: 7 }],
      ['note_row', 6, null, { variant: 'skipped', sheetRow: 9 }],
    ]);
  });

  it('loads a long run of note-like rows as the data it is, without holding it back', async () => {
    const file = await workbookFile('remarks.xlsx', (wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['说明', '编号']);
      for (let i = 1; i <= 30; i++) ws.addRow([`来源${i}`]);
    });
    const reader = await openRows(file, { format: 'xlsx' });
    expect(await collect(reader)).toHaveLength(30);
    expect(reader.issues).toEqual([]);
  });

  it('reads dates of the 1900 and the 1904 date systems under Chinese and custom formats', async () => {
    const styles = `<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="yyyy/m/d"/><numFmt numFmtId="166" formatCode="yyyy/m/d h:mm"/><numFmt numFmtId="167" formatCode="0.00%"/><numFmt numFmtId="168" formatCode="&quot;¥&quot;#,##0.00"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="20"/><xf numFmtId="167"/><xf numFmtId="168"/><xf numFmtId="31"/></cellXfs></styleSheet>`;
    const xml = `<worksheet><sheetData><row r="1">${[
      '年月日',
      '斜杠',
      '日期时间',
      '时间',
      '比例',
      '金额',
      '中文日期',
    ]
      .map((l, i) => inline(`${String.fromCharCode(65 + i)}1`, l))
      .join(
        '',
      )}</row><row r="2"><c r="A2" s="1"><v>45067</v></c><c r="B2" s="2"><v>45067</v></c><c r="C2" s="3"><v>45067.4375</v></c><c r="D2" s="4"><v>0.4375</v></c><c r="E2" s="5"><v>0.1234</v></c><c r="F2" s="6"><v>1234.5</v></c><c r="G2" s="7"><v>45067</v></c></row></sheetData></worksheet>`;
    const d1900 = await dir.file('d1900.xlsx', handWorkbook([{ name: 'S', xml }], { styles }));
    expect(await collect(await openRows(d1900, { format: 'xlsx' }))).toEqual([
      ['2023-05-21', '2023-05-21', '2023-05-21T10:30:00', '10:30', '0.1234', '1234.5', '2023-05-21'].map(
        (v) => (v === '10:30' ? '10:30:00' : v),
      ),
    ]);
    const d1904 = await dir.file(
      'd1904.xlsx',
      handWorkbook([{ name: 'S', xml }], { styles, workbookPr: '<workbookPr date1904="1"/>' }),
    );
    // The same serial is 1,462 days later in the 1904 system; a percentage is its value, as a formula sees it.
    expect((await collect(await openRows(d1904, { format: 'xlsx' })))[0]).toEqual([
      '2027-05-22',
      '2027-05-22',
      '2027-05-22T10:30:00',
      '10:30:00',
      '0.1234',
      '1234.5',
      '2027-05-22',
    ]);
  });

  it('reports ID numbers typed as numbers, whose digits past the 15th Excel has lost', async () => {
    const file = await workbookFile('ids.xlsx', (wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['区划代码', '身份证号', '信用代码', '注册资本']);
      ws.addRow(['0571', Number('110101199001011234'), '91330100MA2AXXXX1X', 123456789012345]);
      ws.addRow(['0572', '330106198001011234', 9.13301e17, 50]);
    });
    const reader = await openRows(file, { format: 'xlsx' });
    expect(await collect(reader)).toEqual([
      ['0571', '110101199001011000', '91330100MA2AXXXX1X', '123456789012345'],
      ['0572', '330106198001011234', '913301000000000000', '50'],
    ]);
    expect(issuesOf(reader)).toEqual([
      ['precision_lost', 1, '身份证号', { sheetRow: 2, value: '110101199001011000' }],
      ['precision_lost', 2, '信用代码', { sheetRow: 3, value: '913301000000000000' }],
    ]);
  });

  it('takes formulas’ saved results, reports formulas without one, and reads errors, booleans and rich text', async () => {
    const xml = `<worksheet><dimension ref="A1:E4"/><sheetData><row r="1">${inline('A1', 'a')}${inline('B1', '公式')}${inline('C1', '错误')}${inline('D1', '布尔')}${inline('E1', '外部')}</row>
<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f>A2*2</f></c><c r="C2" t="e"><v>#N/A</v></c><c r="D2" t="b"><v>1</v></c><c r="E2"><f>[1]Sheet1!A1</f><v>42</v></c></row>
<row r="3"><c r="A3"><v>2</v></c><c r="B3"><f>A3*2</f><v>4</v></c><c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D3" t="b"><v>0</v></c><c r="E3" t="str"><f t="shared" si="0"/></c></row>
<row r="4"><c r="A4" t="s"><v>0</v></c><c r="B4" t="str"><f>A4&amp;"!"</f><v>富文本 !</v></c><c r="C4" t="e"><v>#REF!</v></c><c r="D4" t="s"><v>1</v></c></row></sheetData></worksheet>`;
    const file = await dir.file(
      'formulas.xlsx',
      handWorkbook([{ name: 'S', xml }], {
        sharedStrings:
          '<sst><si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space="preserve">文本 </t></r><rPh><t>フ</t></rPh></si><si><t>第一行\n第二行</t></si></sst>',
      }),
    );
    const reader = await openRows(file, { format: 'xlsx' });
    expect(await collect(reader)).toEqual([
      ['1', null, null, 'true', '42'],
      ['2', '4', null, 'false', null],
      ['富文本 ', '富文本 !', null, '第一行\n第二行', null],
    ]);
    expect(issuesOf(reader)).toEqual([
      ['cell_error', 1, '错误', { sheetRow: 2, error: '#N/A' }],
      ['formula_not_cached', 1, '公式', { sheetRow: 2 }],
      ['cell_error', 2, '错误', { sheetRow: 3, error: '#DIV/0!' }],
      ['formula_not_cached', 2, '外部', { sheetRow: 3 }],
      ['cell_error', 3, '错误', { sheetRow: 4, error: '#REF!' }],
    ]);
  });

  it('lists hidden and very hidden sheets, prefers a visible one, and reads any by name', async () => {
    const sheet = (a: string) =>
      `<worksheet><sheetData><row r="1">${inline('A1', a)}${inline('B1', 'v')}</row><row r="2">${inline('A2', 'x')}<c r="B2"><v>1</v></c></row></sheetData></worksheet>`;
    const file = await dir.file(
      'hidden.xlsx',
      handWorkbook([
        { name: '码表', xml: sheet('码'), state: 'hidden' },
        { name: '隐藏', xml: sheet('秘'), state: 'veryHidden' },
        { name: '数据', xml: sheet('区') },
      ]),
    );
    const first = await openRows(file, { format: 'xlsx' });
    expect([first.sheet, first.sheets, first.labels]).toEqual([
      '数据',
      ['码表', '隐藏', '数据'],
      ['区', 'v'],
    ]);
    expect((await openRows(file, { format: 'xlsx', sheet: '隐藏' })).labels).toEqual(['秘', 'v']);
  });

  it('drops the empty columns left of a table placed at C5, and the formatted-only columns right of it', async () => {
    const xml = `<worksheet><dimension ref="C5:H8"/><sheetData><row r="5">${inline('C5', '区')}${inline('D5', '人口')}${inline('E5', '备注')}<c r="F5" s="1"/></row><row r="6">${inline('C6', '东')}<c r="D6"><v>1</v></c>${inline('E6', 'x')}<c r="H6" s="1"/></row><row r="7">${inline('C7', '西')}<c r="D7"><v>2</v></c><c r="G7"><v>9</v></c></row></sheetData></worksheet>`;
    const file = await dir.file('c5.xlsx', handWorkbook([{ name: 'S', xml }]));
    const reader = await openRows(file, { format: 'xlsx' });
    expect(reader.labels).toEqual(['区', '人口', '备注', '', '', '']);
    expect(await collect(reader)).toEqual([
      ['东', '1', 'x', null, null, null],
      ['西', '2', null, null, '9', null],
    ]);
    // Only the unlabelled column that holds a value is worth a word; the pipeline drops the empty ones.
    expect(issuesOf(reader)).toEqual([['empty_header', undefined, '#5', { position: 5 }]]);
  });

  it('reads three columns of a sheet that declares all 16,384', async () => {
    const xml = `<worksheet><dimension ref="A1:XFD1048576"/><cols><col min="4" max="16384" width="9" style="1"/></cols><sheetData><row r="1" spans="1:16384">${inline('A1', '区')}${inline('B1', '人口')}${inline('C1', '备注')}</row><row r="2">${inline('A2', '东')}<c r="B2"><v>1</v></c></row></sheetData></worksheet>`;
    const reader = await openRows(await dir.file('xfd.xlsx', handWorkbook([{ name: 'S', xml }])), {
      format: 'xlsx',
    });
    expect([reader.labels, await collect(reader), reader.issues]).toEqual([
      ['区', '人口', '备注'],
      [['东', '1', null]],
      [],
    ]);
  });

  it('names what a file called .xlsx really is', async () => {
    const errorOf = (name: string, content: Buffer | string) => {
      try {
        detectFormat(name, Buffer.from(content));
      } catch (err) {
        if (err instanceof LoadError) return [err.code, err.details?.content ?? err.details?.extension];
      }
      return undefined;
    };
    expect(errorOf('名录.xlsx', '区,人口\n东港区,1\n')).toEqual(['datastore.bad_xlsx', 'csv']);
    expect(errorOf('名录.xlsx', '<html><body><table><tr><td>区</td></tr></table></body></html>')).toEqual([
      'datastore.bad_xlsx',
      'html',
    ]);
    expect(
      errorOf(
        '名录.xlsx',
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
      ),
    ).toEqual(['datastore.bad_xlsx', 'xml2003']);
    expect(errorOf('名录.xlsx', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toEqual([
      'datastore.unsupported_format',
      '.xls',
    ]);
  });
});
