//! Groups acting in concert: where an agreement binds its members, their
//! votes in an entity count as one holder's. Written once here and used by
//! control, `power`, `block`, seat rights and charter constraints.

use chrono::NaiveDate;

use crate::model::Structure;

/// A group whose members' weights were merged into one voter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pooled<W> {
    /// The group's id: the merged voter's id.
    pub group: String,
    /// The members merged, each with its own weight.
    pub members: Vec<(String, W)>,
}

/// `voters` of `entity` on `date` with each binding group's members merged
/// into one voter, under the group's id, in the place of its first member.
/// Also returns, per group merged, the members and their own weights.
/// Voters in no binding group are left as they are.
pub fn pool<W>(
    s: &Structure,
    entity: &str,
    date: Option<NaiveDate>,
    voters: &[(String, W)],
) -> (Vec<(String, W)>, Vec<Pooled<W>>)
where
    W: Copy + std::ops::Add<Output = W>,
{
    let mut out: Vec<(String, W)> = Vec::new();
    let mut pooled: Vec<Pooled<W>> = Vec::new();
    for (p, w) in voters {
        match s.group_binding(p, entity, date) {
            Some(g) => {
                match out.iter_mut().find(|(q, _)| *q == g.id) {
                    Some((_, x)) => *x = *x + *w,
                    None => out.push((g.id.clone(), *w)),
                }
                match pooled.iter_mut().find(|x| x.group == g.id) {
                    Some(x) => x.members.push((p.clone(), *w)),
                    None => pooled.push(Pooled {
                        group: g.id.clone(),
                        members: vec![(p.clone(), *w)],
                    }),
                }
            }
            None => out.push((p.clone(), *w)),
        }
    }
    (out, pooled)
}
