# One image for every app; the command picks which one runs (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PRISMA_SCHEMA_ENGINE_BINARY=/bin/true
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.base.json tsconfig.json .swcrc ./
RUN npm ci --no-audit --no-fund
COPY apps ./apps
COPY libs ./libs
RUN npm run db:generate
ENV HOST=0.0.0.0
CMD ["node", "--import", "@swc-node/register/esm-register", "apps/platform/src/main.ts"]
