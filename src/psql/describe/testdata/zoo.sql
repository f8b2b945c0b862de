-- The object zoo the describe fixtures were captured from (see capture.rs): one object of every kind the
-- table-centred describe commands show, with every footer they print. Run on an empty PostgreSQL 15
-- database by a superuser; roles and the tablespace are cluster-wide, so their names start with zoo_.
SET client_min_messages = warning;

CREATE ROLE zoo_owner LOGIN CREATEDB CONNECTION LIMIT 3 VALID UNTIL '2030-01-01 00:00:00+00';
CREATE ROLE zoo_reader NOLOGIN NOINHERIT;
CREATE ROLE zoo_admin SUPERUSER CREATEROLE REPLICATION BYPASSRLS CONNECTION LIMIT 0;
CREATE ROLE zoo_plain;
GRANT zoo_reader TO zoo_owner;
GRANT zoo_plain TO zoo_owner;
COMMENT ON ROLE zoo_owner IS 'owns the zoo';
ALTER ROLE zoo_reader SET work_mem = '8MB';
ALTER ROLE zoo_reader SET statement_timeout = '5s';
ALTER ROLE zoo_owner IN DATABASE desc1zoo SET search_path = public, zoo;

CREATE TABLESPACE zoo_ts LOCATION '/tmp/desc1_ts';

CREATE SCHEMA zoo AUTHORIZATION zoo_owner;

CREATE TABLE animals (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text COLLATE "C" NOT NULL UNIQUE,
    legs int DEFAULT 4 CHECK (legs >= 0),
    weight numeric(8,2),
    doubled int GENERATED ALWAYS AS (legs * 2) STORED,
    tag varchar(10) COMPRESSION pglz,
    during tsrange,
    CONSTRAINT weight_positive CHECK (weight > 0),
    EXCLUDE USING gist (during WITH &&)
);
ALTER TABLE animals ALTER COLUMN weight SET STATISTICS 500;
ALTER TABLE animals ALTER COLUMN tag SET STORAGE external;
COMMENT ON COLUMN animals.name IS 'common name';
COMMENT ON TABLE animals IS 'all the animals';
CREATE INDEX animals_lower_idx ON animals (lower(name)) WHERE legs > 2;
CREATE INDEX animals_hash ON animals USING hash (tag);
CREATE UNIQUE INDEX animals_tag_uniq ON animals (tag) NULLS NOT DISTINCT;
CREATE INDEX animals_brin ON animals USING brin (weight) TABLESPACE zoo_ts;
CLUSTER animals USING animals_pkey;
ALTER TABLE animals REPLICA IDENTITY USING INDEX animals_name_key;
ALTER TABLE animals SET (fillfactor = 70, toast.autovacuum_enabled = false);
ALTER TABLE animals ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_read ON animals FOR SELECT TO zoo_reader, zoo_plain USING (legs > 0);
CREATE POLICY p_restrict ON animals AS RESTRICTIVE FOR UPDATE USING (true) WITH CHECK (legs < 100);
CREATE POLICY p_all ON animals USING (true);
CREATE POLICY p_insert ON animals FOR INSERT WITH CHECK (name <> '');
CREATE STATISTICS animals_stats (ndistinct, dependencies) ON legs, weight FROM animals;
CREATE STATISTICS zoo.animals_all ON legs, name FROM animals;
CREATE STATISTICS animals_expr ON (legs * 2) FROM animals;
CREATE STATISTICS animals_mcv (mcv) ON legs, (lower(name)) FROM animals;
ALTER STATISTICS zoo.animals_all SET STATISTICS 50;
COMMENT ON CONSTRAINT weight_positive ON animals IS 'no weightless animals';

CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER t_before BEFORE INSERT ON animals FOR EACH ROW EXECUTE FUNCTION trg();
CREATE TRIGGER t_disabled AFTER UPDATE OF name ON animals FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION trg();
CREATE TRIGGER t_always AFTER DELETE ON animals FOR EACH STATEMENT EXECUTE FUNCTION trg();
CREATE TRIGGER t_replica BEFORE UPDATE ON animals FOR EACH ROW EXECUTE FUNCTION trg();
ALTER TABLE animals DISABLE TRIGGER t_disabled;
ALTER TABLE animals ENABLE ALWAYS TRIGGER t_always;
ALTER TABLE animals ENABLE REPLICA TRIGGER t_replica;
COMMENT ON TRIGGER t_before ON animals IS 'before insert';

CREATE TABLE deletions (id int, at timestamptz DEFAULT now());
CREATE RULE r_log AS ON DELETE TO animals DO ALSO INSERT INTO deletions VALUES (OLD.id);
CREATE RULE r_off AS ON UPDATE TO animals WHERE NEW.legs > 1000 DO INSTEAD NOTHING;
CREATE RULE r_always AS ON INSERT TO deletions DO ALSO NOTIFY deletions;
CREATE RULE r_replica AS ON UPDATE TO deletions DO ALSO NOTIFY deletions;
ALTER TABLE animals DISABLE RULE r_off;
ALTER TABLE deletions ENABLE ALWAYS RULE r_always;
ALTER TABLE deletions ENABLE REPLICA RULE r_replica;
COMMENT ON RULE r_log ON animals IS 'logs deletes';

CREATE TABLE keepers (
    id int PRIMARY KEY,
    animal int REFERENCES animals (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    boss int REFERENCES keepers,
    badge text,
    CONSTRAINT badge_unique UNIQUE (badge) DEFERRABLE
);
ALTER TABLE keepers DISABLE TRIGGER ALL;
ALTER TABLE keepers FORCE ROW LEVEL SECURITY;
ALTER TABLE keepers ENABLE ROW LEVEL SECURITY;
CREATE TABLE shifts (keeper int, day date);
CREATE POLICY p_shift ON shifts USING (true);
CREATE TABLE forced (a int);
ALTER TABLE forced ENABLE ROW LEVEL SECURITY;

CREATE PUBLICATION pub_animals FOR TABLE animals (id, name) WHERE (id > 10), keepers;
CREATE PUBLICATION pub_all FOR ALL TABLES;
CREATE PUBLICATION pub_schema FOR TABLES IN SCHEMA zoo;

CREATE TABLE visits (id int, at date NOT NULL, animal int REFERENCES animals (id)) PARTITION BY RANGE (at);
CREATE TABLE visits_2023 PARTITION OF visits FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE visits_2024 PARTITION OF visits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (id);
CREATE TABLE visits_2024_a PARTITION OF visits_2024 FOR VALUES IN (1, 2);
CREATE TABLE visits_default PARTITION OF visits DEFAULT;
CREATE INDEX visits_at_idx ON visits (at);
CREATE TRIGGER t_visits AFTER INSERT ON visits FOR EACH ROW EXECUTE FUNCTION trg();
COMMENT ON TABLE visits IS 'visits by date';
CREATE TABLE empty_parted (a int) PARTITION BY HASH (a);
CREATE TABLE zoo.tickets (n int, kind text) PARTITION BY LIST (kind) TABLESPACE zoo_ts;
CREATE TABLE zoo.tickets_child PARTITION OF zoo.tickets FOR VALUES IN ('child');

CREATE TABLE base (a int);
CREATE TABLE base2 (b int);
CREATE TABLE child (c int) INHERITS (base, base2);
CREATE TABLE child2 () INHERITS (base);

CREATE TYPE pair AS (x int, y text COLLATE "C");
COMMENT ON COLUMN pair.x IS 'first';
CREATE TABLE pairs OF pair (PRIMARY KEY (x));

CREATE VIEW big_animals WITH (security_barrier) AS
    SELECT id, name FROM animals WHERE legs > 4 WITH LOCAL CHECK OPTION;
CREATE VIEW heavy AS SELECT id, weight FROM animals WHERE weight > 100;
CREATE RULE heavy_ins AS ON INSERT TO heavy DO INSTEAD NOTHING;
CREATE FUNCTION vtrg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
CREATE TRIGGER heavy_upd INSTEAD OF UPDATE ON heavy FOR EACH ROW EXECUTE FUNCTION vtrg();
COMMENT ON VIEW heavy IS 'heavy animals';
CREATE MATERIALIZED VIEW animal_counts WITH (fillfactor = 90) AS SELECT legs, count(*) AS n FROM animals GROUP BY legs;
CREATE UNIQUE INDEX animal_counts_legs ON animal_counts (legs);

CREATE SEQUENCE seq_plain INCREMENT 5 MINVALUE 1 MAXVALUE 1000 CYCLE CACHE 10;
CREATE UNLOGGED SEQUENCE seq_unlogged AS smallint;
CREATE TABLE serial_owner (id serial, big bigserial);
CREATE UNLOGGED TABLE scratch (a int PRIMARY KEY, b text);
ALTER TABLE scratch ALTER COLUMN b SET STORAGE main;
CREATE TABLE ri_full (a int);
ALTER TABLE ri_full REPLICA IDENTITY FULL;
CREATE TABLE ri_nothing (a int);
ALTER TABLE ri_nothing REPLICA IDENTITY NOTHING;
CREATE TABLE spaced (a int) TABLESPACE zoo_ts;
CREATE TABLE "Odd Name" ("Mixed Case" int, "with ""quote""" text);

CREATE FOREIGN DATA WRAPPER dummy_fdw;
CREATE SERVER dummy_srv FOREIGN DATA WRAPPER dummy_fdw;
CREATE FOREIGN TABLE ft (
    a int OPTIONS (column_name 'A') NOT NULL,
    b text DEFAULT 'x'
) SERVER dummy_srv OPTIONS (table_name 'remote', "quote" 'it''s');
CREATE FOREIGN TABLE ft_plain (a int) SERVER dummy_srv;
CREATE TABLE remote_parted (a int) PARTITION BY LIST (a);
CREATE FOREIGN TABLE remote_part PARTITION OF remote_parted FOR VALUES IN (1) SERVER dummy_srv;

CREATE DOMAIN posint AS int CONSTRAINT posint_check CHECK (VALUE > 0);
COMMENT ON CONSTRAINT posint_check ON DOMAIN posint IS 'positive';

GRANT SELECT, INSERT ON animals TO zoo_reader;
GRANT UPDATE (name, legs) ON animals TO zoo_reader;
GRANT SELECT (weight) ON animals TO zoo_plain;
GRANT USAGE ON SEQUENCE seq_plain TO zoo_reader;
GRANT ALL ON big_animals TO zoo_owner WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE zoo_owner IN SCHEMA public GRANT SELECT ON TABLES TO zoo_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE zoo_owner GRANT USAGE ON SEQUENCES TO zoo_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE zoo_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE zoo_owner GRANT USAGE ON TYPES TO zoo_plain;
ALTER DEFAULT PRIVILEGES FOR ROLE zoo_owner GRANT CREATE ON SCHEMAS TO zoo_reader;

CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + b;
CREATE FUNCTION greet(who text) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN 'hi ' || who;
END
$$;
CREATE FUNCTION greet(who text, n int) RETURNS text LANGUAGE sql AS $$ SELECT repeat('hi ' || who, n) $$;
CREATE PROCEDURE tidy() BEGIN ATOMIC DELETE FROM deletions; END;
