/**
 * A real PostgreSQL server for the team-backend test: Debian's `postgresql` package (.ci/install-postgres.sh
 * installs it), a fresh cluster under a temp folder on a free 127.0.0.1 port, password authentication, stopped and
 * removed at the end. PostgreSQL refuses to run as root, so as root every server command runs as `nobody`.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const UNPRIVILEGED_USER = "nobody";
const NOBODY_UID = 65534;
const NOBODY_GID = 65534;
const SERVER_START_TIMEOUT_S = 60;
/** The role and database the backend uses, as examples/team-backend/setup.sql creates them. */
const PG_USER = "pulumi";
const PG_DATABASE = "pulumi";
const SUPERUSER = "postgres";
const SETUP_SQL = join(__dirname, "..", "..", "examples", "team-backend", "setup.sql");

export interface RunningPostgres {
  port: number;
  /** `postgres://pulumi@127.0.0.1:<port>/pulumi?sslmode=disable`: no password in it; it goes in PGPASSWORD. */
  url: string;
  password: string;
  /** Runs `psql -tAc <sql>` as the backend's user; returns what it printed. */
  query(sql: string): Promise<string>;
  stop(): Promise<void>;
}

/** The folder with initdb and pg_ctl: PULUMI_FANSLY_PG_BIN (set by .ci/run), else Debian's newest, else PATH. */
async function postgresBin(): Promise<string> {
  const fromEnv = process.env.PULUMI_FANSLY_PG_BIN;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const versions = await readdir("/usr/lib/postgresql").catch(() => [] as string[]);
  for (const version of versions.sort((a, b) => Number(b) - Number(a))) {
    const bin = join("/usr/lib/postgresql", version, "bin");
    if (existsSync(join(bin, "initdb")) && existsSync(join(bin, "pg_ctl"))) return bin;
  }
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir !== "" && existsSync(join(dir, "initdb"))) return dir;
  throw new Error("no PostgreSQL server programs (initdb, pg_ctl) found: run `bash .ci/install-postgres.sh` (installs Debian's postgresql package)");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === "object" && address !== null) resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = await postgresBin();
  const asRoot = process.getuid?.() === 0;
  const root = await mkdtemp(join(tmpdir(), "pulumi-fansly-pg-"));
  const data = join(root, "data");
  const sockets = join(root, "sockets");
  await mkdir(sockets);
  const password = randomBytes(18).toString("base64url");
  const superuserPassword = randomBytes(18).toString("base64url");
  const passwordFile = join(root, "password");
  await writeFile(passwordFile, `${superuserPassword}\n`, { mode: 0o600 });
  if (asRoot) for (const path of [root, sockets, passwordFile]) await chown(path, NOBODY_UID, NOBODY_GID);

  const server = (program: string, args: string[]) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", UNPRIVILEGED_USER, "--", join(bin, program), ...args]] : [join(bin, program), args];
    return promisify(execFile)(file, argv, { cwd: root, timeout: 2 * 60_000 });
  };

  await server("initdb", ["-D", data, "-U", SUPERUSER, `--pwfile=${passwordFile}`, "--auth=scram-sha-256", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const settings = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${sockets} -c fsync=off`;
  await server("pg_ctl", ["-D", data, "-l", join(root, "server.log"), "-o", settings, "-w", "-t", String(SERVER_START_TIMEOUT_S), "start"]);

  const client = (program: string, args: string[], user = PG_USER) =>
    promisify(execFile)(join(bin, program), ["-h", "127.0.0.1", "-p", String(port), "-U", user, ...args], {
      env: { ...process.env, PGPASSWORD: user === SUPERUSER ? superuserPassword : password },
      timeout: 60_000,
    });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await server("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  };
  try {
    // The role and database exactly as the example makes them, by its own file.
    await client("psql", ["-d", "postgres", "-v", `password=${password}`, "-f", SETUP_SQL], SUPERUSER);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    url: `postgres://${PG_USER}@127.0.0.1:${port}/${PG_DATABASE}?sslmode=disable`,
    password,
    query: async (sql) => (await client("psql", ["-d", PG_DATABASE, "-tAc", sql])).stdout.trim(),
    stop,
  };
}
