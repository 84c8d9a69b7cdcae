//! Accounts and sign-in: who is asking (a [`Principal`]), passwords (argon2id, hashed off
//! the async runtime), browser sessions, API tokens, and lockout after repeated failures.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use hawkari_core::ValidationError;
use hawkari_core::access::{Reach, ReleaseGroup, Role, User, check_username};
use hawkari_core::ids::OrganisationId;
use hawkari_core::organisation::{Organisation, OrganisationKind};
use hawkari_core::record::Kind;
use hawkari_store::{AnyRecord, ApiToken, AuditEvent, Session, StoredUser, TokenScope};
use sha2::{Digest, Sha256};

use crate::{App, AppError};

/// Failed sign-ins in a row before an account is locked.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT_MINUTES: i64 = 15;
/// How long a browser session lasts.
pub const SESSION_HOURS: i64 = 12;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// One organisation of a principal's chain: itself, then each one above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgLink {
    pub id: OrganisationId,
    pub parent: Option<OrganisationId>,
    pub kind: OrganisationKind,
}

/// Who a request acts as.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The signed-in user; `None` for the command line's own work.
    pub user: Option<User>,
    /// Recorded as created_by / updated_by and in the audit log.
    pub actor: String,
    /// The user's organisation and those above it, for policy decisions.
    pub chain: Vec<OrgLink>,
    /// What the user's organisation sees, for database filters.
    pub reach: Reach,
    /// Set when the request came with an API token.
    pub scope: Option<TokenScope>,
}

impl Principal {
    /// The command line acting on the whole database (imports, exports, admin).
    pub fn system(actor: &str) -> Self {
        Self {
            user: None,
            actor: actor.to_owned(),
            chain: vec![],
            reach: Reach::Everything,
            scope: None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|u| u.role)
    }

    pub fn organisation_id(&self) -> Option<&OrganisationId> {
        self.user.as_ref().map(|u| &u.organisation_id)
    }

    pub fn is_system_admin(&self) -> bool {
        self.role() == Some(Role::SystemAdmin)
    }

    /// The record's owning organisation, when it is not the actor's own: a partner's
    /// follow-up concerns the owner, whose administrators see it in their audit trail.
    pub fn foreign_owner(&self, owner: &OrganisationId) -> Option<String> {
        (self.organisation_id() != Some(owner)).then(|| owner.to_string())
    }

    /// Whether this request may change anything at all (a read-only token or a calendar
    /// feed's may not).
    pub fn may_write(&self) -> bool {
        matches!(self.scope, None | Some(TokenScope::Write))
    }

    /// An audit event by this principal.
    pub fn event(
        &self,
        at: DateTime<Utc>,
        action: &str,
        kind: Option<Kind>,
        record_id: Option<&str>,
        detail: serde_json::Value,
    ) -> AuditEvent {
        AuditEvent {
            at,
            actor: self.actor.clone(),
            organisation_id: self.organisation_id().map(ToString::to_string),
            action: action.to_owned(),
            kind: kind.map(|k| k.as_str().to_owned()),
            record_id: record_id.map(str::to_owned),
            detail,
            concerns: vec![],
        }
    }
}

/// A secret handed to a client once: a session cookie or an API token.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// 32 random bytes from the operating system, as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest a secret is stored and looked up by.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new browser session: the cookie's secret and the CSRF token forms must echo.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub secret: Secret,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the operating system provides randomness");
        let salt = SaltString::encode_b64(&bytes)?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| AppError::Unavailable(format!("password hashing stopped: {e}")))?
    .map_err(|e| AppError::Unavailable(format!("password hashing failed: {e}")))
}

async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// The one answer to every failed sign-in, so that it does not tell which part was wrong.
fn sign_in_failed() -> AppError {
    AppError::Unauthenticated(format!(
        "sign-in failed: wrong username or password, or the account is locked after {MAX_FAILED_LOGINS} failures (wait {LOCKOUT_MINUTES} minutes)"
    ))
}

/// What a user of the organisation at the start of `chain` (it, then each one above it)
/// reaches: those organisations and their release groups. The read path's principals and
/// federation's destinations (`federation::route`) both come from here.
pub fn reach_of_chain(chain: &[OrgLink]) -> Reach {
    let mut groups: Vec<ReleaseGroup> = chain
        .iter()
        .flat_map(|l| ReleaseGroup::of_kind(l.kind))
        .collect();
    groups.sort();
    groups.dedup();
    Reach::Released {
        orgs: chain.iter().map(|l| l.id.clone()).collect(),
        groups,
    }
}

impl App {
    /// An organisation and each one above it, up the tree (any releasability: the tree
    /// is what releases reach through).
    pub async fn org_chain(&self, org: &OrganisationId) -> Result<Vec<OrgLink>, AppError> {
        let mut chain = Vec::new();
        let mut next = Some(org.clone());
        while let Some(id) = next.take() {
            if chain.len() >= 64 || chain.iter().any(|l: &OrgLink| l.id == id) {
                break;
            }
            if let Some(AnyRecord::Organisation(o)) = self
                .store
                .get(Kind::Organisation, id.as_str(), &Reach::Everything)
                .await?
            {
                let Organisation { id, data, .. } = o;
                next = data.parent_id.clone();
                chain.push(OrgLink {
                    id,
                    parent: data.parent_id,
                    kind: data.kind,
                });
            }
        }
        Ok(chain)
    }

    /// The principal of a user: their organisation chain and what it reaches.
    pub async fn principal(
        &self,
        user: User,
        scope: Option<TokenScope>,
    ) -> Result<Principal, AppError> {
        let chain = self.org_chain(&user.organisation_id).await?;
        let reach = reach_of_chain(&chain);
        Ok(Principal {
            actor: user.username.clone(),
            user: Some(user),
            chain,
            reach,
            scope,
        })
    }

    /// Creates an account. The command line may create any; a system admin any; an
    /// organisation admin only users of their own organisation, up to their own role.
    pub async fn create_user(
        &self,
        by: &Principal,
        username: &str,
        organisation_id: &OrganisationId,
        role: Role,
        password: &str,
    ) -> Result<User, AppError> {
        match by.role() {
            None | Some(Role::SystemAdmin) => {}
            Some(Role::OrgAdmin)
                if by.organisation_id() == Some(organisation_id) && role != Role::SystemAdmin => {}
            _ => {
                return Err(AppError::Forbidden(
                    "only administrators create accounts".into(),
                ));
            }
        }
        if !by.may_write() {
            return Err(AppError::Forbidden("this API token may only read".into()));
        }
        check_username(username).map_err(|m| ValidationError::single("username", m))?;
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(ValidationError::single(
                "password",
                format!("at least {MIN_PASSWORD_CHARS} characters"),
            )
            .into());
        }
        let user = User {
            id: hawkari_core::ids::mint(),
            username: username.to_owned(),
            organisation_id: organisation_id.clone(),
            role,
            disabled: false,
        };
        let stored = StoredUser {
            user: user.clone(),
            password_hash: hash_password(password.to_owned()).await?,
            failed_logins: 0,
            locked_until: None,
        };
        // Everyone whose releases the new account will read is told: its organisation and
        // each one above it (their administrators see the entry in their audit trail).
        let concerns = self
            .org_chain(organisation_id)
            .await?
            .into_iter()
            .map(|l| l.id.to_string())
            .chain([organisation_id.to_string()]);
        let detail = serde_json::json!({"username": username, "organisation_id": organisation_id, "role": role});
        let event = by
            .event(self.now(), "user_created", None, Some(&user.id), detail)
            .concerning(concerns);
        self.store.create_user(&stored, event).await?;
        Ok(user)
    }

    /// The accounts `by` administers: every account for the command line and system
    /// administrators, their own organisation's for an organisation administrator.
    pub async fn list_accounts(&self, by: &Principal) -> Result<Vec<User>, AppError> {
        let all = self.store.list_users().await?;
        match by.role() {
            None | Some(Role::SystemAdmin) => Ok(all),
            Some(Role::OrgAdmin) => Ok(all
                .into_iter()
                .filter(|u| Some(&u.organisation_id) == by.organisation_id())
                .collect()),
            _ => Err(AppError::Forbidden(
                "only administrators manage accounts".into(),
            )),
        }
    }

    /// An account `by` may manage: any for the command line and system administrators;
    /// for an organisation administrator, their own organisation's accounts below system
    /// administrator. Any other answers as an account that does not exist.
    async fn managed_user(&self, by: &Principal, user_id: &str) -> Result<User, AppError> {
        let no_such = || AppError::NoSuch(format!("no account `{user_id}`"));
        let user = self
            .store
            .user_by_id(user_id)
            .await?
            .ok_or_else(no_such)?
            .user;
        match by.role() {
            None | Some(Role::SystemAdmin) => Ok(user),
            Some(Role::OrgAdmin)
                if Some(&user.organisation_id) == by.organisation_id()
                    && user.role != Role::SystemAdmin =>
            {
                Ok(user)
            }
            Some(Role::OrgAdmin) => Err(no_such()),
            _ => Err(AppError::Forbidden(
                "only administrators manage accounts".into(),
            )),
        }
    }

    /// The organisations an account's changes concern: its own and each one above it.
    async fn account_concerns(&self, org: &OrganisationId) -> Result<Vec<String>, AppError> {
        Ok(self
            .org_chain(org)
            .await?
            .into_iter()
            .map(|l| l.id.to_string())
            .chain([org.to_string()])
            .collect())
    }

    /// Changes an account's role or disables (or enables) it. No one changes their own
    /// role or disables their own account; an organisation administrator gives roles up
    /// to their own.
    pub async fn update_account(
        &self,
        by: &Principal,
        user_id: &str,
        role: Option<Role>,
        disabled: Option<bool>,
    ) -> Result<User, AppError> {
        if !by.may_write() {
            return Err(AppError::Forbidden("this API token may only read".into()));
        }
        let user = self.managed_user(by, user_id).await?;
        if by.user.as_ref().is_some_and(|me| me.id == user.id) {
            return Err(AppError::Forbidden(
                "no one changes their own role or disables their own account".into(),
            ));
        }
        let role = role.unwrap_or(user.role);
        if by.role() == Some(Role::OrgAdmin) && role == Role::SystemAdmin {
            return Err(ValidationError::single(
                "role",
                "an organisation administrator gives roles up to org_admin",
            )
            .into());
        }
        let disabled = disabled.unwrap_or(user.disabled);
        let detail = serde_json::json!({
            "username": user.username, "organisation_id": user.organisation_id,
            "before": {"role": user.role, "disabled": user.disabled},
            "after": {"role": role, "disabled": disabled},
        });
        let event = by
            .event(self.now(), "user_updated", None, Some(&user.id), detail)
            .concerning(self.account_concerns(&user.organisation_id).await?);
        self.store
            .update_user(&user.id, role, disabled, event)
            .await?;
        Ok(User {
            role,
            disabled,
            ..user
        })
    }

    /// An administrator sets a new password for an account they manage: it is unlocked
    /// and its sessions end. The password is never logged or returned.
    pub async fn set_account_password(
        &self,
        by: &Principal,
        user_id: &str,
        password: &str,
    ) -> Result<User, AppError> {
        if !by.may_write() {
            return Err(AppError::Forbidden("this API token may only read".into()));
        }
        let user = self.managed_user(by, user_id).await?;
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(ValidationError::single(
                "password",
                format!("at least {MIN_PASSWORD_CHARS} characters"),
            )
            .into());
        }
        let hash = hash_password(password.to_owned()).await?;
        let event = by
            .event(
                self.now(),
                "password_reset",
                None,
                Some(&user.id),
                serde_json::json!({"username": user.username, "organisation_id": user.organisation_id}),
            )
            .concerning(self.account_concerns(&user.organisation_id).await?);
        self.store.set_password(&user.id, &hash, event).await?;
        Ok(user)
    }

    /// Sets a new password for `username` (the command line's reset), unlocking the
    /// account and ending its sessions.
    pub async fn reset_password(
        &self,
        by: &Principal,
        username: &str,
        password: &str,
    ) -> Result<User, AppError> {
        if by.user.is_some() {
            return Err(AppError::Forbidden(
                "passwords are reset from the command line".into(),
            ));
        }
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(ValidationError::single(
                "password",
                format!("at least {MIN_PASSWORD_CHARS} characters"),
            )
            .into());
        }
        let stored = self
            .store
            .user_by_username(username)
            .await?
            .ok_or_else(|| AppError::NoSuch(format!("no user `{username}`")))?;
        let hash = hash_password(password.to_owned()).await?;
        let event = by.event(
            self.now(),
            "password_reset",
            None,
            Some(&stored.user.id),
            serde_json::json!({"username": username}),
        );
        self.store
            .set_password(&stored.user.id, &hash, event)
            .await?;
        Ok(stored.user)
    }

    /// Checks a password and opens a session. Every failure says the same thing; five in
    /// a row lock the account for fifteen minutes. Successes and failures are audited.
    pub async fn login(&self, username: &str, password: &str) -> Result<NewSession, AppError> {
        let now = self.now();
        // Every path below spends one password check and one audited write, so that
        // neither the answer nor its timing tells an unknown username from a locked,
        // disabled or real account.
        let Some(stored) = self.store.user_by_username(username).await? else {
            let _ = verify_password(password.to_owned(), DUMMY_HASH.to_owned()).await;
            let event = AuditEvent {
                at: now,
                actor: username.chars().take(64).collect(),
                organisation_id: None,
                action: "login_failed".into(),
                kind: None,
                record_id: None,
                detail: serde_json::json!({"unknown_username": true}),
                concerns: vec![],
            };
            self.store
                .write(vec![hawkari_store::Write::Audit(event)], &Reach::Everything)
                .await?;
            return Err(sign_in_failed());
        };
        let id = stored.user.id.clone();
        let locked = stored.locked_until.is_some_and(|t| t > now);
        let event = |action: &str, detail| AuditEvent {
            at: now,
            actor: username.to_owned(),
            organisation_id: Some(stored.user.organisation_id.to_string()),
            action: action.to_owned(),
            kind: None,
            record_id: None,
            detail,
            concerns: vec![],
        };
        let password_ok = verify_password(password.to_owned(), stored.password_hash.clone()).await;
        if locked || stored.user.disabled || !password_ok {
            let failures = if locked {
                stored.failed_logins
            } else {
                stored.failed_logins + 1
            };
            let lock = (failures >= MAX_FAILED_LOGINS).then(|| {
                stored
                    .locked_until
                    .filter(|t| *t > now)
                    .unwrap_or(now + Duration::minutes(LOCKOUT_MINUTES))
            });
            let detail =
                serde_json::json!({"failures_in_a_row": failures, "locked": lock.is_some()});
            self.store
                .record_login(&id, failures, lock, event("login_failed", detail))
                .await?;
            return Err(sign_in_failed());
        }
        self.store
            .record_login(&id, 0, None, event("login", serde_json::json!({})))
            .await?;
        let session = NewSession {
            secret: Secret(random_token()),
            csrf_token: random_token(),
            expires_at: now + Duration::hours(SESSION_HOURS),
            user: stored.user,
        };
        let row = Session {
            user_id: id,
            csrf_token: session.csrf_token.clone(),
            expires_at: session.expires_at,
        };
        self.store
            .create_session(&digest(&session.secret.0), &row)
            .await?;
        Ok(session)
    }

    /// The principal of a session cookie, and the CSRF token its forms must send.
    pub async fn authenticate_session(
        &self,
        secret: &str,
    ) -> Result<(Principal, String), AppError> {
        let unauthenticated = || {
            AppError::Unauthenticated("sign in again: the session is unknown or has expired".into())
        };
        let session = self
            .store
            .session(&digest(secret))
            .await?
            .ok_or_else(unauthenticated)?;
        if session.expires_at <= self.now() {
            return Err(unauthenticated());
        }
        let user = self
            .active_user(&session.user_id)
            .await?
            .ok_or_else(unauthenticated)?;
        Ok((self.principal(user, None).await?, session.csrf_token))
    }

    /// The principal of an API token.
    pub async fn authenticate_token(&self, secret: &str) -> Result<Principal, AppError> {
        let unauthenticated =
            || AppError::Unauthenticated("the API token is unknown or revoked".into());
        let token = self
            .store
            .token(&digest(secret))
            .await?
            .ok_or_else(unauthenticated)?;
        // A calendar feed's secret sits in a calendar client's address book: it reads
        // that feed (`calendar_feed_principal`) and is no API token.
        if token.scope == TokenScope::Calendar {
            return Err(unauthenticated());
        }
        let user = self
            .active_user(&token.user_id)
            .await?
            .ok_or_else(unauthenticated)?;
        self.principal(user, Some(token.scope)).await
    }

    /// The principal a calendar feed's secret reads as: its user, with the calendar
    /// scope (which writes nothing). An unknown, revoked or non-calendar secret, or a
    /// disabled user, is `NotFound`: a feed address answers 404 once it is revoked.
    pub async fn calendar_feed_principal(&self, secret: &str) -> Result<Principal, AppError> {
        let gone = || AppError::NoSuch("no such calendar feed".into());
        let token = self
            .store
            .token(&digest(secret))
            .await?
            .filter(|t| t.scope == TokenScope::Calendar)
            .ok_or_else(gone)?;
        let user = self.active_user(&token.user_id).await?.ok_or_else(gone)?;
        self.principal(user, Some(TokenScope::Calendar)).await
    }

    async fn active_user(&self, id: &str) -> Result<Option<User>, AppError> {
        Ok(self
            .store
            .user_by_id(id)
            .await?
            .map(|s| s.user)
            .filter(|u| !u.disabled))
    }

    /// Ends a session.
    pub async fn logout(&self, principal: &Principal, secret: &str) -> Result<(), AppError> {
        let event = principal.event(self.now(), "logout", None, None, serde_json::json!({}));
        Ok(self.store.delete_session(&digest(secret), event).await?)
    }

    /// Creates an API token for the principal's own user; its secret is returned once.
    pub async fn create_token(
        &self,
        principal: &Principal,
        name: &str,
        scope: TokenScope,
    ) -> Result<(ApiToken, Secret), AppError> {
        let user = principal
            .user
            .as_ref()
            .ok_or_else(|| AppError::Forbidden("tokens belong to users".into()))?;
        if principal.scope.is_some() {
            return Err(AppError::Forbidden(
                "an API token cannot create tokens; sign in".into(),
            ));
        }
        // Counted as sent, as the OpenAPI document's `maxLength` counts; stored trimmed.
        let long = name.chars().count() > 100;
        let name = name.trim();
        if name.is_empty() || long {
            return Err(ValidationError::single("name", "1 to 100 characters").into());
        }
        let secret = Secret(random_token());
        let token = ApiToken {
            id: hawkari_core::ids::mint(),
            user_id: user.id.clone(),
            name: name.to_owned(),
            scope,
            created_at: self.now(),
            revoked_at: None,
        };
        let detail = serde_json::json!({"token_id": token.id, "name": name, "scope": scope});
        self.store
            .create_token(
                &token,
                &digest(&secret.0),
                principal.event(self.now(), "token_created", None, None, detail),
            )
            .await?;
        Ok((token, secret))
    }

    /// The principal's API tokens (not its calendar feeds), revoked ones too.
    pub async fn list_tokens(&self, principal: &Principal) -> Result<Vec<ApiToken>, AppError> {
        Ok(self
            .all_tokens(principal)
            .await?
            .into_iter()
            .filter(|t| t.scope != TokenScope::Calendar)
            .collect())
    }

    /// The principal's calendar feeds, revoked ones too.
    pub async fn list_calendar_feeds(
        &self,
        principal: &Principal,
    ) -> Result<Vec<ApiToken>, AppError> {
        Ok(self
            .all_tokens(principal)
            .await?
            .into_iter()
            .filter(|t| t.scope == TokenScope::Calendar)
            .collect())
    }

    async fn all_tokens(&self, principal: &Principal) -> Result<Vec<ApiToken>, AppError> {
        let user = principal
            .user
            .as_ref()
            .ok_or_else(|| AppError::Forbidden("tokens belong to users".into()))?;
        Ok(self.store.list_tokens(&user.id).await?)
    }

    /// Revokes one of the principal's calendar feeds (an API token's id answers as an
    /// unknown feed's).
    pub async fn revoke_calendar_feed(
        &self,
        principal: &Principal,
        feed_id: &str,
    ) -> Result<(), AppError> {
        let feeds = self.list_calendar_feeds(principal).await?;
        if !feeds.iter().any(|f| f.id == feed_id) {
            return Err(AppError::NoSuch(format!("no calendar feed `{feed_id}`")));
        }
        self.revoke_token(principal, feed_id).await
    }

    pub async fn revoke_token(
        &self,
        principal: &Principal,
        token_id: &str,
    ) -> Result<(), AppError> {
        let user = principal
            .user
            .as_ref()
            .ok_or_else(|| AppError::Forbidden("tokens belong to users".into()))?;
        if !principal.may_write() {
            return Err(AppError::Forbidden("this API token may only read".into()));
        }
        let event = principal.event(
            self.now(),
            "token_revoked",
            None,
            None,
            serde_json::json!({"token_id": token_id}),
        );
        Ok(self.store.revoke_token(&user.id, token_id, event).await?)
    }
}

/// The list pages a view can be saved of.
pub const VIEW_PAGES: [&str; 5] = [
    "/commitments",
    "/engagements",
    "/incidents",
    "/people",
    "/organisations",
];

impl App {
    /// Saves a list page with its filters under a name, for the principal's own user.
    pub async fn save_view(
        &self,
        principal: &Principal,
        name: &str,
        path: &str,
        query: &str,
    ) -> Result<hawkari_store::SavedView, AppError> {
        let user = principal
            .user
            .as_ref()
            .ok_or_else(|| AppError::Forbidden("views belong to users".into()))?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ValidationError::single("name", "1 to 100 characters").into());
        }
        if !VIEW_PAGES.contains(&path) {
            return Err(ValidationError::single("path", "not a list page").into());
        }
        let query = query.trim_start_matches('?');
        if query.len() > 2000 || query.contains(['\n', '\r']) {
            return Err(ValidationError::single("query", "at most 2000 characters").into());
        }
        let view = hawkari_store::SavedView {
            id: hawkari_core::ids::mint(),
            name: name.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
        };
        self.store.save_view(&user.id, &view).await?;
        Ok(view)
    }

    /// The principal's saved views, by name.
    pub async fn views(
        &self,
        principal: &Principal,
    ) -> Result<Vec<hawkari_store::SavedView>, AppError> {
        match &principal.user {
            Some(u) => Ok(self.store.views(&u.id).await?),
            None => Ok(vec![]),
        }
    }

    pub async fn delete_view(&self, principal: &Principal, id: &str) -> Result<(), AppError> {
        let user = principal
            .user
            .as_ref()
            .ok_or_else(|| AppError::Forbidden("views belong to users".into()))?;
        Ok(self.store.delete_view(&user.id, id).await?)
    }
}

/// An argon2id hash of a random password nobody knows, for timing-equal failures.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3Q7d0zB3n0gPPS0b5H2m2ZFQy8u6J0b5mX5sS1u8kz8";
