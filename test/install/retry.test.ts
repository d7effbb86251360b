// scripts/lib.sh's `retry`, which the install steps wrap around apt-get and npm ci: a command that fails
// now and then is run again until it succeeds, and one that keeps failing is given up after 5 tries.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const LIB = fileURLToPath(new URL("../../scripts/lib.sh", import.meta.url));

/** Sources lib.sh and runs `retry` on a command that succeeds on try `succeedOn` (0: never). */
function retryRun(succeedOn: number): Promise<{ code: number; tries: number; stderr: string }> {
  const script = `source "${LIB}"; n=0; try() { n=$((n+1)); [ ${succeedOn} -ne 0 ] && [ $n -ge ${succeedOn} ]; }; retry try; code=$?; echo "$n"; exit $code`;
  return new Promise((resolve) => {
    execFile(
      "bash",
      ["-c", script],
      { env: { ...process.env, RETRY_DELAY_SECONDS: "0" } },
      (error, stdout, stderr) => {
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          tries: Number(stdout.trim()),
          stderr,
        });
      },
    );
  });
}

describe("retry (scripts/lib.sh)", () => {
  it("runs a failing command again until it succeeds", async () => {
    const result = await retryRun(3);
    expect(result).toMatchObject({ code: 0, tries: 3 });
    expect(result.stderr).toContain("attempt 2 of try failed; retrying in 0s");
  });

  it("gives up after 5 tries with the command's name", async () => {
    const result = await retryRun(0);
    expect(result).toMatchObject({ code: 1, tries: 5 });
    expect(result.stderr).toContain("failed 5 times: try");
  });
});
