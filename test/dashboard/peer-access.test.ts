// Expiry and access schedules on the dashboard's side, against a real wireguard-go local node on both
// engines: time zones and schedules checked for meaning (a 400 naming the field, nothing changed), every
// peer's desired state carrying its access (the peer's own schedule, else its configuration's default),
// and changes of expiry, schedule or default schedule reaching the node in a new revision.
import type { AccessSchedule, InterfaceState } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InterfaceRow } from "../../packages/dashboard/src/interfaces/interface.repository.js";
import { forEachEngine } from "../support/databases.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

const OFFICE: AccessSchedule = {
  timeZone: "Europe/Berlin",
  windows: [{ days: [1, 2, 3, 4, 5], from: "08:00", to: "18:00" }],
};
const WEEKEND: AccessSchedule = { timeZone: "UTC", windows: [{ days: [0, 6], from: "00:00", to: "24:00" }] };
const FAR = "2099-01-01T00:00:00.000Z";

describe.skipIf(skip)("expiry and access schedules reach the node", () => {
  forEachEngine("peer access", (open) => {
    let f: LocalNodeFixture;

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f, { timeZone: "Europe/Berlin", defaultSchedule: OFFICE });
    });

    afterAll(async () => {
      await f?.close();
    });

    const iface = async (): Promise<InterfaceRow> => {
      const row = await f.t.context.db
        .selectFrom("interfaces")
        .selectAll()
        .where("name", "=", f.name)
        .executeTakeFirstOrThrow();
      return row;
    };
    const desired = async (): Promise<InterfaceState> =>
      f.t.context.services.interfaces.desiredState(await iface());
    const specOf = async (publicKey: string) =>
      (await desired()).peers.find((peer) => peer.publicKey === publicKey);
    /** The revision the local node holds for the interface (its health), and the database's. */
    const revisions = async () => {
      const { health } = await f.t.context.services.nodeTransports.get("local").health();
      const node = health.interfaces.find((i) => i.name === f.name)?.revision;
      return { node, database: Number((await iface()).revision) };
    };
    async function snapshot() {
      const db = f.t.context.db;
      return {
        configurations: await db.selectFrom("configurations").selectAll().orderBy("id").execute(),
        interfaces: await db.selectFrom("interfaces").selectAll().orderBy("id").execute(),
        peers: await db.selectFrom("peers").selectAll().orderBy("id").execute(),
        live: (await f.wg()).raw.split("\n").sort(),
      };
    }

    it("answers the configuration's time zone and default schedule", async () => {
      const got = (await f.api("GET", `/api/v1/configurations/${f.name}`)).json();
      expect(got.timeZone).toBe("Europe/Berlin");
      expect(got.defaultSchedule).toEqual(OFFICE);
    });

    let peerId = "";
    let publicKey = "";

    it("creates a peer whose spec on the node carries its expiry and the configuration's default schedule", async () => {
      const created = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, {
        name: "contractor",
        expiresAt: FAR,
      });
      expect(created.status, created.body).toBe(201);
      peerId = created.json().id;
      publicKey = created.json().publicKey;
      expect(created.json()).toMatchObject({ expiresAt: FAR, schedule: null, suspension: null });
      expect((await specOf(publicKey))?.access).toEqual({ notAfter: Date.parse(FAR), schedule: OFFICE });
      const lifecycle = (await f.api("GET", `/api/v1/peers/${peerId}/lifecycle`)).json();
      expect(lifecycle).toMatchObject({
        peerId,
        expiresAt: FAR,
        schedule: null,
        effectiveSchedule: OFFICE,
        scheduleFrom: "configuration",
        suspension: null,
        events: [],
      });
      expect(await revisions()).toEqual(expect.objectContaining({ node: (await revisions()).database }));
    });

    const bad: Array<{
      what: string;
      method: "POST" | "PATCH";
      url: () => string;
      body: unknown;
      field: string;
    }> = [
      {
        what: "configuration with an unknown time zone",
        method: "POST",
        url: () => "/api/v1/configurations",
        body: { name: "tzbad", timeZone: "Mars/Olympus_Mons" },
        field: "timeZone",
      },
      {
        what: "configuration time zone as an offset",
        method: "PATCH",
        url: () => `/api/v1/configurations/${f.name}`,
        body: { timeZone: "+01:00" },
        field: "timeZone",
      },
      {
        what: "default schedule in an unknown zone",
        method: "PATCH",
        url: () => `/api/v1/configurations/${f.name}`,
        body: { defaultSchedule: { ...OFFICE, timeZone: "Europe/Atlantis" } },
        field: "defaultSchedule.timeZone",
      },
      {
        what: "default schedule window starting at 24:00",
        method: "PATCH",
        url: () => `/api/v1/configurations/${f.name}`,
        body: { defaultSchedule: { timeZone: "UTC", windows: [{ days: [1], from: "24:00", to: "02:00" }] } },
        field: "defaultSchedule.windows[0].from",
      },
      {
        what: "default schedule without windows",
        method: "PATCH",
        url: () => `/api/v1/configurations/${f.name}`,
        body: { defaultSchedule: { timeZone: "UTC", windows: [] } },
        field: "defaultSchedule.windows",
      },
      {
        what: "peer created with a schedule in an unknown zone",
        method: "POST",
        url: () => `/api/v1/configurations/${f.name}/peers`,
        body: { name: "night owl", schedule: { ...WEEKEND, timeZone: "Nowhere" } },
        field: "schedule.timeZone",
      },
      {
        what: "peer schedule with a time of 25:00",
        method: "PATCH",
        url: () => `/api/v1/peers/${peerId}`,
        body: { schedule: { timeZone: "UTC", windows: [{ days: [1], from: "08:00", to: "25:00" }] } },
        field: "schedule.windows.0.to",
      },
      {
        what: "peer schedule with a day 7",
        method: "PATCH",
        url: () => `/api/v1/peers/${peerId}`,
        body: { schedule: { timeZone: "UTC", windows: [{ days: [7], from: "08:00", to: "09:00" }] } },
        field: "schedule.windows.0.days.0",
      },
      {
        what: "peer schedule window starting at 24:00",
        method: "PATCH",
        url: () => `/api/v1/peers/${peerId}`,
        body: { schedule: { timeZone: "UTC", windows: [{ days: [1], from: "24:00", to: "01:00" }] } },
        field: "schedule.windows[0].from",
      },
    ];

    it.each(bad)("refuses a $what: 400 naming the field, nothing changed", async (c) => {
      const before = await snapshot();
      const answer = await f.api(c.method, c.url(), c.body);
      expect(answer.status, answer.body).toBe(400);
      const { field } = answer.json().error;
      // Schema failures name a path with dots or brackets; both spell the same field.
      expect(field.replace(/\[(\d+)\]/g, ".$1")).toBe(c.field.replace(/\[(\d+)\]/g, ".$1"));
      expect(await snapshot()).toEqual(before);
    });

    it("sends the peer's own schedule instead of the default, and the default again when it is removed", async () => {
      const before = await revisions();
      const set = await f.api("PATCH", `/api/v1/peers/${peerId}`, { schedule: WEEKEND });
      expect(set.status, set.body).toBe(200);
      expect(set.json().schedule).toEqual(WEEKEND);
      expect((await specOf(publicKey))?.access).toEqual({ notAfter: Date.parse(FAR), schedule: WEEKEND });
      const after = await revisions();
      expect(after.database).toBe(before.database + 1);
      expect(after.node).toBe(after.database);

      const removed = await f.api("PATCH", `/api/v1/peers/${peerId}`, { schedule: null });
      expect(removed.json().schedule).toBeNull();
      expect((await specOf(publicKey))?.access).toEqual({ notAfter: Date.parse(FAR), schedule: OFFICE });
      expect((await revisions()).node).toBe(after.database + 1);
    });

    it("pushes a renewal and a removed expiry to the node; a change that is no change is not pushed", async () => {
      const start = await revisions();
      const renewed = await f.api("PATCH", `/api/v1/peers/${peerId}`, { expiresAt: "2100-06-30" });
      expect(renewed.json().expiresAt).toBe("2100-06-30T00:00:00.000Z");
      expect((await specOf(publicKey))?.access?.notAfter).toBe(Date.parse("2100-06-30T00:00:00.000Z"));
      expect((await revisions()).node).toBe(start.database + 1);

      // The same moment written differently: nothing for the node.
      await f.api("PATCH", `/api/v1/peers/${peerId}`, { expiresAt: "2100-06-30T02:00:00+02:00" });
      expect((await revisions()).database).toBe(start.database + 1);

      const forever = await f.api("PATCH", `/api/v1/peers/${peerId}`, { expiresAt: null });
      expect(forever.json().expiresAt).toBeNull();
      expect((await specOf(publicKey))?.access).toEqual({ schedule: OFFICE });
      expect((await revisions()).node).toBe(start.database + 2);
    });

    it("pushes a new default schedule to every peer without its own, and removes access without rules", async () => {
      const own = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, {
        name: "weekender",
        schedule: WEEKEND,
      });
      expect(own.status, own.body).toBe(201);
      const ownKey = own.json().publicKey;
      const start = await revisions();

      const changed = await f.api("PATCH", `/api/v1/configurations/${f.name}`, {
        defaultSchedule: { timeZone: "UTC", windows: [{ days: [3], from: "22:00", to: "06:00" }] },
      });
      expect(changed.status, changed.body).toBe(200);
      expect(changed.json().defaultSchedule.windows[0].from).toBe("22:00");
      expect((await specOf(publicKey))?.access?.schedule?.windows[0]?.from).toBe("22:00");
      expect((await specOf(ownKey))?.access).toEqual({ schedule: WEEKEND });
      expect(await revisions()).toEqual({ node: start.database + 1, database: start.database + 1 });

      await f.api("PATCH", `/api/v1/configurations/${f.name}`, { defaultSchedule: null, timeZone: "UTC" });
      // No expiry, no schedule: no access field at all (an older agent sees the spec it always saw).
      expect((await specOf(publicKey))?.access).toBeUndefined();
      expect((await f.api("GET", `/api/v1/configurations/${f.name}`)).json()).toMatchObject({
        timeZone: "UTC",
        defaultSchedule: null,
      });
    });

    it("shows what the node reports: an expired peer off the kernel is suspended in the DTO, the filters and the history; a renewal restores it", async () => {
      const created = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, {
        name: "lapsed",
        expiresAt: "2020-01-01",
      });
      expect(created.status, created.body).toBe(201);
      const lapsed = created.json();
      // The node keeps it in its desired state but off the kernel.
      expect((await f.wg()).peers.has(lapsed.publicKey)).toBe(false);
      await f.t.context.services.stats.pollOnce();

      const shown = (await f.api("GET", `/api/v1/peers/${lapsed.id}`)).json();
      expect(shown.suspension?.reason).toBe("expired");
      const listed = async (status: string) =>
        (await f.api("GET", `/api/v1/configurations/${f.name}/peers?status=${status}`))
          .json()
          .items.map((p: { id: string }) => p.id);
      expect(await listed("suspended")).toContain(lapsed.id);
      expect(await listed("expired")).toContain(lapsed.id);
      expect(await listed("suspended")).not.toContain(peerId);
      const history = (await f.api("GET", `/api/v1/peers/${lapsed.id}/lifecycle`)).json();
      expect(history.events.map((e: { kind: string; rule: string }) => [e.kind, e.rule])).toEqual([
        ["suspended", "expiry"],
      ]);

      const renewed = await f.api("PATCH", `/api/v1/peers/${lapsed.id}`, { expiresAt: FAR });
      expect(renewed.status, renewed.body).toBe(200);
      expect((await f.wg()).peers.has(lapsed.publicKey)).toBe(true);
      await f.t.context.services.stats.pollOnce();
      expect((await f.api("GET", `/api/v1/peers/${lapsed.id}`)).json().suspension).toBeNull();
      expect(await listed("suspended")).not.toContain(lapsed.id);
      const after = (await f.api("GET", `/api/v1/peers/${lapsed.id}/lifecycle`)).json();
      expect(after.events.map((e: { kind: string }) => e.kind)).toEqual(["restored", "suspended"]);
    });

    it("lets a viewer read a peer's lifecycle, and answers 404 for an unknown peer", async () => {
      const viewer = await f.t.createUser("viewer");
      const key = await f.t.apiKeyFor(viewer);
      const read = await f.t.app.inject({
        method: "GET",
        url: `/api/v1/peers/${peerId}/lifecycle`,
        headers: f.t.bearer(key),
      });
      expect(read.statusCode).toBe(200);
      expect(read.json().scheduleFrom).toBeNull();
      const missing = await f.api("GET", "/api/v1/peers/00000000-0000-4000-8000-000000000000/lifecycle");
      expect(missing.status).toBe(404);
    });
  });
});
