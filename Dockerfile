# One image for both processes: `node dist/apps/marketplace/src/main.js` (API) and
# `node dist/apps/worker/src/main.js` (worker).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
COPY scripts scripts
COPY bench bench
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
# The log's signing key and the OCDS exports live in /app/.data, which the unprivileged user must be able to
# create files in; docker-compose.yml mounts one volume there for the API and the worker together.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
# --max-semi-space-size: see apps/marketplace/src/node-args.ts.
CMD ["node", "--max-semi-space-size=64", "dist/apps/marketplace/src/main.js"]
