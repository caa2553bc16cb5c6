//! Runs the rounds of [`crate::plan`] on a Spark cluster through Spark
//! Connect, each round written out as Parquet and read back.

use crate::plan;
use crate::tables::{EDGE_SCHEMA, NODE_SCHEMA, Parts, write_edges, write_nodes};
use crate::{Error, Rounds};
use boardroom_register::Graph;
use spark_connect::functions::col;
use spark_connect::udf::{CommonInlineUserDefinedFunctionExpression, PythonUDFPayload, eval_type};
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
        let work = absolute(work)?;
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
        self.rounds(node_rows, edge_rows, max_cycle_steps)
    }

    /// Reads a BODS 0.4 JSON Lines file at `location`, on storage the
    /// cluster reads, on the cluster
    /// ([`crate::bucket`]), and analyses it there as [`Engine::analyse`]
    /// does a graph read here. The executors need the `boardroom` Python
    /// package.
    pub fn analyse_bods(
        &self,
        location: &str,
        options: &ReadOptions,
        max_cycle_steps: u64,
    ) -> Result<(ClusterRead, Rounds), Error> {
        let read = self.read_bods(location, options)?;
        let rounds = self.rounds(read.nodes, read.edges, max_cycle_steps)?;
        Ok((read, rounds))
    }

    /// The rounds, on the views `nodes` and `edges`.
    fn rounds(
        &self,
        node_rows: u64,
        edge_rows: u64,
        max_cycle_steps: u64,
    ) -> Result<Rounds, Error> {
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

    /// Reads the statements at `location` on the cluster into the views
    /// `nodes` and `edges`: each line numbered as in the file, routed to
    /// its buckets ([`plan::route`]), each bucket read on an executor by
    /// boardroom's reader, the nodes numbered.
    fn read_bods(&self, location: &str, options: &ReadOptions) -> Result<ClusterRead, Error> {
        let location = absolute(location)?;
        // Lines split at `\n` only, as the reader splits them.
        self.session
            .read()
            .option("lineSep", "\n")
            .text(&location)
            .create_or_replace_temp_view("raw")
            .map_err(|e| spark("raw", e))?;
        self.materialise(
            "lines",
            "SELECT spark_partition_id() AS pid, monotonically_increasing_id() AS mid, value, \
             input_file_name() AS file FROM raw",
        )
        .map_err(|e| match e {
            Error::Spark { message, .. } => Error::Input {
                location: location.clone(),
                message,
            },
            e => e,
        })?;
        // A text file's partitions are its splits in order, and each
        // partition's ids count its lines from `pid << 33`: the lines before
        // each partition give every line its number in the file.
        let parts = self
            .sql(
                "offsets",
                "SELECT pid, MIN(mid), COUNT(*) FROM lines GROUP BY pid ORDER BY pid",
            )?
            .collect()
            .map_err(|e| spark("offsets", e))?;
        let mut values = Vec::new();
        let mut base = 0i64;
        for row in &parts {
            let v = |i: usize| row.get(i).and_then(|v| v.as_i64()).unwrap_or_default();
            values.push(format!("({}, {}L, {base}L)", v(0), v(1)));
            base += v(2);
        }
        let statements = u64::try_from(base).unwrap_or_default();
        // Statements are applied in the order of the file: of one file.
        let files = self.count("files", "SELECT DISTINCT file FROM lines")?;
        if files > 1 {
            return Err(Error::Input {
                location,
                message: format!(
                    "it holds {files} files; the cluster reads one file, whose order is the order of the statements"
                ),
            });
        }
        if statements == 0 {
            return Err(Error::Input {
                location,
                message: "it holds no lines".to_owned(),
            });
        }
        self.view(
            "offsets",
            &format!(
                "SELECT * FROM VALUES {} AS o(pid, m0, base)",
                values.join(", ")
            ),
        )?;
        self.materialise("statements", &plan::numbered("lines", "offsets"))?;
        let first = self
            .sql(
                "format",
                "SELECT value FROM statements WHERE trim(value) != '' ORDER BY line LIMIT 1",
            )?
            .collect()
            .map_err(|e| spark("format", e))?;
        if first
            .first()
            .and_then(|r| r.get(0))
            .and_then(|v| v.as_str())
            .is_some_and(|v| v.trim_start().starts_with('['))
        {
            return Err(Error::Input {
                location,
                message: "it is a JSON array; the cluster reads JSON Lines".to_owned(),
            });
        }
        let per_bucket = options
            .bucket_statements
            .unwrap_or(BUCKET_STATEMENTS)
            .max(1);
        let buckets = statements.div_ceil(per_bucket).max(1);
        self.materialise("routes", &plan::route("statements", buckets))?;
        self.read_buckets(options)?;
        let moved = self.notes("moved", 1)?;
        if let Some((_, message)) = moved.first.into_iter().next() {
            return Err(Error::Moved { message });
        }
        let disagree = self
            .sql(
                "agree",
                &format!("{} LIMIT 1", plan::nodes_disagreeing("read")),
            )?
            .collect()
            .map_err(|e| spark("agree", e))?;
        if let Some(rid) = disagree
            .first()
            .and_then(|r| r.get(0))
            .and_then(|v| v.as_str())
        {
            return Err(Error::Buckets {
                record: rid.to_owned(),
            });
        }
        self.materialise("ids", &plan::ids("read"))?;
        let nodes = self.materialise_counted("nodes", &plan::nodes_read("read", "ids"))?;
        let edges = self.materialise_counted("edges", &plan::edges_read("read", "ids"))?;
        let problems = self.notes("problem", NOTES_KEPT)?;
        let warnings = self.notes("warning", NOTES_KEPT)?;
        let (undated, first_undated_line) = match &options.as_of {
            Some(_) => {
                let r = self
                    .sql(
                        "undated",
                        "SELECT COUNT(*), MIN(line) FROM statements WHERE trim(value) != '' \
                         AND get_json_object(value, '$.statementDate') IS NULL",
                    )?
                    .collect()
                    .map_err(|e| spark("undated", e))?;
                let v = |i: usize| r.first().and_then(|r| r.get(i)).and_then(|v| v.as_i64());
                (v(0).unwrap_or_default() as u64, v(1).map(|l| l as u64))
            }
            None => (0, None),
        };
        Ok(ClusterRead {
            statements,
            buckets,
            nodes: nodes as u64,
            edges: edges as u64,
            problems: problems.first.into_iter().map(|(_, m)| m).collect(),
            problem_count: problems.count,
            warnings: warnings.first.into_iter().map(|(_, m)| m).collect(),
            warning_count: warnings.count,
            undated,
            first_undated_line,
        })
    }

    /// Reads every bucket on the executors into the view `read`. The
    /// executors' Python must be the version the command names: a
    /// mismatch is read from the worker's answer and the command sent
    /// again with its version.
    fn read_buckets(&self, options: &ReadOptions) -> Result<(), Error> {
        let input = plan::bucketed(
            "routes",
            "statements",
            options.as_of.as_deref(),
            options.senior_official_fallback,
        );
        let output = self
            .sql(
                "schema",
                "SELECT CAST('' AS STRING) AS tag, CAST('' AS STRING) AS row",
            )?
            .schema()
            .map_err(|e| spark("schema", e))?;
        let path = self.path("read");
        let mut python = "3.11".to_owned();
        for attempt in 0..2 {
            let udf = CommonInlineUserDefinedFunctionExpression::new(
                "read_bucket".to_owned(),
                true,
                ["b", "line", "value", "routed", "as_of", "fallback"]
                    .iter()
                    .map(|c| col(c).expression().clone())
                    .collect(),
                PythonUDFPayload::new(
                    output.clone(),
                    eval_type::SQL_GROUPED_MAP_ARROW_UDF,
                    reader_command(),
                    python.clone(),
                ),
            );
            let written = self
                .sql("bucketed", &input)?
                .group_by(vec![col("b")])
                .apply_in_arrow(udf)
                .write()
                .mode("overwrite")
                .parquet(&path);
            match written {
                Ok(()) => break,
                Err(e) => {
                    let message = e.to_string();
                    match worker_python(&message) {
                        Some(v) if attempt == 0 && v != python => python = v,
                        _ if message.contains("No module named 'boardroom'") => {
                            return Err(Error::Reader {
                                message: "the executors' Python has no `boardroom` package"
                                    .to_owned(),
                            });
                        }
                        _ => return Err(spark("read", message)),
                    }
                }
            }
        }
        self.session
            .read()
            .parquet(&path)
            .create_or_replace_temp_view("read")
            .map_err(|e| spark("read", e))
    }

    /// The first `keep` distinct rows of one tag of `read`, by line, as
    /// messages, and how many there are.
    fn notes(&self, tag: &str, keep: usize) -> Result<Notes, Error> {
        let sql = plan::notes("read", tag);
        let count = self.count(tag, &sql)? as u64;
        let rows = self
            .sql(
                tag,
                &format!("SELECT line, row FROM ({sql}) ORDER BY line LIMIT {keep}"),
            )?
            .collect()
            .map_err(|e| spark(tag, e))?;
        let first = rows
            .iter()
            .map(|r| {
                let line = r.get(0).and_then(|v| v.as_i64()).unwrap_or_default() as u64;
                let row: serde_json::Value = r
                    .get(1)
                    .and_then(|v| v.as_str())
                    .and_then(|t| serde_json::from_str(t).ok())
                    .unwrap_or_default();
                let message = row["message"].as_str().unwrap_or_default();
                let text = match row["rid"].as_str() {
                    Some(rid) if tag == "warning" => {
                        format!("line {line} (recordId {rid}): {message}")
                    }
                    _ => message.to_owned(),
                };
                (line, text)
            })
            .collect();
        Ok(Notes { first, count })
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

/// How the cluster reads a register.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// The date (`YYYY-MM-DD`) to read the register on.
    pub as_of: Option<String>,
    /// BODS's senior managing official fallback.
    pub senior_official_fallback: bool,
    /// Statements a bucket holds, about (default 200,000): fewer make
    /// more buckets, each entity and person read in more of them.
    pub bucket_statements: Option<u64>,
}

/// What reading the statements on the cluster found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterRead {
    /// Lines read.
    pub statements: u64,
    /// Buckets the statements were read in.
    pub buckets: u64,
    /// Nodes of the graph.
    pub nodes: u64,
    /// Live edges of the graph.
    pub edges: u64,
    /// The first statements that could not be read, by line, as the local
    /// reader says them.
    pub problems: Vec<String>,
    /// How many could not be read (skipped).
    pub problem_count: u64,
    /// The first statements applied but odd, by line.
    pub warnings: Vec<String>,
    /// How many.
    pub warning_count: u64,
    /// With a date: statements without a `statementDate`.
    pub undated: u64,
    /// The first of them.
    pub first_undated_line: Option<u64>,
}

struct Notes {
    first: Vec<(u64, String)>,
    count: u64,
}

/// How many problems and warnings are brought back to say.
const NOTES_KEPT: usize = 20;

/// Statements a bucket holds, about: what one executor's Python worker
/// reads at once (the text, and the reader's register of it).
const BUCKET_STATEMENTS: u64 = 200_000;

/// The command the executors run on each bucket: a pickle naming
/// `boardroom._spark.read_bucket` (a function of the installed package,
/// so nothing of this program is pickled) and its return type, rebuilt by
/// PySpark from its JSON.
fn reader_command() -> Vec<u8> {
    let schema = r#"{"type":"struct","fields":[{"name":"tag","type":"string","nullable":true,"metadata":{}},{"name":"row","type":"string","nullable":true,"metadata":{}}]}"#;
    let mut p = vec![0x80, 2]; // PROTO 2
    p.push(b'c'); // GLOBAL module\nname\n
    p.extend_from_slice(b"boardroom._spark\nread_bucket\n");
    p.push(b'c');
    p.extend_from_slice(b"pyspark.sql.types\n_parse_datatype_json_string\n");
    p.push(b'X'); // BINUNICODE: u32 length, UTF-8
    p.extend_from_slice(&(schema.len() as u32).to_le_bytes());
    p.extend_from_slice(schema.as_bytes());
    // TUPLE1, REDUCE (the type from its JSON), TUPLE2 (function, type), STOP
    p.extend_from_slice(&[0x85, b'R', 0x86, b'.']);
    p
}

/// The executors' Python version, from PySpark's refusal of another.
fn worker_python(message: &str) -> Option<String> {
    let rest = message.split("different version: ").nth(1)?;
    let v: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    (!v.is_empty()).then_some(v.trim_end_matches('.').to_owned())
}

/// A location as the server reads it: a URI as given, a path made
/// absolute (the server resolves a relative one from its own directory).
fn absolute(location: &str) -> Result<String, Error> {
    if has_scheme(location) {
        return Ok(location.trim_end_matches('/').to_owned());
    }
    Ok(std::path::absolute(location)
        .map_err(|e| Error::Io {
            path: location.into(),
            source: e,
        })?
        .to_string_lossy()
        .trim_end_matches('/')
        .to_owned())
}
