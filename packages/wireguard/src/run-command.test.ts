import { describe, expect, it } from "vitest";
import { CommandError, describeCommand } from "./errors.js";
import { commandLine, runCommand } from "./run-command.js";

describe("runCommand", () => {
  it("returns stdout and stderr of a successful program", async () => {
    const result = await runCommand("node", [
      "-e",
      "process.stdout.write('out'); process.stderr.write('err')",
    ]);
    expect(result).toEqual({ stdout: "out", stderr: "err" });
  });

  it("passes arguments as they are, with no shell in between", async () => {
    const tricky = "$(echo pwned); `id` | cat > /tmp/x";
    const { stdout } = await runCommand("node", ["-e", "process.stdout.write(process.argv[1])", tricky]);
    expect(stdout).toBe(tricky);
  });

  it("feeds stdin and never puts it in the error", async () => {
    const secret = "c2VjcmV0LWtleS1tYXRlcmlhbC1uZXZlci1sb2dnZWQ=";
    const { stdout } = await runCommand("cat", [], { input: secret });
    expect(stdout).toBe(secret);
    const failure = runCommand(
      "node",
      [
        "-e",
        "process.stdin.resume(); process.stdin.on('end', () => { console.error('bad key'); process.exit(3) })",
      ],
      {
        input: secret,
      },
    );
    await expect(failure).rejects.toThrow(CommandError);
    const error = (await failure.catch((e: unknown) => e)) as CommandError;
    expect(error.exitCode).toBe(3);
    expect(error.stderr).toBe("bad key");
    expect(error.message).toContain("bad key");
    expect(error.message).not.toContain(secret);
  });

  it("throws the program's own stderr text on failure", async () => {
    const error = (await runCommand("ls", ["/nonexistent-wgfleet-path"]).catch(
      (e: unknown) => e,
    )) as CommandError;
    expect(error).toBeInstanceOf(CommandError);
    expect(error.stderr).toMatch(/No such file or directory/);
    expect(error.message).toMatch(/^ls \/nonexistent-wgfleet-path: .*No such file or directory/);
    expect(error.code).toBe("NODE_ERROR");
  });

  it("says when the program does not exist", async () => {
    await expect(runCommand("wgfleet-no-such-program", [])).rejects.toThrow(
      /`wgfleet-no-such-program` not found/,
    );
  });

  it("kills a program that runs past the timeout", async () => {
    await expect(runCommand("sleep", ["5"], { timeoutMs: 100 })).rejects.toThrow(/timed out after 100 ms/);
  });

  it("does not pass our environment on unless asked", async () => {
    process.env.WGFLEET_TEST_SECRET = "do-not-leak";
    try {
      const script =
        "process.stdout.write(String(process.env.WGFLEET_TEST_SECRET) + ' ' + process.env.EXTRA)";
      expect((await runCommand("node", ["-e", script], { env: { EXTRA: "x" } })).stdout).toBe("undefined x");
      expect((await runCommand("node", ["-e", script], { inheritEnv: true })).stdout).toBe(
        "do-not-leak undefined",
      );
    } finally {
      delete process.env.WGFLEET_TEST_SECRET;
    }
  });

  it("prefixes `ip netns exec NS` when a namespace is given", () => {
    expect(commandLine("wg", ["show"], "n1")).toEqual(["ip", ["netns", "exec", "n1", "wg", "show"]]);
    expect(commandLine("wg", ["show"])).toEqual(["wg", ["show"]]);
  });
});

describe("describeCommand", () => {
  it("shows the first arguments and counts the rest", () => {
    expect(describeCommand("wg", ["set", "wd0", "peer", "K1", "allowed-ips", "A", "peer", "K2"])).toBe(
      "wg set wd0 peer K1 … (4 more arguments)",
    );
    expect(describeCommand("wg", [])).toBe("wg");
  });
});
