# The one recipe of the three service images: app/ (the service every node runs), controller/ (the local
# stack's autoscaler and healer) and logsink/ (the access-log service: syslog receiver + scheduled report).
# Each is built with its own directory as the build context (this file sent along as its Dockerfile),
# SERVICE=<its directory> and --target <its directory>: lib/serviceImage.ts says how, and every build of these
# images goes through it (components/hooks/appImage.ts locally, components/aws/appImage.ts for ECR).
#
# Multi-stage: the build stage has the TypeScript compiler and dev deps; the runtime stage only dist/ +
# production node_modules. BASE_IMAGE is shared by both stages so that the native ABI and Node version the deps
# were installed with is the one they run with. Offline machines pass --build-arg BASE_IMAGE=cloudlab/node:bookworm
# (Debian's Node 18).
ARG BASE_IMAGE=node:22-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /build
# Lockfile first: this layer (the slow npm ci) is reused until dependencies change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=warn
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc && npm prune --omit=dev --no-audit --no-fund --loglevel=warn

FROM ${BASE_IMAGE} AS runtime
# The service's directory in the image: /app, /controller or /logsink.
ARG SERVICE
WORKDIR /${SERVICE}
ENV NODE_ENV=production
# Files stay root-owned and read-only to the service's user: what a service writes goes to a volume.
COPY --from=build /build/package.json ./
COPY --from=build /build/node_modules ./node_modules
COPY --from=build /build/dist ./dist
# node as PID 1 handles SIGTERM itself.
CMD ["node", "dist/main.js"]

# What differs per service, one stage each (the build's --target). The user is numeric everywhere: the offline
# base image has no "node" user to name.

FROM runtime AS app
USER 10001:10001
EXPOSE 3000
# No HEALTHCHECK here on purpose: the node's check is declared on the container, in one place
# (components/local/healthcheck.ts), because the docker provider's `wait` and the diff of a changed check
# work from what the container declares. On AWS nothing reads Docker's health (the ALB checks /health itself),
# so an image check would only spend the node's CPU.
# The cluster primary drains the workers on SIGTERM: a stop may take DRAIN_SECONDS + 35 s
# (app/src/drainBound.ts stopBoundSeconds): give `docker stop -t` that much.

FROM runtime AS controller
# It needs no file access at all: Docker is reached over TCP through the stack's socket proxy, never through a
# socket of its own.
USER 10001:10001

FROM runtime AS logsink
# The volume mounted at /var/lib/cloudlab is created from this directory, so it belongs to the service's user too.
RUN mkdir -p /var/lib/cloudlab && chown 10001:10001 /var/lib/cloudlab
USER 10001:10001
