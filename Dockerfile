# The wgfleet dashboard (with the agent's command beside it) as a container image.
#
#   docker build -t wgfleet .                       (or: podman build -t wgfleet .)
#   docker run -d --name wgfleet -p 10086:10086 -p 51820:51820/udp \
#     --cap-add NET_ADMIN --device /dev/net/tun -v wgfleet-data:/var/lib/wgfleet \
#     -e WGFLEET_ADMIN_PASSWORD_FILE=/run/secrets/admin_password wgfleet
#
# Three stages: `build` installs the workspace's dev tooling and packs the two installable tarballs
# (scripts/pack.ts), `install` installs only those tarballs into /opt/wgfleet (compiling the native
# SQLite addon: the compilers stay in this stage), and the final stage copies that prefix onto the base
# with the WireGuard tools. BASE_IMAGE is any Debian-based image with Node (20.19+ or 22.12+) and npm
# in /usr/local, as the official node images have them; CI builds on a base made with debootstrap.
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BASE_IMAGE} AS build
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
WORKDIR /src
# The manifests first: the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/wireguard/package.json packages/wireguard/
COPY packages/agent/package.json packages/agent/
COPY packages/dashboard/package.json packages/dashboard/
COPY packages/web/package.json packages/web/
# No install scripts: nothing here runs the native SQLite addon (the install stage builds its own), and
# esbuild and rollup find their platform binaries in their optional dependencies.
RUN npm ci --ignore-scripts --loglevel=error
COPY . .
RUN npm run -s build && npx tsx scripts/pack.ts --no-build --out /release

FROM ${BASE_IMAGE} AS install
# better-sqlite3 is compiled from source against the base's own Node headers: no prebuilt binary is
# downloaded (that would need github.com), only the Debian mirror and the npm registry are used.
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
    npm_config_build_from_source=true npm_config_nodedir=/usr/local
RUN if ! command -v g++ >/dev/null || ! command -v make >/dev/null || ! command -v python3 >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends g++ make python3 \
      && rm -rf /var/lib/apt/lists/*; \
    fi
COPY --from=build /release/ /release/
RUN npm install -g --prefix /opt/wgfleet --loglevel=error /release/wgfleet-agent-*.tgz /release/wgfleet-dashboard-*.tgz \
    && rm -rf /root/.npm

FROM ${BASE_IMAGE}
# A fixed uid and gid (10086), so files given to the container (secrets, a data dir) can be owned by it.
# Only what the local node runs (ip, wg, wireguard-go where the kernel has no WireGuard module); skipped
# when the base already has them.
RUN if ! command -v wg >/dev/null || ! command -v wireguard-go >/dev/null || ! command -v ip >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends wireguard-tools wireguard-go iproute2 \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
    && groupadd --gid 10086 wgfleet \
    && useradd --uid 10086 --gid wgfleet --no-create-home --home-dir /var/lib/wgfleet --shell /usr/sbin/nologin wgfleet \
    && install -d -o wgfleet -g wgfleet -m 0700 /var/lib/wgfleet \
    && install -d -o wgfleet -g wgfleet -m 0755 /var/run/wireguard
COPY --from=install /opt/wgfleet /opt/wgfleet
COPY container/entrypoint.sh container/healthcheck.mjs /opt/wgfleet/container/
ENV PATH=/opt/wgfleet/bin:$PATH \
    NODE_ENV=production \
    WGFLEET_LISTEN=0.0.0.0:10086 \
    WGFLEET_DATA_DIR=/var/lib/wgfleet
VOLUME /var/lib/wgfleet
EXPOSE 10086 51820/udp
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/opt/wgfleet/container/healthcheck.mjs"]
# The entrypoint starts as root only to hand CAP_NET_ADMIN (when the container has it) to the
# unprivileged user wgfleet as an ambient capability, then runs the command as that user.
ENTRYPOINT ["/opt/wgfleet/container/entrypoint.sh"]
CMD ["wgfleet", "serve"]
