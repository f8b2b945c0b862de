-- Drops what zoo.sql creates outside its database (run after dropping the database).
DROP ROLE IF EXISTS zoo_owner, zoo_reader, zoo_admin, zoo_plain;
DROP TABLESPACE IF EXISTS zoo_ts;
