/**
 * The sandbox's QR images: the QR matrix from the `qrcode` library's core (the encoder proper), drawn
 * into a greyscale PNG with node:zlib. The library's own PNG renderer brings a whole PNG codec
 * (pngjs: decoding, filters, interlacing), 30 KB of the extension's bundle budget for a file format
 * whose writing is a header, one deflated block and three CRCs.
 */
import { deflateSync } from 'node:zlib';
// The encoder alone, without the renderers (types: src/sandbox/qrcode-core.d.ts).
import { create } from 'qrcode/lib/core/qrcode';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG (8-bit greyscale) of `text` as a QR code, `margin` modules of quiet zone, `scale` pixels a module. */
export function qrPng(text: string, o: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H'; margin: number; scale: number }): Buffer {
  const { modules } = create(text, { errorCorrectionLevel: o.errorCorrectionLevel });
  const n = modules.size;
  const side = (n + 2 * o.margin) * o.scale;
  // Each row: filter byte 0, then one byte per pixel (0 dark, 255 light).
  const raw = Buffer.alloc((side + 1) * side, 255);
  for (let y = 0; y < side; y++) {
    raw[y * (side + 1)] = 0;
    const r = Math.floor(y / o.scale) - o.margin;
    if (r < 0 || r >= n) continue;
    for (let x = 0; x < side; x++) {
      const c = Math.floor(x / o.scale) - o.margin;
      if (c >= 0 && c < n && modules.get(r, c)) raw[y * (side + 1) + 1 + x] = 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
