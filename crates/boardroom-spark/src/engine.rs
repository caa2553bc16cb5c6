//! Runs the rounds of [`crate::plan`] on a Spark cluster through Spark
//! Connect, each round written out as Parquet and read back.

use crate::plan;
use crate::tables::{EDGE_SCHEMA, NODE_SCHEMA, Parts, write_edges, write_nodes};
use crate::{Error, Rounds};
use boardroom_register::Graph;
use spark_connect::{DataFrame, SparkSession, SparkSessionBuilder};
use std::io::Write;

/// A connection to a cluster, and a working directory on storage the
/// cluster reads and writes: an object-store or HDFS URI, or a local path
/// for a cluster on this machine. This machine never touches it: the
/// graph's tables are sent through Spark Connect.
pub struct Engine {
    session: SparkSession,
    work: String,
}

/// The size of each part of a table sent to the cluster: what this
/// machine holds of a table at once, on disk and in the client's memory.
const PART_BYTES: usize = 64 << 20;

/// Where to write the rows, in which format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// Parquet, a directory of part files.
    Parquet,
    /// JSON Lines, a directory of part files.
    JsonLines,
}

fn spark(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Spark {
        what: what.to_owned(),
        message: e.to_string(),
    }
}

impl Engine {
    /// Connects to `remote` (`sc://HOST:PORT`), to work in `work` (a URI,
    /// or a path, made absolute here since the server resolves it from
    /// its own directory).
    pub fn connect(remote: &str, work: &str) -> Result<Engine, Error> {
        // The client retries an unreachable server for minutes, as PySpark
        // does; a server that is not listening is said at once instead.
        reachable(remote).map_err(|message| Error::Connect {
            remote: remote.to_owned(),
            message,
        })?;
        let session = SparkSessionBuilder::new()
            .remote(remote)
            .get_or_create()
            .map_err(|e| Error::Connect {
                remote: remote.to_owned(),
                message: e.to_string(),
            })?;
        // A first round trip, so that a wrong address fails here, clearly.
        session.version().map_err(|e| Error::Connect {
            remote: remote.to_owned(),
            message: e.to_string(),
        })?;
        let work = if has_scheme(work) {
            work.trim_end_matches('/').to_owned()
        } else {
            std::path::absolute(work)
                .map_err(|e| Error::Io {
                    path: work.into(),
                    source: e,
                })?
                .to_string_lossy()
                .trim_end_matches('/')
                .to_owned()
        };
        Ok(Engine { session, work })
    }

    /// The server's Spark version.
    pub fn version(&self) -> Result<String, Error> {
        self.session.version().map_err(|e| spark("version", e))
    }

    fn path(&self, name: &str) -> String {
        format!("{}/{name}", self.work)
    }

    /// Sends a table to the cluster, in parts of [`PART_BYTES`] (each
    /// written here, sent with `copyFromLocalToFs` to `upload/` in the
    /// working directory, and removed), then has the cluster read them
    /// with `schema` into Parquet, the view `view`. Returns the rows.
    fn upload(
        &self,
        view: &str,
        schema: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<u64>,
    ) -> Result<u64, Error> {
        let staging = tempfile::Builder::new()
            .prefix("boardroom-spark-staging")
            .tempdir()
            .map_err(|e| Error::Io {
                path: std::env::temp_dir(),
                source: e,
            })?;
        let upload = self.path("upload");
        let mut refused: Option<Error> = None;
        let send = |p: &std::path::Path| -> std::io::Result<()> {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            let dest = format!("{upload}/{name}");
            if let Err(e) = self
                .session
                .copy_from_local_to_fs(&p.to_string_lossy(), &dest)
            {
                refused = Some(Error::Upload {
                    dest,
                    message: e.to_string(),
                });
                return Err(std::io::Error::other("not sent"));
            }
            std::fs::remove_file(p)
        };
        let mut parts = Parts::new(staging.path(), view, PART_BYTES, send);
        let written = write(&mut parts).and_then(|rows| Ok((rows, parts.finish()?)));
        if let Some(e) = refused {
            return Err(e);
        }
        let (rows, mut names) = written.map_err(|e| Error::Io {
            path: staging.path().to_path_buf(),
            source: e,
        })?;
        if names.is_empty() {
            // An empty table: one empty part, read as no rows.
            let empty = staging.path().join(format!("{view}-00000.jsonl"));
            std::fs::File::create(&empty).map_err(|e| Error::Io {
                path: empty.clone(),
                source: e,
            })?;
            let dest = format!("{upload}/{view}-00000.jsonl");
            self.session
                .copy_from_local_to_fs(&empty.to_string_lossy(), &dest)
                .map_err(|e| Error::Upload {
                    dest,
                    message: e.to_string(),
                })?;
            names.push(format!("{view}-00000.jsonl"));
        }
        // Exactly this run's parts (a glob of alternatives): parts left by
        // an earlier, larger table under the same names are not read.
        let glob = match names.as_slice() {
            [one] => format!("{upload}/{one}"),
            many => format!("{upload}/{{{}}}", many.join(",")),
        };
        // The server may accept a part it then fails to store: a working
        // directory it cannot write shows here, and is said as such.
        let path = self.path(view);
        self.session
            .read()
            .schema(schema.to_owned())
            .json(&glob)
            .write()
            .mode("overwrite")
            .parquet(&path)
            .map_err(|e| Error::Upload {
                dest: glob.clone(),
                message: e.to_string(),
            })?;
        self.session
            .read()
            .parquet(&path)
            .create_or_replace_temp_view(view)
            .map_err(|e| spark(view, e))?;
        Ok(rows)
    }

    fn sql(&self, what: &str, sql: &str) -> Result<DataFrame, Error> {
        self.session.sql(sql).map_err(|e| spark(what, e))
    }

    /// Writes `sql`'s rows to `name` in the working directory and makes
    /// them the view `name`: the round is computed once, and the next
    /// round's plan starts from the file, not from every round before.
    fn materialise(&self, name: &str, sql: &str) -> Result<(), Error> {
        let path = self.path(name);
        self.sql(name, sql)?
            .write()
            .mode("overwrite")
            .parquet(&path)
            .map_err(|e| spark(name, e))?;
        self.session
            .read()
            .parquet(&path)
            .create_or_replace_temp_view(name)
            .map_err(|e| spark(name, e))
    }

    /// [`Engine::materialise`], and the number of rows written.
    fn materialise_counted(&self, name: &str, sql: &str) -> Result<i64, Error> {
        self.materialise(name, sql)?;
        self.count(name, &format!("SELECT 1 FROM {name}"))
    }

    fn count(&self, what: &str, sql: &str) -> Result<i64, Error> {
        self.sql(what, sql)?.count().map_err(|e| spark(what, e))
    }

    /// Makes `sql` the view `name`, computed where it is used (for what is
    /// small or empty).
    fn view(&self, name: &str, sql: &str) -> Result<(), Error> {
        self.sql(name, sql)?
            .create_or_replace_temp_view(name)
            .map_err(|e| spark(name, e))
    }

    /// Analyses `g` on the cluster: its tables are written to the working
    /// directory, the rounds run there, and the rows are left in the view
    /// `result`, the cycles in `cycles` (see [`Engine::write`]).
    pub fn analyse(&self, g: &Graph, max_cycle_steps: u64) -> Result<Rounds, Error> {
        let node_rows = self.upload("nodes", NODE_SCHEMA, |w| write_nodes(g, w))?;
        let edge_rows = self.upload("edges", EDGE_SCHEMA, |w| write_edges(g, w))?;
        let mut rounds = Rounds {
            nodes: node_rows,
            edges: edge_rows,
            ..Rounds::default()
        };
        self.cycles(&mut rounds, max_cycle_steps)?;
        // A path longer than there are nodes runs through a cycle, which
        // the enumeration above took out: a guard, not a test.
        let limit = 2 + (u64::BITS - node_rows.max(1).leading_zeros()) as usize;
        let mut d =
            self.materialise_counted("d0", &plan::first_hops("edges", "members", "exits"))?;
        self.materialise(
            "t0",
            &plan::aggregate(&format!(
                "{} UNION ALL SELECT {} FROM ends",
                plan::own_entries("nodes"),
                plan::BUNDLE
            )),
        )?;
        rounds.shuffled.push(d as u64);
        let mut k = 0;
        while d > 0 {
            if k >= limit {
                return Err(Error::Cycle { rounds: k });
            }
            let (dk, tk) = (format!("d{k}"), format!("t{k}"));
            let t = self.materialise_counted(
                &format!("t{}", k + 1),
                &plan::next_lists(&dk, &tk, "nodes"),
            )?;
            d = self.materialise_counted(&format!("d{}", k + 1), &plan::next_hops(&dk))?;
            rounds.shuffled.push((d + t) as u64);
            k += 1;
        }
        rounds.doubling = k;
        let t = format!("t{k}");
        self.materialise("lists0", &plan::lists(&t, "nodes"))?;
        self.materialise("hops", &plan::hops("edges", "members", "exits", "ends"))?;
        // Relaxation, from the pairs whose upper bound the local engine
        // may have capped.
        let mut todo =
            self.materialise_counted("todo0", "SELECT x, u FROM lists0 WHERE over AND x != u")?;
        // The pairs relaxed so far, small beside the lists, which are
        // written once: each round reads the lists with them in place.
        self.view(
            "fixed0",
            "SELECT x, u, hi, hi_open, hi_s, rnd FROM lists0 WHERE false",
        )?;
        let mut r = 0;
        while todo > 0 {
            if r > node_rows as usize {
                return Err(Error::Cycle { rounds: r });
            }
            let (lists, fixed) = (format!("lists{r}"), format!("fixed{r}"));
            if r > 0 {
                self.view(&lists, &plan::relaxed_lists("lists0", &fixed))?;
            }
            let (relaxed, changed) = (format!("relaxed{r}"), format!("changed{r}"));
            self.materialise(&relaxed, &plan::relax(&lists, "hops", &format!("todo{r}")))?;
            self.materialise(&changed, &plan::changes(&relaxed, &lists))?;
            self.materialise(
                &format!("fixed{}", r + 1),
                &format!(
                    "SELECT f.* FROM {fixed} f LEFT ANTI JOIN {relaxed} r ON f.x = r.x AND f.u = r.u \
                     UNION ALL SELECT x, u, hi, hi_open, hi_s, rnd FROM {relaxed}"
                ),
            )?;
            todo = self.materialise_counted(
                &format!("todo{}", r + 1),
                &plan::next_todo(&changed, "hops"),
            )?;
            r += 1;
        }
        if r > 0 {
            self.view(
                &format!("lists{r}"),
                &plan::relaxed_lists("lists0", &format!("fixed{r}")),
            )?;
        }
        rounds.relaxation = r;
        let rows =
            self.materialise_counted("result", &plan::rows(&format!("lists{r}"), "nodes"))?;
        rounds.rows = rows as u64;
        Ok(rounds)
    }

    /// Finds the cycles (reachability doubled until it stops growing) and
    /// enumerates the simple paths through each, one hop a round, into
    /// the views `members`, `exits`, `ends` and `cycles`.
    fn cycles(&self, rounds: &mut Rounds, max_cycle_steps: u64) -> Result<(), Error> {
        let mut pairs = self.materialise_counted("reach0", &plan::reach_first("edges"))?;
        let mut k = 0;
        loop {
            let next = self.materialise_counted(
                &format!("reach{}", k + 1),
                &plan::reach_next(&format!("reach{k}")),
            )?;
            k += 1;
            if next == pairs {
                break;
            }
            pairs = next;
        }
        rounds.reach = k;
        let members = self.materialise_counted("members", &plan::members(&format!("reach{k}")))?;
        rounds.cycle_members = members as u64;
        let exits = |step: &str| plan::step_bundles(step, "nodes", true);
        let ends = |step: &str| plan::step_bundles(step, "nodes", false);
        let cuts =
            |step: &str| format!("SELECT comp, path, nxt FROM {step} WHERE inside AND revisit");
        if members == 0 {
            // No cycle: empty views, computed where they are read.
            self.view("f0", &plan::frontier_start("members"))?;
            self.view("step0", &plan::step("f0", "edges", "members"))?;
            self.view("exits", &exits("step0"))?;
            self.view("ends", &ends("step0"))?;
            self.view("cuts", &cuts("step0"))?;
        } else {
            self.materialise("f0", &plan::frontier_start("members"))?;
            let mut steps = Vec::new();
            loop {
                let j = steps.len();
                let step = format!("step{j}");
                self.materialise(&step, &plan::step(&format!("f{j}"), "edges", "members"))?;
                steps.push(step.clone());
                let next =
                    self.materialise_counted(&format!("f{}", j + 1), &plan::frontier_next(&step))?;
                // The local engine's budget: steps into a cycle's members,
                // for all its members together.
                let spent = steps
                    .iter()
                    .map(|s| format!("SELECT comp FROM {s} WHERE inside AND NOT revisit"))
                    .collect::<Vec<_>>()
                    .join(" UNION ALL ");
                let over = self.count(
                    "budget",
                    &format!(
                        "SELECT comp FROM ({spent}) GROUP BY comp HAVING COUNT(*) > {max_cycle_steps}"
                    ),
                )?;
                if over > 0 {
                    return Err(Error::CycleBudget {
                        budget: max_cycle_steps,
                    });
                }
                if next == 0 {
                    break;
                }
            }
            rounds.cycle_rounds = steps.len();
            let union = |f: &dyn Fn(&str) -> String| {
                steps
                    .iter()
                    .map(|s| f(s))
                    .collect::<Vec<_>>()
                    .join(" UNION ALL ")
            };
            self.materialise("exits", &union(&exits))?;
            self.materialise("ends", &union(&ends))?;
            self.materialise("cuts", &union(&cuts))?;
        }
        rounds.cycles =
            self.materialise_counted("cycles", &plan::cycles("members", "cuts", "nodes"))? as u64;
        Ok(())
    }

    /// Writes the rows of the last analysis to `path`, a directory on
    /// storage the cluster can write.
    pub fn write(&self, path: &str, format: Output) -> Result<(), Error> {
        let df = self.sql("result", "SELECT * FROM result")?;
        self.save(df, path, format)
    }

    /// Writes the cycles of the last analysis to `path`: one row per
    /// strongly connected component, its members (sorted), one cycle
    /// through it, and the paths cut there.
    pub fn write_cycles(&self, path: &str, format: Output) -> Result<(), Error> {
        let df = self.sql("cycles", "SELECT members, example, cut_paths FROM cycles")?;
        self.save(df, path, format)
    }

    fn save(&self, df: DataFrame, path: &str, format: Output) -> Result<(), Error> {
        let w = df.write().mode("overwrite");
        match format {
            Output::Parquet => w.parquet(path),
            Output::JsonLines => w.json(path),
        }
        .map_err(|e| spark("write", e))
    }
}

/// Whether `work` names its file system (`s3a://…`, `hdfs://…`,
/// `file:/…`, `dbfs:/…`) rather than being a path.
fn has_scheme(work: &str) -> bool {
    match work.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        }
        None => false,
    }
}

/// Whether something listens at `sc://HOST[:PORT][/;params]` (port 15002
/// by default), within five seconds.
fn reachable(remote: &str) -> Result<(), String> {
    use std::net::{TcpStream, ToSocketAddrs};
    let Some(rest) = remote.strip_prefix("sc://") else {
        return Err("the address does not start with sc://".to_owned());
    };
    let authority = rest.split(['/', ';']).next().unwrap_or_default();
    let with_port = if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        authority.to_owned()
    } else {
        format!("{authority}:15002")
    };
    let addresses = with_port
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve `{with_port}`: {e}"))?;
    let mut last = format!("`{with_port}` has no address");
    for a in addresses {
        match TcpStream::connect_timeout(&a, std::time::Duration::from_secs(5)) {
            Ok(_) => return Ok(()),
            Err(e) => last = format!("nothing answers at {a}: {e}"),
        }
    }
    Err(last)
}
