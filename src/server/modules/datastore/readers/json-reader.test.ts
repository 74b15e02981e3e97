import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadError } from './errors.ts';
import { openRows } from './index.ts';
import { collect, gb18030, scratch } from './test-support.ts';
import type { SourceFormat } from './types.ts';

let dir: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  dir = await scratch();
});
afterAll(() => dir.cleanup());

async function read(format: SourceFormat, data: string | Buffer, limits = {}) {
  const file = await dir.file(`data.${format}`, data);
  const reader = await openRows(file, { format, limits });
  return { reader, rows: await collect(reader) };
}

async function codeOf(format: SourceFormat, data: string | Buffer, limits = {}): Promise<string> {
  try {
    await read(format, data, limits);
  } catch (err) {
    if (err instanceof LoadError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('openRows on JSON', () => {
  it('reads an array of objects: union of keys in first-seen order, nested values as JSON text, exact numbers', async () => {
    const { reader, rows } = await read(
      'json',
      '\uFEFF[{"名称":"岚山","人口":12345678901234567890,"面积":0.10},\n' +
        '{"名称":"东港","标签":["港口","物流"],"位置":{"x":1.50,"y":null},"在用":true},\n' +
        '42,\n{"人口":null}]',
    );
    expect(reader.labels).toEqual(['名称', '人口', '面积', '标签', '位置', '在用']);
    expect(rows).toEqual([
      ['岚山', '12345678901234567890', '0.10', null, null, null],
      ['东港', null, null, '["港口","物流"]', '{"x":1.50,"y":null}', 'true'],
      [null, null, null, null, null, null],
    ]);
    expect(reader.issues).toMatchObject([{ kind: 'not_an_object', row: 3, sample: '42' }]);
  });

  it('takes the rows from the first array inside a top-level object, in GB18030 too', async () => {
    const data = gb18030('{"code":0,"data":[{"部门":"统计局","数量":3}],"total":1}');
    const { reader, rows } = await read('json', data);
    expect(reader.labels).toEqual(['部门', '数量']);
    expect(rows).toEqual([['统计局', '3']]);
  });

  it('rejects broken, too deep, empty and object-free JSON clearly', async () => {
    expect(await codeOf('json', '[{"a":1},{"a":')).toBe('datastore.bad_json');
    expect(await codeOf('json', `[{"a":${'['.repeat(100)}${']'.repeat(100)}}]`)).toBe('datastore.bad_json');
    expect(await codeOf('json', '[]')).toBe('datastore.no_rows');
    expect(await codeOf('json', '[1,2,3]')).toBe('datastore.no_rows');
    expect(await codeOf('json', '')).toBe('datastore.empty_file');
    const wide = `[{${Array.from({ length: 2000 }, (_, i) => `"k${i}":1`).join(',')}}]`;
    expect(await codeOf('json', wide)).toBe('datastore.too_many_columns');
  });
});

describe('openRows on NDJSON', () => {
  it('reads one object per line and skips bad lines with a report', async () => {
    const { reader, rows } = await read(
      'ndjson',
      '{"id":1,"name":"岚山","loc":{"lat":36.10}}\r\n\n{"id":12345678901234567890,"extra":false}\nnot json\n[1]\n{"id":3}',
    );
    expect(reader.labels).toEqual(['id', 'name', 'loc', 'extra']);
    expect(rows).toEqual([
      ['1', '岚山', '{"lat":36.10}', null],
      ['12345678901234567890', null, null, 'false'],
      ['3', null, null, null],
    ]);
    expect(reader.issues.map((i) => [i.kind, i.row])).toEqual([
      ['invalid_json_line', 4],
      ['invalid_json_line', 5],
    ]);
  });

  it('skips a line nested deeper than the limit and truncates a value longer than the field limit', async () => {
    const deep = `{"a":${'['.repeat(10)}${']'.repeat(10)}}`;
    const long = `{"a":"${'x'.repeat(500)}"}`;
    const { rows, reader } = await read('ndjson', `{"a":1}\n${deep}\n${long}\n{"a":2}\n`, {
      maxJsonDepth: 5,
      maxFieldBytes: 100,
    });
    expect(rows).toEqual([['1'], ['x'.repeat(100)], ['2']]);
    expect(reader.issues.map((i) => [i.kind, i.row])).toEqual([
      ['invalid_json_line', 2],
      ['truncated_field', 3],
    ]);
  });
});

describe('openRows on GeoJSON', () => {
  it('reads properties, geometry as GeoJSON text and point coordinates', async () => {
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { 名称: '市政府', 编号: 1 },
          geometry: { type: 'Point', coordinates: [119.32, 35.42] },
        },
        {
          type: 'Feature',
          id: 'p2',
          properties: { 名称: '滨海公园', 面积: 12.5 },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [119, 35],
                [119.1, 35],
                [119.1, 35.1],
                [119, 35],
              ],
            ],
          },
        },
        { type: 'Feature', properties: null, geometry: null },
      ],
    });
    const { reader, rows } = await read('geojson', geojson);
    expect(reader.labels).toEqual(['名称', '编号', '面积', 'geometry', 'longitude', 'latitude']);
    expect(rows).toEqual([
      ['市政府', '1', null, '{"type":"Point","coordinates":[119.32,35.42]}', '119.32', '35.42'],
      [
        '滨海公园',
        null,
        '12.5',
        '{"type":"Polygon","coordinates":[[[119,35],[119.1,35],[119.1,35.1],[119,35]]]}',
        null,
        null,
      ],
      [null, null, null, null, null, null],
    ]);
  });

  it('has no coordinate columns without points and rejects a file with no features', async () => {
    const line =
      '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}]}';
    const { reader } = await read('geojson', line);
    expect(reader.labels).toEqual(['a', 'geometry']);
    expect(await codeOf('geojson', '{"type":"FeatureCollection","features":[]}')).toBe('datastore.no_rows');
  });
});
