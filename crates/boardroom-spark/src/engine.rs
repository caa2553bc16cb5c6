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
    /// `result` (see [`Engine::collect`] and [`Engine::write`]).
    pub fn analyse(&self, g: &Graph) -> Result<Rounds, Error> {
        let nodes = self.work.join("nodes.jsonl");
        let edges = self.work.join("edges.jsonl");
        let create = |p: &Path| {
            std::fs::File::create(p)
                .map(std::io::BufWriter::new)
                .map_err(|e| Error::Io {
                    path: p.to_path_buf(),
                    source: e,
                })
        };
        let io = |p: &Path| {
            let p = p.to_path_buf();
            move |e| Error::Io { path: p, source: e }
        };
        let node_rows = write_nodes(g, create(&nodes)?).map_err(io(&nodes))?;
        let edge_rows = write_edges(g, create(&edges)?).map_err(io(&edges))?;
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
        // A path longer than there are nodes runs through a cycle.
        let limit = 2 + (u64::BITS - node_rows.max(1).leading_zeros()) as usize;
        let mut d = self.materialise("d0", &plan::first_hops("edges"))?;
        self.materialise("t0", &plan::own_entries("nodes"))?;
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
        // Relaxation, from the pairs whose upper bound was capped.
        let mut changed = self.materialise(
            "changed0",
            "SELECT x, u FROM lists0 WHERE capped AND x != u",
        )?;
        let mut r = 0;
        while changed > 0 {
            if r > node_rows as usize {
                return Err(Error::Cycle { rounds: r });
            }
            let (lists, ch) = (format!("lists{r}"), format!("changed{r}"));
            let relaxed = format!("relaxed{r}");
            self.materialise(&relaxed, &plan::relax(&lists, "edges", &ch))?;
            changed = self.materialise(
                &format!("changed{}", r + 1),
                &plan::changes(&relaxed, &lists),
            )?;
            self.materialise(
                &format!("lists{}", r + 1),
                &plan::relaxed_lists(&lists, &relaxed),
            )?;
            r += 1;
        }
        rounds.relaxation = r;
        let rows = self.materialise("result", &plan::rows(&format!("lists{r}"), "nodes"))?;
        rounds.rows = rows as u64;
        Ok(rounds)
    }

    /// Writes the rows of the last analysis to `path`, a directory on
    /// storage the cluster can write.
    pub fn write(&self, path: &str, format: Output) -> Result<(), Error> {
        let df = self.sql("result", "SELECT * FROM result")?;
        let w = df.write().mode("overwrite");
        match format {
            Output::Parquet => w.parquet(path),
            Output::JsonLines => w.json(path),
        }
        .map_err(|e| spark("write", e))
    }
}
