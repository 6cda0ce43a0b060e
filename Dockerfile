# syntax=docker/dockerfile:1
# One image per app, from this one file: docker build --build-arg APP=<app> -t account-platform/<app> .
# (or `npx nx run <app>:image`). APP is one of accounts, accounts-relay, welcome-email, abuse-scan,
# provisioning, ops. The image holds the compiled app and production dependencies only.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# Dependencies first: this layer is reused until the lock file changes. No install scripts: the
# build needs only SWC, whose native binary comes as an optional dependency.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY .swcrc tsconfig.base.json ./
COPY libs libs
COPY apps apps
COPY tools/deploy tools/deploy
COPY deploy/docker deploy/docker
ARG APP
# The same build as `npx nx run <app>:build`; it fails if the app imports a devDependency.
RUN test -n "$APP" || { echo "pass --build-arg APP=<app>" >&2; exit 1; }; \
    SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/deploy/src/build-app.ts "$APP" --out /out

FROM ${NODE_IMAGE} AS runtime
# tini as PID 1 passes SIGTERM on to node, so consumers drain and the relay releases its lock,
# and reaps what node leaves behind.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
COPY --from=build /out/package.json /out/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /out ./
# The node image's own unprivileged user, by number so Kubernetes can check runAsNonRoot.
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini", "--", "node"]
# Other entry points of the same image: migrate.js and api-keys.js (accounts).
CMD ["main.js"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "healthcheck.js"]
