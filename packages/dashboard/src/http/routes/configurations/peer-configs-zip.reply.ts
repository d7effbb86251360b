// The answer of both configs.zip routes: the archive streamed as an attachment, never cached.
import type { FastifyReply } from "fastify";
import type { PeerConfigArchive } from "../../../peers/peer-config-archive.js";

export function sendArchive(reply: FastifyReply, archive: PeerConfigArchive): FastifyReply {
  return reply
    .header("content-type", "application/zip")
    .header("content-disposition", `attachment; filename="${archive.filename}"`)
    .header("cache-control", "no-store")
    .send(archive.stream);
}
