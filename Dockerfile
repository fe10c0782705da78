# The audit server (server/) as a container image, apart from the desktop installers:
#   docker build -t rpa-audit-server .
#   docker run -p 4790:4790 -v audit-data:/data rpa-audit-server          # PGlite in /data
#   docker run -p 4790:4790 -e DATABASE_URL=postgres://… rpa-audit-server  # or PostgreSQL
# Configuration as for `npm run server` (README, "The audit server"); the first start prints the
# admin token once. It holds only the compiled server and audit library and their packages.

# 1. Compile the server and the audit library (nothing else of the project).
FROM node:20-slim AS build
WORKDIR /src
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
# No install scripts: the desktop app's native modules and Electron are not needed to compile.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY audit ./audit
COPY server ./server
COPY scripts/server-package.mjs ./scripts/
RUN npx tsc -p server/tsconfig.json \
 && node scripts/server-package.mjs /out \
 && cp -r dist /out/dist \
 && mkdir -p /out/server/console \
 && cp -r server/console/static /out/server/console/static

# 2. The image: the compiled server, its console's static files and its own packages.
FROM node:20-slim
WORKDIR /app
COPY --from=build /out ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force \
 && mkdir /data && chown node:node /data
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4790 AUDIT_DATA_DIR=/data
USER node
VOLUME /data
EXPOSE 4790
CMD ["node", "--max-semi-space-size=64", "dist/server/main.js"]
