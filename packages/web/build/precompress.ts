// A Vite plugin that writes `.gz` and `.br` twins of every compressible file in the build output, so
// the dashboard serves them precompressed (@fastify/static `preCompressed`) without compressing on
// each request. It never touches the originals.
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Plugin, ResolvedConfig } from "vite";

const COMPRESSIBLE = /\.(html|js|mjs|css|svg|json|txt|map|webmanifest)$/;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(path) : Promise.resolve([path]);
    }),
  );
  return nested.flat();
}

/** Writes FILE.gz and FILE.br beside each compressible FILE (when smaller); returns how many files it read. */
export async function precompressDirectory(dir: string): Promise<number> {
  const files = (await filesUnder(dir)).filter((file) => COMPRESSIBLE.test(file));
  for (const file of files) {
    const content = await readFile(file);
    const gz = gzipSync(content, { level: 9 });
    const br = brotliCompressSync(content, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: (await stat(file)).size,
      },
    });
    // A twin no smaller than the file is useless: the server then sends the file itself.
    if (gz.length < content.length) await writeFile(`${file}.gz`, gz);
    if (br.length < content.length) await writeFile(`${file}.br`, br);
  }
  return files.length;
}

export function precompress(): Plugin {
  let config: ResolvedConfig;
  return {
    name: "wgfleet-precompress",
    apply: "build",
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      const outDir = join(config.root, config.build.outDir);
      const count = await precompressDirectory(outDir);
      config.logger.info(`precompressed ${count} files (.gz, .br)`);
    },
  };
}
