//! What users follow, the notices made for them, and how each wants them mailed: the
//! same statements for every backend ([`notice_methods`]), as the account tables'.
//!
//! A notice names its record (kind and id) and what happened, never the record's
//! content: titles are read from the record when the notice is shown or mailed, through
//! the reader's reach, so a record no longer released to them is not shown at all.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hawkari_core::record::Kind;
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// What a user may follow: one record, or their organisation's commitments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FollowTarget {
    Commitment,
    Engagement,
    Operation,
    Programme,
    /// The commitments owed by the user's organisation (or one below it).
    OwedBy,
    /// The commitments owed to the user's organisation (or one below it).
    OwedTo,
}

impl FollowTarget {
    pub const ALL: [FollowTarget; 6] = [
        FollowTarget::Commitment,
        FollowTarget::Engagement,
        FollowTarget::Operation,
        FollowTarget::Programme,
        FollowTarget::OwedBy,
        FollowTarget::OwedTo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FollowTarget::Commitment => "commitment",
            FollowTarget::Engagement => "engagement",
            FollowTarget::Operation => "operation",
            FollowTarget::Programme => "programme",
            FollowTarget::OwedBy => "owed_by",
            FollowTarget::OwedTo => "owed_to",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The record kind a follow of one record names; `None` for the organisation's
    /// commitments.
    pub fn kind(self) -> Option<Kind> {
        match self {
            FollowTarget::Commitment => Some(Kind::Commitment),
            FollowTarget::Engagement => Some(Kind::Engagement),
            FollowTarget::Operation => Some(Kind::Operation),
            FollowTarget::Programme => Some(Kind::Programme),
            FollowTarget::OwedBy | FollowTarget::OwedTo => None,
        }
    }

    /// The target that follows one record of `kind`.
    pub fn of_kind(kind: Kind) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.kind() == Some(kind))
    }
}

/// Something a user follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Follow {
    pub id: String,
    pub target: FollowTarget,
    /// The record followed; absent for `owed_by` and `owed_to`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What a notice tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeEvent {
    /// A commitment is past its due day and still pending.
    Overdue,
    /// A pending commitment falls due within the next days.
    DueSoon,
    /// A commitment's status changed.
    Status,
    /// Someone commented on the record.
    Comment,
}

impl NoticeEvent {
    pub const ALL: [NoticeEvent; 4] = [
        NoticeEvent::Overdue,
        NoticeEvent::DueSoon,
        NoticeEvent::Status,
        NoticeEvent::Comment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeEvent::Overdue => "overdue",
            NoticeEvent::DueSoon => "due_soon",
            NoticeEvent::Status => "status",
            NoticeEvent::Comment => "comment",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// A notice to one user about one record.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub id: String,
    pub user_id: String,
    /// What makes it one of a kind: a second notice with the same key for the same
    /// user is not made (`overdue:commitment:c-1:2025-05-01`).
    pub key: String,
    pub event: NoticeEvent,
    pub kind: Kind,
    pub record_id: String,
    pub at: DateTime<Utc>,
    /// The event's facts (a status, who commented, a due day), never record content.
    pub detail: serde_json::Value,
    pub read_at: Option<DateTime<Utc>>,
    pub mailed_at: Option<DateTime<Utc>>,
}

/// How a user wants their notices by e-mail, and in which language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NoticeSettings {
    /// Where notices are mailed; unset, none are.
    #[serde(default)]
    pub email: Option<String>,
    /// `en`, `ar` or `ckb`: the language of the notices and the mail.
    pub language: String,
    /// Each notice mailed as it is made.
    pub immediate: bool,
    /// One mail a day with the day's notices.
    pub digest: bool,
    /// When the last digest was mailed.
    #[serde(default, skip_deserializing)]
    pub last_digest_at: Option<DateTime<Utc>>,
}

impl Default for NoticeSettings {
    fn default() -> Self {
        Self {
            email: None,
            language: "en".into(),
            immediate: false,
            digest: false,
            last_digest_at: None,
        }
    }
}

/// Follows, notices and mail settings.
#[async_trait]
pub trait NoticeStore: Send + Sync {
    /// Adds a follow, or returns the one the user already has of the same thing.
    async fn follow(
        &self,
        user_id: &str,
        target: FollowTarget,
        record_id: Option<&str>,
    ) -> Result<Follow, StoreError>;
    /// Removes one of the user's follows (`NoSuch` if they have none by that id).
    async fn unfollow(&self, user_id: &str, id: &str) -> Result<(), StoreError>;
    async fn follows(&self, user_id: &str) -> Result<Vec<Follow>, StoreError>;
    /// The users who follow `target` (with `record_id`, that record).
    async fn followers(
        &self,
        target: FollowTarget,
        record_id: Option<&str>,
    ) -> Result<Vec<String>, StoreError>;
    /// The users who follow anything.
    async fn users_following(&self) -> Result<Vec<String>, StoreError>;
    /// Stores a notice unless the user has one with its key; true if stored.
    async fn add_notice(&self, notice: &Notice) -> Result<bool, StoreError>;
    /// Whether the user has a notice with this key.
    async fn has_notice(&self, user_id: &str, key: &str) -> Result<bool, StoreError>;
    /// A user's notices, newest first: unread ones only, or all; at most `limit`.
    async fn notices(
        &self,
        user_id: &str,
        unread_only: bool,
        limit: u32,
    ) -> Result<Vec<Notice>, StoreError>;
    /// A user's notices made at or after `since` (oldest first), or not yet mailed.
    async fn notices_to_mail(
        &self,
        user_id: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Notice>, StoreError>;
    async fn notice(&self, user_id: &str, id: &str) -> Result<Option<Notice>, StoreError>;
    async fn mark_read(
        &self,
        user_id: &str,
        ids: &[String],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn mark_mailed(&self, ids: &[String], at: DateTime<Utc>) -> Result<(), StoreError>;
    /// A user's settings (the defaults if they never set any).
    async fn notice_settings(&self, user_id: &str) -> Result<NoticeSettings, StoreError>;
    async fn set_notice_settings(
        &self,
        user_id: &str,
        settings: &NoticeSettings,
    ) -> Result<(), StoreError>;
    /// The users with an e-mail address who want immediate notices or a digest.
    async fn users_to_mail(&self) -> Result<Vec<(String, NoticeSettings)>, StoreError>;
}

/// Decoding of the tables' rows, the same in both backends.
pub(crate) mod decode {
    use super::{Follow, FollowTarget, Notice, NoticeEvent, NoticeSettings};
    use crate::StoreError;
    use crate::record_row::{StoredRow, parse_time};

    fn bad(what: &str, v: &str) -> StoreError {
        StoreError::Other(format!("stored {what} `{v}` is not known").into())
    }

    pub(crate) fn follow(r: &impl StoredRow) -> Result<Follow, StoreError> {
        let target = r.text("target")?;
        let record_id = r.text("record_id")?;
        Ok(Follow {
            id: r.text("id")?,
            target: FollowTarget::parse(&target).ok_or_else(|| bad("follow target", &target))?,
            record_id: (!record_id.is_empty()).then_some(record_id),
            created_at: parse_time(&r.text("created_at")?)?,
        })
    }

    pub(crate) fn notice(r: &impl StoredRow) -> Result<Notice, StoreError> {
        let event = r.text("event")?;
        let kind = r.text("kind")?;
        Ok(Notice {
            id: r.text("id")?,
            user_id: r.text("user_id")?,
            key: r.text("event_key")?,
            event: NoticeEvent::parse(&event).ok_or_else(|| bad("notice event", &event))?,
            kind: crate::plan::stored_kind(&kind).ok_or_else(|| bad("kind", &kind))?,
            record_id: r.text("record_id")?,
            at: parse_time(&r.text("at")?)?,
            detail: serde_json::from_str(&r.text("detail")?)
                .map_err(|e| StoreError::Other(e.into()))?,
            read_at: r
                .opt_text("read_at")?
                .as_deref()
                .map(parse_time)
                .transpose()?,
            mailed_at: r
                .opt_text("mailed_at")?
                .as_deref()
                .map(parse_time)
                .transpose()?,
        })
    }

    pub(crate) fn settings(r: &impl StoredRow) -> Result<NoticeSettings, StoreError> {
        Ok(NoticeSettings {
            email: r.opt_text("email")?,
            language: r.text("language")?,
            immediate: r.int("immediate")? != 0,
            digest: r.int("digest")? != 0,
            last_digest_at: r
                .opt_text("last_digest_at")?
                .as_deref()
                .map(parse_time)
                .transpose()?,
        })
    }
}

/// [`NoticeStore`] for a backend (`$store`, database `$db`): numbered parameters, which
/// sqlx binds by number in SQLite too, and `ON CONFLICT DO NOTHING`, which both speak.
macro_rules! notice_methods {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::notices::NoticeStore for $store {
            async fn follow(
                &self,
                user_id: &str,
                target: $crate::notices::FollowTarget,
                record_id: Option<&str>,
            ) -> Result<$crate::notices::Follow, $crate::StoreError> {
                let record_id = record_id.unwrap_or("");
                sqlx::query(
                    "INSERT INTO follows (id, user_id, target, record_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(hawkari_core::ids::mint())
                .bind(user_id)
                .bind(target.as_str())
                .bind(record_id)
                .bind($crate::accounts::decode::ts(chrono::Utc::now()))
                .execute(&self.pool)
                .await?;
                let row = sqlx::query(
                    "SELECT * FROM follows WHERE user_id = $1 AND target = $2 AND record_id = $3",
                )
                .bind(user_id)
                .bind(target.as_str())
                .bind(record_id)
                .fetch_one(&self.pool)
                .await?;
                $crate::notices::decode::follow(&row)
            }

            async fn unfollow(&self, user_id: &str, id: &str) -> Result<(), $crate::StoreError> {
                let done = sqlx::query("DELETE FROM follows WHERE user_id = $1 AND id = $2")
                    .bind(user_id)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NoSuch {
                        what: "follow",
                        id: id.to_owned(),
                    });
                }
                Ok(())
            }

            async fn follows(
                &self,
                user_id: &str,
            ) -> Result<Vec<$crate::notices::Follow>, $crate::StoreError> {
                let rows = sqlx::query(
                    "SELECT * FROM follows WHERE user_id = $1 ORDER BY target, record_id",
                )
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map($crate::notices::decode::follow).collect()
            }

            async fn followers(
                &self,
                target: $crate::notices::FollowTarget,
                record_id: Option<&str>,
            ) -> Result<Vec<String>, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT user_id FROM follows WHERE target = $1 AND record_id = $2 ORDER BY user_id",
                )
                .bind(target.as_str())
                .bind(record_id.unwrap_or(""))
                .fetch_all(&self.pool)
                .await?)
            }

            async fn users_following(&self) -> Result<Vec<String>, $crate::StoreError> {
                Ok(
                    sqlx::query_scalar("SELECT DISTINCT user_id FROM follows ORDER BY user_id")
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn add_notice(&self, n: &$crate::notices::Notice) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO notices (id, user_id, event_key, event, kind, record_id, at, detail, read_at, mailed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL) ON CONFLICT DO NOTHING",
                )
                .bind(&n.id)
                .bind(&n.user_id)
                .bind(&n.key)
                .bind(n.event.as_str())
                .bind(n.kind.as_str())
                .bind(&n.record_id)
                .bind($crate::accounts::decode::ts(n.at))
                .bind(n.detail.to_string())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn has_notice(&self, user_id: &str, key: &str) -> Result<bool, $crate::StoreError> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT count(*) FROM notices WHERE user_id = $1 AND event_key = $2",
                )
                .bind(user_id)
                .bind(key)
                .fetch_one(&self.pool)
                .await?;
                Ok(n > 0)
            }

            async fn notices(
                &self,
                user_id: &str,
                unread_only: bool,
                limit: u32,
            ) -> Result<Vec<$crate::notices::Notice>, $crate::StoreError> {
                let sql = if unread_only {
                    "SELECT * FROM notices WHERE user_id = $1 AND read_at IS NULL ORDER BY at DESC, id DESC LIMIT $2"
                } else {
                    "SELECT * FROM notices WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT $2"
                };
                let rows = sqlx::query(sql)
                    .bind(user_id)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map($crate::notices::decode::notice).collect()
            }

            async fn notices_to_mail(
                &self,
                user_id: &str,
                since: Option<chrono::DateTime<chrono::Utc>>,
            ) -> Result<Vec<$crate::notices::Notice>, $crate::StoreError> {
                let rows = match since {
                    Some(t) => sqlx::query(
                        "SELECT * FROM notices WHERE user_id = $1 AND at >= $2 ORDER BY at, id LIMIT 500",
                    )
                    .bind(user_id)
                    .bind($crate::accounts::decode::ts(t)),
                    None => sqlx::query(
                        "SELECT * FROM notices WHERE user_id = $1 AND mailed_at IS NULL ORDER BY at, id LIMIT 500",
                    )
                    .bind(user_id),
                }
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map($crate::notices::decode::notice).collect()
            }

            async fn notice(
                &self,
                user_id: &str,
                id: &str,
            ) -> Result<Option<$crate::notices::Notice>, $crate::StoreError> {
                sqlx::query("SELECT * FROM notices WHERE user_id = $1 AND id = $2")
                    .bind(user_id)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(|r| $crate::notices::decode::notice(&r))
                    .transpose()
            }

            async fn mark_read(
                &self,
                user_id: &str,
                ids: &[String],
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), $crate::StoreError> {
                for id in ids {
                    sqlx::query(
                        "UPDATE notices SET read_at = $1 WHERE user_id = $2 AND id = $3 AND read_at IS NULL",
                    )
                    .bind($crate::accounts::decode::ts(at))
                    .bind(user_id)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                }
                Ok(())
            }

            async fn mark_mailed(
                &self,
                ids: &[String],
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), $crate::StoreError> {
                for id in ids {
                    sqlx::query("UPDATE notices SET mailed_at = $1 WHERE id = $2 AND mailed_at IS NULL")
                        .bind($crate::accounts::decode::ts(at))
                        .bind(id)
                        .execute(&self.pool)
                        .await?;
                }
                Ok(())
            }

            async fn notice_settings(
                &self,
                user_id: &str,
            ) -> Result<$crate::notices::NoticeSettings, $crate::StoreError> {
                Ok(sqlx::query("SELECT * FROM notice_settings WHERE user_id = $1")
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(|r| $crate::notices::decode::settings(&r))
                    .transpose()?
                    .unwrap_or_default())
            }

            async fn set_notice_settings(
                &self,
                user_id: &str,
                s: &$crate::notices::NoticeSettings,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO notice_settings (user_id, email, language, immediate, digest, last_digest_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, language = excluded.language, \
                     immediate = excluded.immediate, digest = excluded.digest, last_digest_at = excluded.last_digest_at",
                )
                .bind(user_id)
                .bind(&s.email)
                .bind(&s.language)
                .bind(i64::from(s.immediate))
                .bind(i64::from(s.digest))
                .bind(s.last_digest_at.map($crate::accounts::decode::ts))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn users_to_mail(
                &self,
            ) -> Result<Vec<(String, $crate::notices::NoticeSettings)>, $crate::StoreError> {
                let rows = sqlx::query(
                    "SELECT s.* FROM notice_settings s JOIN users u ON u.id = s.user_id \
                     WHERE s.email IS NOT NULL AND (s.immediate <> 0 OR s.digest <> 0) AND u.disabled = 0 \
                     ORDER BY s.user_id",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        use $crate::record_row::StoredRow;
                        Ok((r.text("user_id")?, $crate::notices::decode::settings(r)?))
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use notice_methods;
