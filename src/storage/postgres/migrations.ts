/**
 * PostgreSQL schema, as versioned migrations (see shared/migrations.ts), for
 * one schema `s` (already quoted). Applied versions are rows of
 * `s.kindred_migrations`; the `meta` table says "this is a Kindred schema".
 * Never edit a released migration: add the next one.
 *
 * Seqs: `log_head` holds the last seq handed out. Appends and forgets lock
 * that row, number their rows from it and move it on in the same
 * transaction, so seqs are dense, shared by events and tombstones, and
 * commit in seq order: a reader tailing `seq > n` can never miss a row that
 * commits later with a smaller seq (which a plain SEQUENCE allows).
 */
import { APP_NAME } from "../shared/identity.js";
import type { Migration } from "../shared/migrations.js";

const EVENT_TYPES_SQL = "('rating', 'purchase', 'view', 'like', 'dislike')";

export function postgresMigrations(s: string): readonly Migration[] {
  return [
    {
      version: 1,
      name: "initial schema",
      up: [
        `CREATE TABLE ${s}.meta (key text PRIMARY KEY, value text NOT NULL)`,
        `INSERT INTO ${s}.meta (key, value) VALUES ('app', '${APP_NAME}'),
           ('created_at', (extract(epoch FROM now()) * 1000)::bigint::text)`,
        `CREATE TABLE ${s}.log_head (id int PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL)`,
        `INSERT INTO ${s}.log_head (id, seq) VALUES (1, 0)`,
        `CREATE TABLE ${s}.domains (
          name text PRIMARY KEY,
          scale_min double precision NOT NULL,
          scale_max double precision NOT NULL,
          scale_step double precision NOT NULL,
          CHECK (scale_max > scale_min AND scale_step > 0)
        )`,
        `INSERT INTO ${s}.domains (name, scale_min, scale_max, scale_step) VALUES ('default', 1, 5, 1)`,
        `CREATE TABLE ${s}.items (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          external_id text NOT NULL UNIQUE,
          title text,
          domain text NOT NULL REFERENCES ${s}.domains (name),
          categories jsonb NOT NULL DEFAULT '[]',
          attributes jsonb NOT NULL DEFAULT '{}',
          available boolean NOT NULL DEFAULT true
        )`,
        `CREATE INDEX items_domain ON ${s}.items (domain)`,
        `CREATE TABLE ${s}.customers (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          external_id text NOT NULL UNIQUE,
          attributes jsonb NOT NULL DEFAULT '{}',
          specs jsonb NOT NULL DEFAULT '{}',
          created_at bigint NOT NULL
        )`,
        `CREATE TABLE ${s}.events (
          seq bigint PRIMARY KEY,
          customer bigint NOT NULL REFERENCES ${s}.customers (id) ON DELETE CASCADE,
          item bigint NOT NULL REFERENCES ${s}.items (id),
          type text NOT NULL CHECK (type IN ${EVENT_TYPES_SQL}),
          value double precision,
          quantity double precision,
          amount double precision,
          ts bigint NOT NULL,
          channel text NOT NULL,
          event_id text
        )`,
        `CREATE UNIQUE INDEX events_event_id ON ${s}.events (event_id) WHERE event_id IS NOT NULL`,
        `CREATE INDEX events_customer_seq ON ${s}.events (customer, seq)`,
        `CREATE TABLE ${s}.tombstones (seq bigint PRIMARY KEY, customer text NOT NULL, forgotten_at bigint NOT NULL)`,
        `CREATE TABLE ${s}.models (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          kind text NOT NULL,
          created_at bigint NOT NULL,
          active boolean NOT NULL DEFAULT false,
          trained_through_seq bigint NOT NULL,
          meta jsonb NOT NULL DEFAULT '{}',
          bytes bytea NOT NULL
        )`,
        `CREATE UNIQUE INDEX models_one_active ON ${s}.models (kind) WHERE active`,
        `CREATE INDEX models_kind ON ${s}.models (kind, id)`,
        `CREATE TABLE ${s}.settings (key text PRIMARY KEY, value jsonb NOT NULL)`,
        `CREATE TABLE ${s}.api_keys (
          position bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
          id text PRIMARY KEY,
          name text NOT NULL,
          hash text NOT NULL UNIQUE,
          scopes jsonb NOT NULL,
          channel text NOT NULL,
          customer text,
          created_at bigint NOT NULL,
          revoked_at bigint
        )`,
        `CREATE INDEX api_keys_customer ON ${s}.api_keys (customer)`,
      ],
    },
  ];
}
