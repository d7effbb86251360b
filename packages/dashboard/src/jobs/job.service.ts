// Reading a job's progress. Jobs are made and run by the work they belong to (drain/).
import { type JobDto, NotFoundError } from "@wgfleet/core";
import { toJobDto } from "./job.mapper.js";
import type { JobRepository } from "./job.repository.js";

export class JobService {
  constructor(private readonly jobs: JobRepository) {}

  /** `GET /api/v1/jobs/:id`. */
  async get(id: string): Promise<JobDto> {
    const job = await this.jobs.findById(id);
    if (!job) throw new NotFoundError(`job ${id}`);
    return toJobDto(job, await this.jobs.items(id));
  }
}
