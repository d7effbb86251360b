// Runs once before all test files. Services that tests share (a PostgreSQL server) start here.
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
