# One image for api and collector (docker-compose.yml); the dashboard is built into apps/web/dist
# and served by the API. .dockerignore keeps node_modules, .stride data and .env secrets out.
FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build -w @stride/web && npm run build -w @stride/api
ENV HOST=0.0.0.0 PORT=3000 WEB_DIST_DIR=/app/apps/web/dist
EXPOSE 3000
# The API as compiled JS (apps/api/dist/server.js), not through tsx: tsx's loader thread is a
# second V8 heap, ~70 MB of RSS (docs/benchmarks.md, API under load).
CMD ["node", "apps/api/dist/server.js"]
