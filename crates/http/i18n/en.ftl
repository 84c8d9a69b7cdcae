# Hawkari web interface — English. Every key here must exist in ar.ftl and ckb.ftl
# (a test fails otherwise). Keep keys in the same order in all three files.

app-name = Hawkari
app-tagline = Shared memory of the partnership
skip-to-content = Skip to content
nav-dashboard = Dashboard
nav-engagements = Engagements
nav-commitments = Commitments
nav-people = People
nav-organisations = Organisations
nav-search = Search
nav-new-engagement = New engagement
language = Language
language-change = Change
signed-in-as = Signed in as { $user } ({ $organisation })
sign-out = Sign out
sign-in = Sign in
sign-in-title = Sign in to Hawkari
username = Username
password = Password
sign-in-failed = Sign-in failed: wrong username or password, or the account is locked for a while.
footer-attribution = Names of places from the reports; boundaries, when shown: Iraq CSO / OCHA (COD-AB 2019).

dashboard-title = Dashboard
dashboard-overdue = Overdue commitments
dashboard-due-soon = Due in the next 30 days
dashboard-recent = Recent engagements
dashboard-by-owner = Overdue by responsible organisation
dashboard-none = Nothing here.
count-engagements = { $count ->
    [one] { $count } engagement
   *[other] { $count } engagements
}
count-commitments = { $count ->
    [one] { $count } commitment
   *[other] { $count } commitments
}

engagements-title = Engagements
engagements-filter = Filter
engagements-from = From
engagements-to = To
engagements-topic = Topic
engagements-any-topic = Any topic
engagements-text = Text
engagements-apply = Apply
engagements-timeline = Timeline
engagements-next = Next page
engagements-empty = No engagements match.

engagement-kind = Kind
kind-key_leader_engagement = Key leader engagement
kind-delegation_visit = Delegation visit
kind-call = Phone or video call
kind-joint_committee_session = Joint committee session
kind-public_statement = Public statement
engagement-when = When
engagement-where = Where
engagement-participants = Participants
engagement-topics = Topics
engagement-tags = Tags
engagement-objectives = Objectives
engagement-summary = Summary
engagement-outcomes = Outcomes
engagement-commitments = Commitments
engagement-sources = Sources
engagement-confidence = Confidence
confidence-high = High
confidence-moderate = Moderate
confidence-low = Low
engagement-follow-up-of = Follows up
engagement-owner = Owned by
engagement-released-to = Released to
engagement-history = History
engagement-comments = Comments
engagement-print = Print report
engagement-edit = Edit
role-lead = Lead
role-participant = Participant
role-host = Host
role-note_taker = Note-taker
role-interpreter = Interpreter

form-new-engagement = Record an engagement
form-edit-engagement = Edit engagement
form-title = Title
form-when = Date (2025-05-21, 2025-05, or 2025-05-21/2025-05-31)
form-when-label = Wording of the source (e.g. “late May”)
form-person = Person
form-organisation = Organisation
form-role = Role
form-none = — none —
form-participant-n = Participant { $n }
form-commitment-n = Commitment { $n }
form-commitment-text = What was promised
form-responsible = Responsible organisation
form-counterpart = Owed to
form-due = Due date
form-source-publisher = Source publisher
form-source-title = Source title
form-source-url = Source address (https://…)
form-release-to = Release to
form-release-all = All partners
form-save = Save
form-errors = Please correct the following:
form-participant-note = Note (e.g. “unnamed Peshmerga general”)
form-source-date = Source date (2025, 2025-05 or 2025-05-21)
form-source-reference = Document reference (where there is no address)
form-release-orgs = Organisations (and everyone below them); hold Ctrl to pick several
form-visible-to = Visible to:
form-visible-owner = { $org } (owner)
form-visible-org = { $org } and those below it
form-release-change = Saving this changes who may read the record:
form-release-loses = { $who } will no longer be able to read it (a partner may already have seen it)
form-release-gains = { $who } will be able to read it
form-release-confirm = Save again to confirm this change, or change the release above.
release-group-all_partners = All partners
release-group-coalition = All coalition members
release-group-federal = All federal bodies
release-group-regional = All Kurdistan Region bodies
release-group-joint_mechanisms = All joint mechanisms

commitments-title = Commitments
commitments-by-status = By status
commitments-by-owner = By responsible organisation
status-open = Open
status-in_progress = In progress
status-done = Done
status-dropped = Dropped
commitment-due = Due { $date }
commitment-no-due = No due date
commitment-overdue = Overdue
commitment-change-status = Change status
commitment-reason = Reason
commitment-owed-by = Owed by
commitment-owed-to = Owed to
commitment-status-history = Status history

people-title = People
person-positions = Positions
person-prepare = Prepare for a meeting
person-last-engagements = Last engagements with { $name }
person-open-owed-by = Open commitments of { $organisation }
person-open-owed-to = Open commitments owed to { $organisation }
person-present = present

organisations-title = Organisations
organisation-kind = Kind
org-kind-coalition = Coalition
org-kind-federal = Federal
org-kind-regional = Kurdistan Region
org-kind-joint_mechanism = Joint mechanism
org-kind-party = Party
org-kind-other = Other
organisation-owes = Owes
organisation-owed = Is owed
organisation-members = Below it

search-title = Search
search-placeholder = Name or word, in any script
search-results = Results for “{ $query }”
search-none = Nothing found.

error-title = Something went wrong
error-not-found = There is no such record, or it is not released to your organisation.
error-forbidden = Your account may not do this.
error-back = Back to the dashboard
error-bad-request = This request could not be understood: check the address or the fields.
error-invalid = Some fields are not valid.
error-conflict = The record changed meanwhile, or the change conflicts with it. Reload the page and try again.
error-unavailable = The service is busy or its database is unavailable; try again shortly.
error-internal = The server could not complete the request; the fault has been logged. Quote this error id:
error-too-large = The request is larger than this server accepts.
error-timeout = The request took too long and was stopped.
error-method = This address does not take that kind of request.

nav-map = Map

map-title = Map of incidents and coverage
map-filters = What to show
map-to = Up to (date)
map-window = Window
map-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
map-type = Incident type
map-any-type = Any type
map-actor = Actor
map-any-actor = Any actor
map-text = Words
map-area = Area of concern
map-no-area = None
map-apply = Show
map-slider = Move the time window
map-open = Open the incident
map-shown = incidents on the map
map-more = More incidents match: zoom in or shorten the window to see them all.
map-loading = Loading the map data…
map-failed = The map data could not be loaded; the lists below still hold.
map-no-library = The map library is not installed on this server; the incidents and the coverage are listed below.
map-legend = Legend
map-legend-incident = Incident
map-legend-gap = Gap: no unit responsible
map-legend-overlap = Overlap without a joint mechanism
map-legend-aor = Area of responsibility
map-legend-line = Coordination line
map-legend-unassigned = Coordination line with no unit near
map-coverage = Coverage
map-coverage-of = Coverage of { $area } on { $date }
map-no-coverage = No area of concern is released to you.
map-incidents = Incidents
map-no-incidents = No incidents match.
map-list-more = Only the newest 50 are listed; narrow the filters to see the others.
map-attribution = Boundaries: Iraq CSO / OCHA (COD-AB 2019). Areas marked illustrative are not taken from any source.
map-bad-date = “{ $value }” is not a date: write it as 2025-10-01.
map-bad-days = “{ $value }” is not one of the windows offered.
map-bad-type = “{ $value }” is not an incident type.
map-bad-actor = “{ $value }” is not an organisation.
coverage-gaps = No unit responsible: { $gap_km } km² of { $area_km } km² ({ $gap_share } %)
coverage-overlaps = Forces overlapping without a joint mechanism: { $overlap_km } km²
coverage-incidents = Incidents in the gaps: { $in_gaps } of { $incidents } ({ $in_gaps_share } %)
coverage-line = Coordination line with no unit within { $buffer_km } km: { $line_unassigned_km } of { $line_km } km

incident-type-armed_clash = Armed clash
incident-type-hit_and_run = Hit-and-run attack
incident-type-ied = IED / roadside bomb
incident-type-suicide_bombing = Suicide bombing
incident-type-vehicle_borne_bomb = Vehicle-borne bomb
incident-type-indirect_fire = Indirect fire
incident-type-abduction = Abduction
incident-type-assassination = Assassination
incident-type-arson = Arson / crop burning
incident-type-attack_on_infrastructure = Attack on infrastructure
incident-type-security_operation = Arrest / security operation
incident-type-strategic_development = Strategic development
incident-type-other = Other
incident-title = { $type }, { $place }
incident-when = When
incident-where = Where
incident-point = Point (latitude, longitude)
incident-on-map = on the map
incident-sub-type = Sub-type
incident-actors = Actors
incident-narrative = Narrative
incident-casualties = Casualties
incident-no-casualties = None reported.
incident-party = Party
incident-killed = Killed
incident-injured = Injured
incident-grade = graded { $grade }
incident-engagements = Discussed in
party-security_forces = Security forces
party-civilians = Civilians
party-attackers = Attackers
party-unknown = Unknown
precision-exact = exact
precision-near = near a named place
precision-sub_district = somewhere in the sub-district
precision-district = somewhere in the district
precision-governorate = somewhere in the governorate

nav-programmes = Programmes
programmes-title = Programmes and operations
programmes-plans = Plans measured against targets
programmes-operations = Joint operations
programme-ends = ends { $date }
count-milestones-overdue = { $count ->
    [one] { $count } milestone overdue
   *[other] { $count } milestones overdue
}
count-indicators-behind = { $count ->
    [one] { $count } indicator behind
   *[other] { $count } indicators behind
}
count-items-at-risk = { $count ->
    [one] { $count } item at risk
   *[other] { $count } items at risk
}
count-sites = { $count ->
    [one] { $count } site
   *[other] { $count } sites
}
count-sites-without-lead = { $count ->
    [one] { $count } site without a lead force
   *[other] { $count } sites without a lead force
}
count-observations = { $count ->
    [one] { $count } observation
   *[other] { $count } observations
}
programme-kind = Kind
programme-kind-reform = Reform plan
programme-kind-transition = Transition plan
programme-kind-other = Programme
programme-period = Period
programme-lead = Led by
programme-objectives = Objectives
programme-indicators = Indicators
programme-conditions = Conditions
programme-milestones = Milestones
programme-capabilities = Capabilities and functions handed over
indicator-headline = { $value } of { $target } { $unit }
indicator-no-observation = No observation yet
indicator-observed = Last observed
indicator-source = Source
indicator-target-label = Target
indicator-target = { $value } by { $date }
indicator-rate = Current rate: { $rate } per month
indicator-required = Needed to reach the target on time: { $rate } per month
indicator-projected = At the current rate the target is reached on { $date }
projection-too-few = No projection: it takes at least two observations
projection-same-date = No projection: every observation has the same date
projection-not-moving = No projection: the values are not moving towards the target
projection-met = The target is reached
trend-met = Met
trend-on_track = On track
trend-behind = Behind
trend-unknown = Cannot tell yet
chart-legend = Dots: observations. Diamond: the target. Dotted: the rate needed. Dashed: the current rate.
condition-text = Condition
condition-depends-on = Depends on
condition-state = State
condition-met = Met
condition-at_risk = At risk
condition-not_met = Not met
condition-pending = Pending
milestone-title = Milestone
milestone-due = Due
milestone-owner = Owner
milestone-status = Status
milestone-overdue = overdue
milestone-planned = Planned
milestone-in_progress = In progress
milestone-done = Done
milestone-missed = Missed
milestone-dropped = Dropped
capability-name = Capability or function
capability-provider = Provided by
capability-receiver = Handed to
capability-target = Target date
capability-risk = Risk
function-advising = Advising
function-air_support = Air support
function-intelligence_sharing = Intelligence sharing
function-training = Training
function-base_presence = Base presence
function-other = Other
transition-planned = Planned
transition-in_progress = In progress
transition-handed_over = Handed over
transition-ended = Ended
transition-at_risk = At risk
timeline-title = Timeline to { $date }
timeline-today = Today
timeline-end = Ends { $date }
operation-without-lead = Sites without a lead force
operation-all-led = Every site has a lead force.
operation-board = Sites by status
operation-map = Map of the sites
operation-map-legend = Grey: governorates. Red ring: no lead force; green: manned; orange: incident; dark: closed; blue: no report yet.
site-kind-polling_centre = Polling centre
site-kind-border_crossing = Border crossing
site-kind-checkpoint = Checkpoint
site-kind-other = Site
site-status-manned = Manned
site-status-incident = Incident
site-status-closed = Closed
site-status-unreported = No report yet
site-lead = Lead force
site-no-lead = none
site-supporting = Supported by
site-liaison = Liaison
site-last-report = Last report
dashboard-milestones-overdue = Milestones overdue
dashboard-indicators-behind = Indicators behind
dashboard-sites-without-lead = Sites without a lead force
dashboard-transition-at-risk = Transition items at risk

nav-audit = Audit trail
audit-title = Audit trail of your organisation
audit-intro = What the users of { $organisation } did, and what others did that concerns it: accounts made in it or below it, changes to the organisation tree around it, partners' follow-ups on its records. Newest first.
audit-none = Nothing yet.
audit-when = When (UTC)
audit-who = Who
audit-action = Action
audit-what = Record
audit-concerns = Concerns
audit-detail = Detail
audit-older = Older entries
nav-users = Accounts
nav-tokens = API tokens
admin-users-title = Accounts
admin-username = Username
admin-password = Password (12 characters or more)
admin-new-password = New password
admin-set-password = Set password
admin-disabled = disabled
admin-new-user = New account
admin-create = Create the account
admin-user-created = Account { $user } created.
admin-user-saved = Account { $user } saved.
admin-password-set = A new password is set for { $user }; their sessions have ended.
role-name-viewer = Viewer
role-name-editor = Editor
role-name-org_admin = Organisation administrator
role-name-system_admin = System administrator
tokens-title = Your API tokens
tokens-intro = A token lets a program use the API as you: send it as “Authorization: Bearer …”. A read token cannot change anything.
tokens-none = You have no tokens.
tokens-made = Token “{ $name }” made. Copy its secret now: it is not stored and will not be shown again.
tokens-name = Name
tokens-scope = Scope
tokens-created = Made
tokens-state = State
tokens-revoked = revoked on { $date }
tokens-revoke = Revoke
tokens-new = New token
tokens-create = Make the token
token-scope-read = read only
token-scope-write = read and write
commitment-condition = On condition
commitment-agreed-in = Agreed in
commitment-evidence = Evidence
commitment-comments = Comments
commitment-no-comments = No comments yet.
commitment-changes = Change history
board-filters = Filters
board-any = — any —
board-status = Status
board-overdue-only = Overdue only
board-due-from = Due from (YYYY-MM-DD)
board-due-to = Due by (YYYY-MM-DD)
board-words = Words
board-show = Show
board-clear = Clear the filters
board-none = No commitment matches these filters.
board-next = Next page
board-shown = { $count ->
    [one] One commitment shown
   *[other] { $count } commitments shown
}
board-bad-value = “{ $field }” is not one of the choices.
board-bad-date = “{ $field }” is not a date: write it YYYY-MM-DD.
board-export = Download these as CSV (HXL)
views-title = Saved views
views-name = Save these filters as
views-save = Save the view
views-delete = Delete the view { $name }
operation-find-site = Find a site
operation-found = Sites found
site-report = Report the site's status
site-report-note = Note (optional)
site-report-send = Send the report
site-reports = Reports
nav-menu = Menu
