# Parley in a container: build stage (all dependencies, vite build of the app and the process),
# then a slim runtime stage with production dependencies only, running as a non-root user.
# Build: docker build -t parley .   Run: see compose.yaml and docs/deployment.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# Both builds (SvelteKit handler and the process entry with the operator commands), and the stamp
# `npm start` checks, so the container never rebuilds at start.
RUN node -e "import('./server/start.js').then((m) => m.build())"

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/build ./build
COPY --from=build /app/server/start.js /app/server/serve.js ./server/
COPY --from=build /app/scripts ./scripts
# DATA_DIR: embedded database, uploads, backups, generated keys. Owned by the unprivileged user.
RUN mkdir -p /data && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# /readyz answers 200 once the database is reachable and the relay accepts sockets.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server/serve.js"]
