# syntax=docker/dockerfile:1
# Gatehouse: build with the full toolchain, run with production dependencies only.
#   docker build -t gatehouse .
#   docker run -p 3000:3000 -e SESSION_KEYS=... -v gatehouse-data:/app/data gatehouse      (embedded SQLite)
# or `docker compose up` for two instances behind Caddy on MySQL 8 and Redis 7 (docker-compose.yml, docs/scaling.md;
# docker-compose.postgres.yml for the same on PostgreSQL 17).
# Node 24 is the active LTS (Node 20 reached end of life in April 2026).

FROM node:24-slim AS build
WORKDIR /app
# No compiler toolchain: better-sqlite3 13 ships prebuilt Node-API binaries (glibc and musl, x64 and arm64).
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ormconfig.ts ./
COPY src ./src
# Compile (dist/src/main.js, dist/src/cli/cli.js, dist/ormconfig.js), then drop the dev
# dependencies; the native module built above stays, and matches the runtime image's Node.
RUN npx nest build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=sqlite:/app/data/gatehouse.sqlite
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# app.factory.ts finds views/ and public/ two levels above dist/src/.
COPY views ./views
COPY public ./public
# The only writable place: the SQLite default. Code stays root-owned and read-only to the app.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Pending migrations are applied at start (DB_MIGRATIONS_RUN=true by default).
# Operators' CLI in a running container: docker compose exec app1 node dist/src/cli/cli.js --help
CMD ["node", "dist/src/main.js"]
