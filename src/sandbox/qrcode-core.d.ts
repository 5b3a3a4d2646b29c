/** The `qrcode` package's encoder core (its renderers are not used: see src/sandbox/png.ts). */
declare module 'qrcode/lib/core/qrcode' {
  export function create(
    text: string,
    options: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' },
  ): { modules: { size: number; get(row: number, col: number): boolean | number } };
}
