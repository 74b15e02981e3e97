import type { FileMetaData, SchemaElement } from 'hyparquet';

// hyparquet turns DECIMAL into a double, so DECIMAL(38,10) loses digits past the 15th. The reader
// therefore hands hyparquet a schema with the DECIMAL annotation of its top-level decimal columns
// removed: hyparquet then yields the stored unscaled integer (INT32 number, INT64 bigint, bytes for
// FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY — the reader reads with `utf8: false`, so BYTE_ARRAY stays
// bytes), and the text is written from it with BigInt arithmetic, exact at any precision.

/** Whether a schema element is annotated DECIMAL (the converted type, the logical type, or both). */
export function isDecimal(element: SchemaElement): boolean {
  return element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL';
}

/** The element's scale, from whichever annotation carries it. */
export function decimalScale(element: SchemaElement): number {
  const logical = element.logical_type;
  return element.scale ?? (logical?.type === 'DECIMAL' ? logical.scale : 0) ?? 0;
}

/** The metadata to read with: the given decimal elements without their DECIMAL annotation. */
export function withoutDecimalAnnotation(metadata: FileMetaData, decimals: Set<SchemaElement>): FileMetaData {
  if (decimals.size === 0) return metadata;
  return {
    ...metadata,
    schema: metadata.schema.map((e) =>
      decimals.has(e) ? { ...e, converted_type: undefined, logical_type: undefined } : e,
    ),
  };
}

/** The unscaled integer as stored: a number (INT32), a bigint (INT64), or big-endian two's complement bytes. */
export function unscaled(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (!(value instanceof Uint8Array)) return undefined;
  if (value.length === 0) return 0n;
  let n = 0n;
  for (const byte of value) n = (n << 8n) | BigInt(byte);
  // The top bit of the first byte is the sign.
  return value[0]! & 0x80 ? n - (1n << BigInt(value.length * 8)) : n;
}

/** An unscaled integer as plain decimal text with `scale` digits after the point (123456, 2 → "1234.56"). */
export function decimalText(unscaledValue: bigint, scale: number): string {
  const negative = unscaledValue < 0n;
  let digits = (negative ? -unscaledValue : unscaledValue).toString();
  let text: string;
  if (scale <= 0) text = digits === '0' ? digits : digits + '0'.repeat(-scale);
  else {
    digits = digits.padStart(scale + 1, '0');
    text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return negative ? `-${text}` : text;
}
