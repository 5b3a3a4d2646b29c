# The PerfectPay sandbox in a container: `perfectpay sandbox` (dist/perfectpay.js, self-contained) on
# 0.0.0.0:4242, as a non-root user, its key from the environment.
#
#   docker build -t perfectpay-sandbox .
#   docker run --rm -p 4242:4242 -e PERFECTPAY_API_KEY=sk_test_ci perfectpay-sandbox
#   curl http://localhost:4242/health        # {"status":"ok"}
#
# PERFECTPAY_API_KEY is required (the sandbox listens beyond loopback only with a key given); extra flags
# go after the image name: `docker run … perfectpay-sandbox sandbox --host 0.0.0.0 --seed 25`.

# ---- build: the one bundle, from the sources
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY esbuild.mjs tsconfig.json ./
COPY scripts/undici-slim.mjs scripts/
COPY src src
RUN node esbuild.mjs --production --only cli

# ---- run: Node and that file only (no node_modules)
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/dist/perfectpay.js /app/perfectpay.js
# The node image's own unprivileged user (uid 1000).
USER node
EXPOSE 4242
# Node, not curl (the slim image has none): healthy when GET /health answers 200.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4242/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node handles SIGTERM itself (`docker stop` stops the sandbox cleanly, exit 0), also as PID 1.
ENTRYPOINT ["node", "/app/perfectpay.js"]
CMD ["sandbox", "--host", "0.0.0.0", "--port", "4242"]
