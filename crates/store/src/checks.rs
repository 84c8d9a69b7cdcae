//! The checks a write makes before it commits, the same SQL for every backend (numbered
//! parameters, which sqlx binds by number in SQLite too): references resolve within the
//! writer's reach, a hierarchy does not loop, a delete does not orphan, an update meets
//! the version it expects.

/// The checks as inherent methods of a backend's store (`$store`, database `$db`). The
/// backend's module provides `lists::push_visible`, `table`, `key_column` and the names
/// the methods use.
macro_rules! write_checks {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn check_hierarchy(
                tx: &mut Transaction<'_, $db>,
                id: &str,
            ) -> Result<(), StoreError> {
                let looped: Option<i64> = sqlx::query_scalar(
                    "WITH RECURSIVE up(id, depth) AS ( \
                         SELECT parent_id, 1 FROM organisations WHERE id = $1 \
                         UNION ALL SELECT o.parent_id, up.depth + 1 FROM organisations o JOIN up ON o.id = up.id \
                         WHERE up.depth < 256) \
                     SELECT CAST(1 AS BIGINT) FROM up WHERE id = $1 LIMIT 1",
                )
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
                match looped {
                    Some(_) => Err(StoreError::invalid(
                        "parent_id",
                        "that parent is below this organisation: the hierarchy would become a loop",
                    )),
                    None => Ok(()),
                }
            }
            async fn check_references(
                tx: &mut Transaction<'_, $db>,
                rows: &[Box<RowIn>],
                reach: &Reach,
            ) -> Result<(), StoreError> {
                let mut seen = std::collections::HashSet::new();
                let refs: Vec<_> = rows
                    .iter()
                    .flat_map(|row| {
                        row.refs
                            .iter()
                            .filter(|r| !(r.kind == row.kind && r.id == row.id) && r.kind != Kind::Group)
                    })
                    .filter(|r| seen.insert((r.kind, r.id.as_str())))
                    .collect();
                for chunk in refs.chunks(200) {
                    Self::check_reference_chunk(tx, chunk, reach).await?;
                }
                Ok(())
            }
            async fn check_reference_chunk(
                tx: &mut Transaction<'_, $db>,
                refs: &[&Reference],
                reach: &Reach,
            ) -> Result<(), StoreError> {
                if refs.is_empty() {
                    return Ok(());
                }
                let mut qb = QueryBuilder::new("SELECT n FROM (");
                for (i, r) in refs.iter().enumerate() {
                    if i > 0 {
                        qb.push(" UNION ALL ");
                    }
                    qb.push(format!(
                        "SELECT CAST({i} AS BIGINT) AS n WHERE NOT EXISTS (SELECT 1 FROM {} x WHERE x.{} = ",
                        table(r.kind),
                        key_column(r.kind)
                    ));
                    qb.push_bind(r.id.clone());
                    if r.kind != Kind::Topic {
                        lists::push_visible(&mut qb, "x", r.kind, reach);
                    }
                    qb.push(")");
                }
                qb.push(") missing ORDER BY n LIMIT 1");
                if let Some(missing) = qb.build().fetch_optional(&mut **tx).await? {
                    let r = refs[missing.try_get::<i64, _>(0)? as usize];
                    return Err(StoreError::invalid(
                        r.field.clone(),
                        format!("no {} with id `{}`", r.kind.as_str(), r.id),
                    ));
                }
                Ok(())
            }
            async fn missing_or_conflict(
                tx: &mut Transaction<'_, $db>,
                kind: Kind,
                id: &str,
            ) -> StoreError {
                let sql = format!("SELECT version FROM {} WHERE id = $1", table(kind));
                match sqlx::query_scalar::<_, i64>(&sql)
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await
                {
                    Ok(Some(current)) => StoreError::VersionConflict { current },
                    Ok(None) => StoreError::NotFound {
                        kind,
                        id: id.to_owned(),
                    },
                    Err(e) => e.into(),
                }
            }
            /// A record still referred to is not deleted: the first referring record the
            /// deleter can see is named. Records the deleter cannot see do not stop the
            /// delete — refusing would tell them such records exist — so their references
            /// are left as their owners wrote them and the deleted record is listed in
            /// `deleted_records`, which the dangling-reference checks pass over.
            async fn refuse_if_referenced(
                tx: &mut Transaction<'_, $db>,
                kind: Kind,
                id: &str,
                reach: &Reach,
            ) -> Result<(), StoreError> {
                if kind == Kind::Organisation {
                    let accounts: Option<i64> = sqlx::query_scalar(
                        "SELECT CAST(1 AS BIGINT) FROM users WHERE organisation_id = $1 LIMIT 1",
                    )
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?;
                    if accounts.is_some() {
                        return Err(StoreError::Conflict(format!(
                            "organisation `{id}` still has user accounts, so it stays in the registry"
                        )));
                    }
                }
                let sources: Vec<String> = sqlx::query_scalar(
                    "SELECT DISTINCT src_kind FROM refs WHERE dst_kind = $1 AND dst_id = $2 \
                     AND NOT (src_kind = $1 AND src_id = $2) ORDER BY src_kind",
                )
                .bind(kind.as_str())
                .bind(id)
                .fetch_all(&mut **tx)
                .await?;
                if sources.is_empty() {
                    return Ok(());
                }
                for src in &sources {
                    let Some(src_kind) = crate::plan::stored_kind(src) else {
                        continue;
                    };
                    let mut qb = QueryBuilder::new(format!(
                        "SELECT x.id, r.rel FROM refs r JOIN {} x ON x.id = r.src_id WHERE r.src_kind = ",
                        table(src_kind)
                    ));
                    qb.push_bind(src_kind.as_str().to_owned());
                    qb.push(" AND r.dst_kind = ");
                    qb.push_bind(kind.as_str().to_owned());
                    qb.push(" AND r.dst_id = ");
                    qb.push_bind(id.to_owned());
                    if src_kind == kind {
                        qb.push(" AND r.src_id <> ");
                        qb.push_bind(id.to_owned());
                    }
                    lists::push_visible(&mut qb, "x", src_kind, reach);
                    qb.push(" ORDER BY x.id, r.rel LIMIT 1");
                    if let Some(r) = qb.build().fetch_optional(&mut **tx).await? {
                        return Err(StoreError::Conflict(format!(
                            "{} `{id}` is still referenced by {} `{}` ({}); change or delete that first",
                            kind.as_str(),
                            src_kind.as_str(),
                            r.try_get::<String, _>(0)?,
                            r.try_get::<String, _>(1)?,
                        )));
                    }
                }
                sqlx::query(
                    "INSERT INTO deleted_records (record, deleted_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(format!("{}/{id}", kind.as_str()))
                .bind(crate::record_row::timestamp(chrono::Utc::now()))
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
            /// Before a bulk import commits: every reference written resolves (the first 50
            /// dangling ones are named) and no organisation sits below itself.
            async fn check_bulk(tx: &mut Transaction<'_, $db>) -> Result<(), StoreError> {
                const REPORTED: i64 = 50;
                let mut errors = Vec::new();
                for kind in [
                    Kind::Organisation,
                    Kind::Person,
                    Kind::Place,
                    Kind::Topic,
                    Kind::Engagement,
                ] {
                    let sql = format!(
                        "SELECT r.src_kind, r.src_id, r.rel, r.dst_id FROM refs r WHERE r.dst_kind = $1 \
                         AND NOT EXISTS (SELECT 1 FROM {} x WHERE x.{} = r.dst_id) \
                         AND NOT EXISTS (SELECT 1 FROM deleted_records d WHERE d.record = r.dst_kind || '/' || r.dst_id) \
                         ORDER BY r.src_kind, r.src_id, r.rel, r.dst_id LIMIT {REPORTED}",
                        table(kind),
                        key_column(kind)
                    );
                    for row in sqlx::query(&sql)
                        .bind(kind.as_str())
                        .fetch_all(&mut **tx)
                        .await?
                    {
                        errors.push(hawkari_core::FieldError {
                            field: format!(
                                "{} `{}` ({})",
                                row.try_get::<String, _>(0)?,
                                row.try_get::<String, _>(1)?,
                                row.try_get::<String, _>(2)?
                            ),
                            message: format!(
                                "no {} with id `{}`",
                                kind.as_str(),
                                row.try_get::<String, _>(3)?
                            ),
                        });
                    }
                }
                let looped: Option<String> = sqlx::query_scalar(
                    "WITH RECURSIVE up(start, id, depth) AS ( \
                         SELECT id, parent_id, 1 FROM organisations WHERE parent_id IS NOT NULL \
                         UNION ALL SELECT up.start, o.parent_id, up.depth + 1 FROM organisations o JOIN up ON o.id = up.id \
                         WHERE o.parent_id IS NOT NULL AND up.depth < 256) \
                     SELECT start FROM up WHERE id = start LIMIT 1",
                )
                .fetch_optional(&mut **tx)
                .await?;
                if let Some(id) = looped {
                    errors.push(hawkari_core::FieldError {
                        field: format!("organisation `{id}` (parent_id)"),
                        message: "the hierarchy loops back to this organisation".into(),
                    });
                }
                if !errors.is_empty() {
                    return Err(StoreError::Invalid(hawkari_core::ValidationError {
                        errors,
                    }));
                }
                Ok(())
            }
        }
    };
}
pub(crate) use write_checks;
