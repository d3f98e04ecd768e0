-- A role and a database for Pulumi's state, run once by a PostgreSQL superuser:
--
--   psql -h db.example.com -U postgres -v password="$PULUMI_DB_PASSWORD" -f setup.sql
--
-- The role can log in and owns its one database, nothing more: not a superuser, no other database. On its first
-- `pulumi login`, Pulumi creates its table there (pulumi_state, or the name given with ?table=…).
-- test/e2e/postgres.e2e.ts runs this very file against a fresh server, then logs in as this role.
\set ON_ERROR_STOP on

CREATE ROLE pulumi LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE pulumi OWNER pulumi;
-- Nobody else may connect to it: the state holds every stack's resources (secrets stay ciphertext).
REVOKE ALL ON DATABASE pulumi FROM PUBLIC;
