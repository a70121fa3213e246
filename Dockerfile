# syntax=docker/dockerfile:1
# The same install CI runs (npm ci from the lockfile), the build to JavaScript (which typechecks src/
# and commands/), then a slim image with production dependencies and dist/ only, run by node itself
# (no tsx, no npm in the signal path) as a non-root user with the data directory as a volume.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# sqlite3 compiles its native addon when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts ./scripts/
COPY src ./src
COPY commands ./commands
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json ./
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8790
CMD ["node", "dist/src/main.js"]
