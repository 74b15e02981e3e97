// Yes/no words read from a field's bytes, for the binary COPY writer (binary-rows.ts): exactly the
// TRUE_WORDS and FALSE_WORDS of types/patterns.ts, ASCII letters in any case.

/** 1 for a true word, 0 for a false word, -1 otherwise. */
export function booleanOf(buf: Uint8Array, s: number, e: number): number {
  // `| 32` lowers an ASCII letter and maps nothing else onto a lower-case letter.
  const c = buf[s]! | 32;
  switch (e - s) {
    case 1:
      if (c === 0x74 || c === 0x79 || buf[s] === 0x31) return 1; // t y 1
      if (c === 0x66 || c === 0x6e || buf[s] === 0x30) return 0; // f n 0
      return -1;
    case 2:
      return c === 0x6e && (buf[s + 1]! | 32) === 0x6f ? 0 : -1; // no
    case 3:
      if (c === 0x79 && (buf[s + 1]! | 32) === 0x65 && (buf[s + 2]! | 32) === 0x73) return 1; // yes
      if (buf[s] === 0xe6 && buf[s + 1] === 0x98 && buf[s + 2] === 0xaf) return 1; // 是
      if (buf[s] === 0xe5 && buf[s + 1] === 0x90 && buf[s + 2] === 0xa6) return 0; // 否
      return -1;
    case 4:
      return c === 0x74 &&
        (buf[s + 1]! | 32) === 0x72 &&
        (buf[s + 2]! | 32) === 0x75 &&
        (buf[s + 3]! | 32) === 0x65
        ? 1
        : -1; // true
    case 5:
      return c === 0x66 &&
        (buf[s + 1]! | 32) === 0x61 &&
        (buf[s + 2]! | 32) === 0x6c &&
        (buf[s + 3]! | 32) === 0x73 &&
        (buf[s + 4]! | 32) === 0x65
        ? 0
        : -1; // false
    default:
      return -1;
  }
}
