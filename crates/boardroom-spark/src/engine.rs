//! Runs the rounds of [`crate::plan`] on a Spark cluster through Spark
//! Connect, each round written out as Parquet and read back.

use crate::plan;
use crate::tables::{EDGE_SCHEMA, NODE_SCHEMA, write_edges, write_nodes};
use crate::{Error, Rounds};
use boardroom_register::Graph;
use spark_connect::{DataFrame, SparkSession, SparkSessionBuilder};
use std::path::{Path, PathBuf};

/// A connection to a cluster, and a working directory both this machine
/// and the cluster can read and write (a local path for a local cluster).
pub struct Engine {
    session: SparkSession,
    work: PathBuf,
}

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
    /// Connects to `remote` (`sc://HOST:PORT`).
    pub fn connect(remote: &str, work: &Path) -> Result<Engine, Error> {
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
        std::fs::create_dir_all(work).map_err(|e| Error::Io {
            path: work.to_path_buf(),
            source: e,
        })?;
        Ok(Engine {
            session,
            work: work.to_path_buf(),
        })
    }

    /// The server's Spark version.
    pub fn version(&self) -> Result<String, Error> {
        self.session.version().map_err(|e| spark("version", e))
    }

    fn path(&self, name: &str) -> String {
        self.work.join(name).to_string_lossy().into_owned()
    }

    fn sql(&self, what: &str, sql: &str) -> Result<DataFrame, Error> {
        self.session.sql(sql).map_err(|e| spark(what, e))
    }

    /// Writes `sql`'s rows to `name` in the working directory and makes
    /// them the view `name`: the round is computed once, and the next
    /// round's plan starts from the file, not from every round before.
    fn materialise(&self, name: &str, sql: &str) -> Result<i64, Error> {
        let path = self.path(name);
        self.sql(name, sql)?
            .write()
            .mode("overwrite")
            .parquet(&path)
            .map_err(|e| spark(name, e))?;
        let df = self.session.read().parquet(&path);
        df.create_or_replace_temp_view(name)
            .map_err(|e| spark(name, e))?;
        df.count().map_err(|e| spark(name, e))
    }

    /// Analyses `g` on the cluster: its tables are written to the working
    /// directory, the rounds run there, and the rows are left in the view
    /// `result`, the cycles in `cycles` (see [`Engine::write`]).
    pub fn analyse(&self, g: &Graph, max_cycle_steps: u64) -> Result<Rounds, Error> {
        let nodes = self.work.join("nodes.jsonl");
        let edges = self.work.join("edges.jsonl");
        let node_rows = write_table(&nodes, |w| write_nodes(g, w))?;
        let edge_rows = write_table(&edges, |w| write_edges(g, w))?;
        for (view, path, schema) in [
            ("nodes", &nodes, NODE_SCHEMA),
            ("edges", &edges, EDGE_SCHEMA),
        ] {
            self.session
                .read()
                .schema(schema.to_owned())
                .json(&path.to_string_lossy())
                .create_or_replace_temp_view(view)
                .map_err(|e| spark(view, e))?;
        }
        let mut rounds = Rounds {
            nodes: node_rows,
            edges: edge_rows,
            ..Rounds::default()
        };
        self.cycles(&mut rounds, max_cycle_steps)?;
        // A path longer than there are nodes runs through a cycle, which
        // the enumeration above took out: a guard, not a test.
        let limit = 2 + (u64::BITS - node_rows.max(1).leading_zeros()) as usize;
        let mut d = self.materialise("d0", &plan::first_hops("edges", "members", "exits"))?;
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
            let t =
                self.materialise(&format!("t{}", k + 1), &plan::next_lists(&dk, &tk, "nodes"))?;
            d = self.materialise(&format!("d{}", k + 1), &plan::next_hops(&dk))?;
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
            self.materialise("todo0", "SELECT x, u FROM lists0 WHERE over AND x != u")?;
        let mut r = 0;
        while todo > 0 {
            if r > node_rows as usize {
                return Err(Error::Cycle { rounds: r });
            }
            let lists = format!("lists{r}");
            let (relaxed, changed) = (format!("relaxed{r}"), format!("changed{r}"));
            self.materialise(&relaxed, &plan::relax(&lists, "hops", &format!("todo{r}")))?;
            self.materialise(&changed, &plan::changes(&relaxed, &lists))?;
            self.materialise(
                &format!("lists{}", r + 1),
                &plan::relaxed_lists(&lists, &relaxed),
            )?;
            todo = self.materialise(
                &format!("todo{}", r + 1),
                &plan::next_todo(&changed, "hops"),
            )?;
            r += 1;
        }
        rounds.relaxation = r;
        let rows = self.materialise("result", &plan::rows(&format!("lists{r}"), "nodes"))?;
        rounds.rows = rows as u64;
        Ok(rounds)
    }

    /// Finds the cycles (reachability doubled until it stops growing) and
    /// enumerates the simple paths through each, one hop a round, into
    /// the views `members`, `exits`, `ends` and `cycles`.
    fn cycles(&self, rounds: &mut Rounds, max_cycle_steps: u64) -> Result<(), Error> {
        let mut pairs = self.materialise("reach0", &plan::reach_first("edges"))?;
        let mut k = 0;
        loop {
            let next = self.materialise(
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
        let members = self.materialise("members", &plan::members(&format!("reach{k}")))?;
        rounds.cycle_members = members as u64;
        self.materialise("f0", &plan::frontier_start("members"))?;
        self.materialise(
            "spent0",
            "SELECT comp, CAST(0 AS BIGINT) AS steps FROM members",
        )?;
        let (mut exits, mut ends, mut cuts) = (Vec::new(), Vec::new(), Vec::new());
        let mut j = 0;
        loop {
            let step = format!("step{j}");
            self.materialise(&step, &plan::step(&format!("f{j}"), "edges", "members"))?;
            for (list, name, sql) in [
                (
                    &mut exits,
                    "exits",
                    plan::step_bundles(&step, "nodes", true),
                ),
                (&mut ends, "ends", plan::step_bundles(&step, "nodes", false)),
                (
                    &mut cuts,
                    "cuts",
                    format!("SELECT comp, path, nxt FROM {step} WHERE inside AND revisit"),
                ),
            ] {
                let view = format!("{name}{j}");
                self.materialise(&view, &sql)?;
                list.push(view);
            }
            let next = self.materialise(&format!("f{}", j + 1), &plan::frontier_next(&step))?;
            self.materialise(
                &format!("spent{}", j + 1),
                &format!(
                    "SELECT comp, SUM(steps) AS steps FROM (SELECT comp, steps FROM spent{j} \
                     UNION ALL SELECT comp, COUNT(*) AS steps FROM {step} \
                     WHERE inside AND NOT revisit GROUP BY comp) GROUP BY comp"
                ),
            )?;
            j += 1;
            let over = self
                .sql(
                    "budget",
                    &format!("SELECT comp FROM spent{j} WHERE steps > {max_cycle_steps}"),
                )?
                .count()
                .map_err(|e| spark("budget", e))?;
            if over > 0 {
                return Err(Error::CycleBudget {
                    budget: max_cycle_steps,
                });
            }
            if next == 0 {
                break;
            }
        }
        rounds.cycle_rounds = j;
        let union = |views: &[String], cols: &str| {
            views
                .iter()
                .map(|v| format!("SELECT {cols} FROM {v}"))
                .collect::<Vec<_>>()
                .join(" UNION ALL ")
        };
        self.materialise("exits", &union(&exits, plan::BUNDLE))?;
        self.materialise("ends", &union(&ends, plan::BUNDLE))?;
        self.materialise("cuts", &union(&cuts, "comp, path, nxt"))?;
        rounds.cycles =
            self.materialise("cycles", &plan::cycles("members", "cuts", "nodes"))? as u64;
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

/// Writes a table to `path` and flushes it, so that an error in the last
/// bytes is reported, not dropped.
fn write_table(
    path: &Path,
    f: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<u64>,
) -> Result<u64, Error> {
    use std::io::Write;
    let err = |e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).map_err(err)?);
    let rows = f(&mut w).map_err(err)?;
    w.flush().map_err(err)?;
    Ok(rows)
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
