/**
 * Code that verifies a PerfectPay webhook (perfectpay-api.md, "Webhooks and events"), to paste in a
 * handler: the `X-Webhook-Signature-512` header against the lower-case hex HMAC-SHA512 of the RAW
 * body, keyed with the webhook secret, compared in constant time, and only then the JSON parsed.
 * The secret is read from the environment (PERFECTPAY_WEBHOOK_SECRET): never written into the code.
 */
export type WebhookCodeLanguage = 'node' | 'python';

export const WEBHOOK_SECRET_VARIABLE = 'PERFECTPAY_WEBHOOK_SECRET';

const NODE = `// Verifies a PerfectPay webhook before trusting it (Node 18+, no dependencies).
// Give it the RAW body bytes (e.g. express.raw({ type: 'application/json' })), not parsed JSON.
const crypto = require('node:crypto');

function verifyPerfectPayWebhook(rawBody, signatureHeader, secret = process.env.${WEBHOOK_SECRET_VARIABLE}) {
  if (!secret) throw new Error('Set ${WEBHOOK_SECRET_VARIABLE} to the webhook secret');
  const expected = Buffer.from(crypto.createHmac('sha512', secret).update(rawBody).digest('hex'), 'utf8');
  const given = Buffer.from(String(signatureHeader || ''), 'utf8');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  // Only a verified body is parsed: { merchant_id, event_id, event_type, content: { type, object }, timestamp }
  return JSON.parse(Buffer.from(rawBody).toString('utf8'));
}

// Express:
//   app.post('/webhooks', express.raw({ type: 'application/json' }), (req, res) => {
//     const event = verifyPerfectPayWebhook(req.body, req.get('X-Webhook-Signature-512'));
//     if (!event) return res.sendStatus(400);
//     // event.event_type: payment_succeeded, payment_failed, refund_succeeded, ...
//     res.sendStatus(200);
//   });
module.exports = { verifyPerfectPayWebhook };
`;

const PYTHON = `# Verifies a PerfectPay webhook before trusting it (Python 3, standard library only).
# Give it the RAW body bytes (Flask: request.get_data()), not parsed JSON.
import hashlib
import hmac
import json
import os


def verify_perfectpay_webhook(raw_body: bytes, signature_header, secret=None):
    secret = secret or os.environ.get("${WEBHOOK_SECRET_VARIABLE}")
    if not secret:
        raise RuntimeError("Set ${WEBHOOK_SECRET_VARIABLE} to the webhook secret")
    expected = hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha512).hexdigest()
    if not hmac.compare_digest(expected, signature_header or ""):
        return None
    # Only a verified body is parsed: merchant_id, event_id, event_type, content {type, object}, timestamp
    return json.loads(raw_body.decode("utf-8"))

# Flask:
#   @app.post("/webhooks")
#   def webhooks():
#       event = verify_perfectpay_webhook(request.get_data(), request.headers.get("X-Webhook-Signature-512"))
#       if event is None:
#           return "", 400
#       # event["event_type"]: payment_succeeded, payment_failed, refund_succeeded, ...
#       return "", 200
`;

export function webhookVerificationCode(language: WebhookCodeLanguage): string {
  return language === 'node' ? NODE : PYTHON;
}
