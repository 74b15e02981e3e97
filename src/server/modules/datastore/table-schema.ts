import type { DatastoreType, DictionaryColumn, DictionaryUpdate } from '../../../contracts/datastore.ts';
import { COLUMN_SENSITIVITIES, DATASTORE_TYPES, MASK_RULES } from '../../../contracts/datastore.ts';
import { invalid } from '../../platform/errors.ts';
import { DEFAULT_NULL_TOKENS } from './types/index.ts';

// The data dictionary as a Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/),
// so dictionaries travel between Civitas, CKAN's DataStore and Frictionless tools. What the standard
// has no field for (English label, unit, sensitivity, masking, the exact column type) goes under
// `civitas:` properties, which the standard allows and other tools ignore.

const TO_FRICTIONLESS: Record<DatastoreType, string> = {
  integer: 'integer',
  bigint: 'integer',
  numeric: 'number',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'datetime',
  time: 'time',
  text: 'string',
};
const FROM_FRICTIONLESS: Record<string, DatastoreType> = {
  integer: 'integer',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  time: 'time',
  string: 'text',
  year: 'integer',
};

export interface TableSchemaField {
  name: string;
  title?: string;
  description?: string;
  type?: string;
  example?: string;
  'civitas:type'?: DatastoreType;
  'civitas:titleEn'?: string;
  'civitas:unit'?: string;
  'civitas:sensitivity'?: DictionaryColumn['sensitivity'];
  'civitas:mask'?: DictionaryColumn['mask'];
}

export interface TableSchema {
  fields: TableSchemaField[];
  primaryKey?: string[] | string;
  missingValues?: string[];
}

/** The dictionary as a Table Schema. */
export function toTableSchema(columns: readonly DictionaryColumn[], key: readonly string[]): TableSchema {
  return {
    fields: columns.map((c) => ({
      name: c.id,
      title: c.label,
      ...(c.description ? { description: c.description } : {}),
      type: TO_FRICTIONLESS[c.type],
      ...(c.example ? { example: c.example } : {}),
      'civitas:type': c.type,
      ...(c.labelEn ? { 'civitas:titleEn': c.labelEn } : {}),
      ...(c.unit ? { 'civitas:unit': c.unit } : {}),
      'civitas:sensitivity': c.sensitivity,
      'civitas:mask': c.mask,
    })),
    ...(key.length ? { primaryKey: [...key] } : {}),
    missingValues: [...DEFAULT_NULL_TOKENS],
  };
}

const fieldError = (path: string, message: string) =>
  invalid('datastore.invalid_table_schema', message, { fields: [{ path, message }] });

/** A Table Schema as corrections to the dictionary (fields matched by name; types mapped back). */
export function fromTableSchema(
  schema: unknown,
  columns: readonly DictionaryColumn[],
): DictionaryUpdate['columns'] {
  if (!schema || typeof schema !== 'object' || !Array.isArray((schema as TableSchema).fields)) {
    throw fieldError('fields', 'A Table Schema is an object with a "fields" list');
  }
  const fields = (schema as TableSchema).fields;
  if (fields.length > 1600) throw fieldError('fields', 'Too many fields');
  return fields.map((f, i) => {
    const at = `fields/${i}`;
    if (!f || typeof f !== 'object' || typeof f.name !== 'string')
      throw fieldError(at, 'Every field needs a name');
    const column = columns.find((c) => c.id === f.name);
    if (!column) throw fieldError(`${at}/name`, `The table has no column "${f.name}"`);
    const text = (v: unknown, name: string, max: number) => {
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || v.length > max)
        throw fieldError(`${at}/${name}`, `${name} must be text of at most ${max} characters`);
      return v;
    };
    const type = typeOf(f, column, at);
    const sensitivity = f['civitas:sensitivity'];
    if (sensitivity !== undefined && !COLUMN_SENSITIVITIES.includes(sensitivity))
      throw fieldError(`${at}/civitas:sensitivity`, 'Unknown sensitivity');
    const mask = f['civitas:mask'];
    if (mask !== undefined && !MASK_RULES.includes(mask))
      throw fieldError(`${at}/civitas:mask`, 'Unknown mask rule');
    const update: DictionaryUpdate['columns'][number] = { id: column.id };
    const set = <K extends keyof typeof update>(k: K, v: (typeof update)[K] | undefined) => {
      if (v !== undefined) update[k] = v;
    };
    set('label', text(f.title, 'title', 200));
    set('description', text(f.description, 'description', 1000));
    set('example', text(f.example, 'example', 200));
    set('labelEn', text(f['civitas:titleEn'], 'civitas:titleEn', 200));
    set('unit', text(f['civitas:unit'], 'civitas:unit', 50));
    set('type', type);
    set('sensitivity', sensitivity);
    set('mask', mask);
    return update;
  });
}

/** The exact type when given; else the Frictionless type, keeping a column's own when they agree. */
function typeOf(f: TableSchemaField, column: DictionaryColumn, at: string): DatastoreType | undefined {
  const exact = f['civitas:type'];
  if (exact !== undefined) {
    if (!DATASTORE_TYPES.includes(exact)) throw fieldError(`${at}/civitas:type`, 'Unknown type');
    return exact;
  }
  if (f.type === undefined) return undefined;
  if (f.type === 'datetime') return 'timestamp';
  const mapped = FROM_FRICTIONLESS[f.type];
  if (!mapped) throw fieldError(`${at}/type`, `Type "${f.type}" cannot be a DataStore column type`);
  // integer covers integer and bigint; keep what the column has when it is already one of them.
  if (mapped === 'integer' && (column.type === 'integer' || column.type === 'bigint')) return column.type;
  return mapped;
}
