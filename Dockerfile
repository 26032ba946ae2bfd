# The stsvol image: `stsvol operator` by default, any other command as args (docker run IMAGE doctor --help).
#   docker build -t ghcr.io/stsvol/stsvol:0.1.0 .
# deploy/ holds the manifests and the Helm chart that run it; docs/operator-install.md explains them.

# Build stage: the TypeScript compiler is a dev dependency and stays here.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `node` dev dependency would download a second Node.js (the image has Node 24),
# and `prepare` would compile before the sources are copied; the build is the next step.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime stage: Node, the compiled code and the production dependencies, nothing else.
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
# Files stay owned by root, so the process (user node) cannot change its own code; it writes nothing at
# run time, which is what lets the Deployment mount the root file system read-only.
COPY package.json ./
COPY bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/node_modules ./node_modules
# 1000:1000 is the image's `node` user; numeric, so runAsNonRoot can verify it without /etc/passwd.
USER 1000:1000
EXPOSE 8080
ENTRYPOINT ["node", "bin/stsvol.js"]
CMD ["operator"]
