/**
 * QR images: a server's image (already validated as a base64 PNG/GIF/JPEG data URL by the protocol,
 * checked again here before it goes into img.src), or a QR drawn here from `qr_code_url` with the
 * `qrcode` library (browser build: canvas → PNG data URL). Drawn codes are cached per text.
 */
import QRCode from 'qrcode';
import { isQrDataUrl, type QrView } from '../src/shared/protocol';
import { h } from './dom';

const drawn = new Map<string, string>();
const drawing = new Map<string, Promise<string>>();

/** The PNG data URL of `text` as a QR code (black on white with a quiet zone, for any theme). */
export function drawQr(text: string): Promise<string> {
  const done = drawn.get(text);
  if (done) return Promise.resolve(done);
  let p = drawing.get(text);
  if (!p) {
    p = QRCode.toDataURL(text, {
      errorCorrectionLevel: 'M',
      margin: 2,
      width: 256,
      color: { dark: '#000000ff', light: '#ffffffff' },
    }).then((url) => {
      drawn.set(text, url);
      drawing.delete(text);
      return url;
    });
    drawing.set(text, p);
  }
  return p;
}

/**
 * The QR figure: image (or drawn code) in a frame of the server's border colour (validated), the
 * display text, and what it encodes. `onError` reports a drawing failure.
 */
export function qrFigure(qr: QrView, label: string, onError: (message: string) => void): HTMLElement {
  const img = h('img', {
    class: 'qr-image',
    attrs: { alt: `QR code: ${label}`, width: 256, height: 256, 'data-qr': qr.drawFromUrl ? 'drawn' : 'image' },
  }) as HTMLImageElement;
  if (qr.image && isQrDataUrl(qr.image)) {
    img.src = qr.image;
  } else if (qr.drawFromUrl && qr.qrUrl) {
    const text = qr.qrUrl;
    const cached = drawn.get(text);
    if (cached) img.src = cached;
    else {
      img.classList.add('qr-pending');
      drawQr(text)
        .then((url) => {
          if (isQrDataUrl(url)) img.src = url;
          img.classList.remove('qr-pending');
        })
        .catch((e: unknown) => onError(`Could not draw the QR code: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
  const frame = h('div', { class: 'qr-frame' }, img);
  // Only a validated #hex colour reaches a style property (never a stylesheet string).
  if (qr.borderColor && /^#[0-9a-fA-F]{3,8}$/.test(qr.borderColor)) frame.style.borderColor = qr.borderColor;
  else frame.classList.add('qr-frame-default');
  return frame;
}
