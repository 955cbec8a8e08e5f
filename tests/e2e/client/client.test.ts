// A client generated from ../../openapi/v1.json (openapi-typescript types + openapi-fetch calls),
// used against the running API. run.sh generates ../artifacts/generated/v1.d.ts, type-checks this
// file with tsc (strict), then runs the compiled JavaScript with node's test runner.
// BASE_URL is the API's address, e.g. http://127.0.0.1:5123.
import { test } from "node:test";
import assert from "node:assert/strict";
import createClient from "openapi-fetch";
import type { components, paths } from "../artifacts/generated/v1.js";

const baseUrl = process.env.BASE_URL;
if (!baseUrl) throw new Error("BASE_URL is not set (run tests/e2e/run.sh)");

// JSON answers and problems (each 200 also lists text/csv and some application/geo+json). Multi-valued
// filters are declared `style: form, explode: false` (indicator=a,b): say so.
const api = createClient<paths, "application/json" | "application/problem+json">({ baseUrl, querySerializer: { array: { style: "form", explode: false } } });

type Statistic = components["schemas"]["StatisticResponse"];

// Compile-time checks on the generated types: they are real types, not `any`, and the fields
// the tests read have the types the contract gives them. tsc fails the run if one does not hold.
type IsAny<T> = 0 extends 1 & T ? true : false;
type Assert<T extends true> = T;
type Is<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Checks = [
  Assert<Is<IsAny<Statistic>, false>>,
  Assert<Is<NonNullable<Statistic["value"]>, number>>,
  Assert<Is<NonNullable<Statistic["id"]>, string>>,
  Assert<Is<NonNullable<Statistic["quote"]>, string>>,
  Assert<Is<NonNullable<components["schemas"]["CollectionMeta"]["dataVersion"]>, string>>,
  Assert<Is<NonNullable<components["schemas"]["ItemMeta"]["dataVersion"]>, string>>,
  Assert<Is<NonNullable<paths["/v1/statistics"]["get"]["parameters"]["query"]>["limit"], number | undefined>>,
];

/** A value the contract says is there: narrow it, or fail the test naming it. */
function present<T>(value: T | null | undefined, what: string): T {
  assert.ok(value !== undefined && value !== null, `${what} is missing`);
  return value;
}

test("generated client: GET /v1/statistics?limit=2 gives two typed statistics", async () => {
  const { data, error, response } = await api.GET("/v1/statistics", { params: { query: { limit: 2 } } });
  assert.equal(response.status, 200, JSON.stringify(error));
  const page = present(data, "body");
  const items = present(page.data, "data");
  assert.equal(items.length, 2);
  const first: Statistic = present(items[0], "data[0]");
  const value: number = present(first.value, "data[0].value");
  assert.equal(typeof value, "number");
  assert.ok(Number.isFinite(value));
  assert.equal(typeof present(first.id, "data[0].id"), "string");
  assert.equal(typeof present(first.quote, "data[0].quote"), "string");
  const meta = present(page.meta, "meta");
  const dataVersion: string = present(meta.dataVersion, "meta.dataVersion");
  assert.equal(typeof dataVersion, "string");
  assert.ok(dataVersion.length > 0);
  assert.equal(meta.count, 2);
  assert.equal(meta.limit, 2);
  assert.equal(typeof present(page.links, "links").next, "string", "a second page exists");
});

test("generated client: GET /v1/statistics/{id} with an id from the list", async () => {
  const list = await api.GET("/v1/statistics", { params: { query: { limit: 2 } } });
  const id = present(list.data?.data?.[1]?.id, "data[1].id");

  const { data, error, response } = await api.GET("/v1/statistics/{id}", { params: { path: { id } } });
  assert.equal(response.status, 200, JSON.stringify(error));
  const item = present(data, "body");
  const statistic: Statistic = present(item.data, "data");
  assert.equal(statistic.id, id);
  assert.equal(typeof present(statistic.value, "data.value"), "number");
  assert.equal(statistic.value, list.data?.data?.[1]?.value, "the item has the value the list gave");
  assert.equal(typeof present(item.meta?.dataVersion, "meta.dataVersion"), "string");
  assert.equal(item.meta?.dataVersion, list.data?.meta?.dataVersion);
  assert.ok(["eq", "approx", "gt", "gte", "lt", "lte"].includes(present(statistic.comparator, "comparator")));
  assert.equal(present(statistic.links?.self, "links.self"), `${baseUrl}/v1/statistics/${id}`);
});

test("generated client: a multi-valued filter and an enum, as the document declares them", async () => {
  const { data, response } = await api.GET("/v1/statistics", {
    params: { query: { indicator: ["registered-volunteers", "service-circles-coverage"], kind: ["actual"], limit: 1000 } },
  });
  assert.equal(response.status, 200);
  assert.match(response.url, /indicator=registered-volunteers,service-circles-coverage/);
  const items = present(data?.data, "data");
  assert.ok(items.length > 0);
  for (const s of items) {
    assert.ok(["registered-volunteers", "service-circles-coverage"].includes(s.indicator?.id ?? ""), s.id);
    assert.equal(s.kind, "actual");
  }
});

test("generated client: an unknown id is a typed 404 problem", async () => {
  const { data, error, response } = await api.GET("/v1/statistics/{id}", { params: { path: { id: "no-such-statistic" } } });
  assert.equal(response.status, 404);
  assert.equal(data, undefined);
  assert.match(response.headers.get("content-type") ?? "", /^application\/problem\+json/);
  assert.equal(present(error, "problem").status, 404);
});
