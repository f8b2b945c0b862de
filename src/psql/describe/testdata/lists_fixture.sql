-- The objects the transcripts of the list commands describe (see ../lists_tests.rs). As a superuser:
--   createdb desc2zoo && psql -X -q -v ON_ERROR_STOP=1 -d desc2zoo -f lists_fixture.sql
-- and, on a server built with ICU (the 15 one was):
--   CREATE COLLATION zoo.icu_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
-- The database must be called desc2zoo (the commands name it). Before dropping it: DROP SUBSCRIPTION zoo_sub.
ALTER DATABASE desc2zoo SET search_path = public, zoo;
CREATE SCHEMA zoo;
COMMENT ON SCHEMA zoo IS 'animals';
CREATE SCHEMA "Zoo Two";
CREATE TABLE zoo.t (a int, b int, c text);
CREATE TABLE "Zoo Two".t2 (x int primary key, y text);
-- functions of each kind
CREATE FUNCTION zoo.add1(i integer) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT i + 1';
COMMENT ON FUNCTION zoo.add1(integer) IS 'adds one';
CREATE FUNCTION zoo.body(a text, b text DEFAULT 'x') RETURNS text LANGUAGE sql STABLE RETURN a || b;
CREATE FUNCTION zoo.secdef() RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$BEGIN END$$;
CREATE PROCEDURE zoo.proc(INOUT n int) LANGUAGE plpgsql AS $$BEGIN n := n * 2; END$$;
CREATE FUNCTION zoo.trig() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE FUNCTION zoo.rn() RETURNS bigint LANGUAGE internal WINDOW IMMUTABLE AS 'window_row_number';
CREATE AGGREGATE zoo.mysum(integer) (SFUNC = int4pl, STYPE = integer);
COMMENT ON AGGREGATE zoo.mysum(integer) IS 'sums';
CREATE AGGREGATE zoo.cnt(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0');
GRANT EXECUTE ON FUNCTION zoo.add1(integer) TO public;
REVOKE EXECUTE ON FUNCTION zoo.secdef() FROM public;
-- types
CREATE TYPE zoo.mood AS ENUM ('sad', 'ok', 'happy');
COMMENT ON TYPE zoo.mood IS 'feelings';
CREATE TYPE zoo.pair AS (l integer, r text);
CREATE TYPE zoo.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE DOMAIN zoo.posint AS integer NOT NULL DEFAULT 1 CHECK (VALUE > 0);
COMMENT ON DOMAIN zoo.posint IS 'positive';
CREATE DOMAIN zoo.ctext AS text COLLATE "C" CHECK (VALUE <> '') CHECK (length(VALUE) < 10);
-- operators
CREATE OPERATOR zoo.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq, COMMUTATOR = ===);
COMMENT ON OPERATOR zoo.=== (integer, integer) IS 'triple equal';
CREATE OPERATOR zoo.!! (RIGHTARG = bigint, FUNCTION = int8um);
CREATE FUNCTION zoo.mood_eq(zoo.mood, zoo.mood) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1::text = $2::text';
CREATE OPERATOR zoo.=== (LEFTARG = zoo.mood, RIGHTARG = zoo.mood, FUNCTION = zoo.mood_eq);
-- text search
CREATE TEXT SEARCH PARSER zoo.prs (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype, HEADLINE = prsd_headline);
COMMENT ON TEXT SEARCH PARSER zoo.prs IS 'my parser';
CREATE TEXT SEARCH TEMPLATE zoo.tmpl (INIT = dsimple_init, LEXIZE = dsimple_lexize);
CREATE TEXT SEARCH DICTIONARY zoo.dict (TEMPLATE = zoo.tmpl, STOPWORDS = english, ACCEPT = false);
COMMENT ON TEXT SEARCH DICTIONARY zoo.dict IS 'my dict';
CREATE TEXT SEARCH CONFIGURATION zoo.cfg (PARSER = zoo.prs);
ALTER TEXT SEARCH CONFIGURATION zoo.cfg ADD MAPPING FOR word, asciiword WITH zoo.dict, simple;
ALTER TEXT SEARCH CONFIGURATION zoo.cfg ADD MAPPING FOR int WITH simple;
CREATE TEXT SEARCH CONFIGURATION zoo.cfg2 (COPY = english);
-- foreign data
CREATE EXTENSION file_fdw;
CREATE FOREIGN DATA WRAPPER zoo_fdw OPTIONS (debug 'true');
COMMENT ON FOREIGN DATA WRAPPER zoo_fdw IS 'bare wrapper';
CREATE SERVER zoo_srv TYPE 'kind' VERSION '1.0' FOREIGN DATA WRAPPER zoo_fdw OPTIONS (host 'nowhere', "odd key" 'it''s');
COMMENT ON SERVER zoo_srv IS 'a server';
CREATE SERVER file_srv FOREIGN DATA WRAPPER file_fdw;
CREATE USER MAPPING FOR postgres SERVER zoo_srv OPTIONS (user 'bob');
CREATE USER MAPPING FOR public SERVER file_srv;
CREATE FOREIGN TABLE zoo.ft (a int, b text) SERVER file_srv OPTIONS (filename '/dev/null', format 'csv');
COMMENT ON FOREIGN TABLE zoo.ft IS 'nothing';
-- extensions
CREATE EXTENSION tsm_system_rows;
CREATE EXTENSION lo SCHEMA zoo;
-- extended statistics
CREATE STATISTICS zoo.st1 (ndistinct, dependencies) ON a, b FROM zoo.t;
CREATE STATISTICS zoo.st2 ON (a + b), c FROM zoo.t;
CREATE STATISTICS zoo.st3 (mcv) ON a, c FROM zoo.t;
-- event triggers
CREATE FUNCTION zoo.evt() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER zoo_evt ON ddl_command_start WHEN TAG IN ('CREATE TABLE', 'DROP TABLE') EXECUTE FUNCTION zoo.evt();
COMMENT ON EVENT TRIGGER zoo_evt IS 'watches';
CREATE EVENT TRIGGER zoo_evt2 ON sql_drop EXECUTE FUNCTION zoo.evt();
ALTER EVENT TRIGGER zoo_evt2 DISABLE;
-- publications
CREATE PUBLICATION zoo_pub FOR TABLE zoo.t (a, b) WHERE (a > 1), "Zoo Two".t2;
CREATE PUBLICATION zoo_schema_pub FOR TABLES IN SCHEMA zoo, TABLE "Zoo Two".t2 WITH (publish = 'insert, update');
CREATE PUBLICATION zoo_all_pub FOR ALL TABLES WITH (publish_via_partition_root = true);
-- subscription that never connects
CREATE SUBSCRIPTION zoo_sub CONNECTION 'dbname=doesnotexist' PUBLICATION zoo_pub, zoo_all_pub WITH (connect = false, slot_name = NONE, enabled = false);
-- large objects
SELECT lo_create(424242);
SELECT lo_create(424243);
COMMENT ON LARGE OBJECT 424242 IS 'big thing';
GRANT SELECT ON LARGE OBJECT 424243 TO public;
-- languages
CREATE TRUSTED LANGUAGE zoolang HANDLER plpgsql_call_handler INLINE plpgsql_inline_handler VALIDATOR plpgsql_validator;
COMMENT ON LANGUAGE zoolang IS 'plpgsql again';
-- casts
CREATE FUNCTION zoo.int_to_pair(integer) RETURNS zoo.pair LANGUAGE sql AS 'SELECT ROW($1, NULL)::zoo.pair';
CREATE CAST (integer AS zoo.pair) WITH FUNCTION zoo.int_to_pair(integer) AS ASSIGNMENT;
COMMENT ON CAST (integer AS zoo.pair) IS 'int to pair';
CREATE CAST (zoo.mood AS integer) WITH INOUT AS IMPLICIT;
CREATE CAST (zoo.pair AS text) WITH INOUT;
-- collations
CREATE COLLATION zoo.c_coll (provider = libc, locale = 'C');
COMMENT ON COLLATION zoo.c_coll IS 'plain C';
-- conversions
CREATE CONVERSION zoo.conv FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
COMMENT ON CONVERSION zoo.conv IS 'latin';
CREATE DEFAULT CONVERSION zoo.conv2 FOR 'LATIN2' TO 'UTF8' FROM iso8859_to_utf8;
-- access methods, operator classes and families
CREATE ACCESS METHOD zoo_heap TYPE TABLE HANDLER heap_tableam_handler;
COMMENT ON ACCESS METHOD zoo_heap IS 'another heap';
CREATE OPERATOR FAMILY zoo.fam USING btree;
CREATE OPERATOR CLASS zoo.int4_zoo_ops FOR TYPE integer USING btree FAMILY zoo.fam AS
  OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >, FUNCTION 1 btint4cmp(integer, integer);
CREATE OPERATOR CLASS zoo.mood_ops DEFAULT FOR TYPE zoo.mood USING hash AS OPERATOR 1 zoo.=== (zoo.mood, zoo.mood), FUNCTION 1 hashenum(anyenum);
